"""Pizhu 批注 — the application: library store, importers, CLI and Qt GUI (reader.ui)."""

__version__ = "0.1.0"
