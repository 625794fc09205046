"""The reader core: Qt-free application logic over the store and the search index.

Layers (outermost first): ``reader.cli`` → ``reader.ui`` → ``reader.core`` → ``index``.
"""
