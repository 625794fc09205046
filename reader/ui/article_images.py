"""Structure and pictures in the reader pane (issue 13).

The reader's document holds the article's stored text exactly as before; this module then

* puts each picture in a block of its own *before* the line it belongs to (an object character
  and a block separator: two document positions, which :class:`reader.core.text.DocumentMap` accounts
  for, so highlights, find, search marks and the reading position stay on their text);
* formats the lines and runs the structure names (headings, quotes, list items, captions, bold,
  italic) — formats only, no character is added or removed.

Pictures are loaded lazily: the document only knows a ``pizhu-image:N`` name and the display
size (from the stored width and height), and :meth:`ReaderImages.resource` reads the file from
the library when Qt first paints it. A picture that was only a remote URL is drawn as a small
placeholder with its alt text and URL; nothing is ever fetched. Article text stays plain text.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRectF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QImageReader,
    QPainter,
    QPen,
    QPixmap,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextImageFormat,
)
from PySide6.QtWidgets import QDialog, QLabel, QScrollArea, QVBoxLayout, QWidget

from reader.core.structure import Image, Structure
from reader.core.text import DocumentMap, OffsetMap
from reader.ui import theme as th
from reader.ui.widgets import plain_tooltip

SCHEME = "pizhu-image"
_ONLY_SET = QTextCharFormat.FontPropertiesInheritanceBehavior.FontPropertiesSpecifiedOnly
PLACEHOLDER_HEIGHT = 64


class ReaderImages:
    """The pictures of the article on show: document names -> images, sizes, lazy loading."""

    def __init__(self) -> None:
        self.images: list[Image] = []
        self.paths: list[Path | None] = []
        self.theme: th.Theme = th.LIGHT
        self.column = th.MAX_TEXT_WIDTH
        self.positions: dict[int, int] = {}  # document position of the object -> image index

    def clear(self) -> None:
        self.images, self.paths, self.positions = [], [], {}

    @staticmethod
    def name(index: int) -> QUrl:
        return QUrl(f"{SCHEME}:{index}")

    def index_of(self, url: QUrl) -> int | None:
        if url.scheme() != SCHEME:
            return None
        try:
            n = int(url.path())
        except ValueError:
            return None
        return n if 0 <= n < len(self.images) else None

    def display_size(self, index: int) -> tuple[int, int]:
        img = self.images[index]
        if self.paths[index] is None or img.width <= 0 or img.height <= 0:
            return max(120, self.column), PLACEHOLDER_HEIGHT
        w = min(img.width, self.column)
        return w, max(1, round(img.height * w / img.width))

    def resource(self, url: QUrl) -> QImage | None:
        """What Qt paints for ``pizhu-image:N`` (None for every other name: nothing else is ever
        loaded, from a file or from the network)."""
        index = self.index_of(url)
        if index is None:
            return None
        path = self.paths[index]
        w, h = self.display_size(index)
        if path is not None:
            reader = QImageReader(str(path))
            reader.setAutoTransform(True)
            size = reader.size()
            if size.isValid() and size.width() > 2 * w:  # decode only what is shown
                reader.setScaledSize(size.scaled(2 * w, 2 * h, Qt.AspectRatioMode.KeepAspectRatio))
            image = reader.read()
            if not image.isNull():
                return image
        return self.placeholder(index, w, PLACEHOLDER_HEIGHT)

    def placeholder(self, index: int, w: int, h: int) -> QImage:
        img = self.images[index]
        out = QImage(w * 2, h * 2, QImage.Format.Format_ARGB32_Premultiplied)
        out.setDevicePixelRatio(2)
        out.fill(QColor(0, 0, 0, 0))
        p = QPainter(out)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(QColor(self.theme.border), 1))
        p.setBrush(QColor(self.theme.window))
        p.drawRoundedRect(QRectF(0.5, 0.5, w - 1, h - 1), 6, 6)
        font = QFont()
        font.setFamilies(th.SANS_FAMILIES)
        font.setPixelSize(13)
        p.setFont(font)
        fm = QFontMetrics(font)
        p.setPen(QColor(self.theme.muted))
        first = img.alt or (
            QCoreApplication.translate("ReaderImages", "Picture not stored (web only)")
            if img.url else QCoreApplication.translate("ReaderImages", "Picture"))
        p.drawText(QRectF(12, 8, w - 24, h / 2 - 8), Qt.AlignmentFlag.AlignVCenter,
                   fm.elidedText(first, Qt.TextElideMode.ElideRight, w - 24))
        if img.url:
            p.drawText(QRectF(12, h / 2, w - 24, h / 2 - 8), Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(img.url, Qt.TextElideMode.ElideMiddle, w - 24))
        p.end()
        return out


def apply_structure(
    doc: QTextDocument, body_start: int, body: str, structure: Structure, images: ReaderImages,
    library_root: Path, px: int, theme: th.Theme, column: int,
) -> DocumentMap:
    """Insert the pictures and format the structure of a document that holds ``body`` from
    ``body_start``; returns the offset map of the result."""
    images.clear()
    images.theme, images.column = theme, max(120, column)
    base = OffsetMap(body)
    inserts: list[tuple[int, int]] = []
    pics = [img for img in structure.images if 0 <= img.offset <= len(body)]
    images.images = pics
    images.paths = [_path(library_root, img) for img in pics]
    end_pics: list[int] = []
    # from the last to the first, so that the positions still to come do not move
    for index in sorted(range(len(pics)), key=lambda i: (pics[i].offset, i), reverse=True):
        off = pics[index].offset
        if off == len(body) and off > 0 and body[off - 1] != "\n":
            end_pics.append(index)
            continue
        cur = QTextCursor(doc)
        cur.setPosition(body_start + base.cp_to_utf16(off))
        text_fmt = cur.blockFormat()
        cur.insertImage(_image_format(images, index))
        cur.insertBlock(text_fmt)
        pic_block = QTextCursor(doc)
        pic_block.setPosition(cur.position() - 1)
        pic_block.setBlockFormat(_picture_block(text_fmt, px))
        inserts.append((off, 2))
    for index in sorted(end_pics):
        cur = QTextCursor(doc)
        cur.movePosition(QTextCursor.MoveOperation.End)
        fmt = cur.blockFormat()
        cur.insertBlock(_picture_block(fmt, px))
        cur.insertImage(_image_format(images, index))
    dmap = DocumentMap(body, inserts)
    images.positions = _object_positions(doc, body_start, images)
    _format_blocks(doc, body_start, dmap, structure, px, theme)
    return dmap


def _object_positions(doc: QTextDocument, body_start: int, images: ReaderImages) -> dict[int, int]:
    """Document position of every picture object -> its index (read back from the document)."""
    out: dict[int, int] = {}
    block = doc.findBlock(body_start)
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            fmt = frag.charFormat()
            if fmt.isImageFormat():
                index = images.index_of(QUrl(fmt.toImageFormat().name()))
                if index is not None:
                    out[frag.position()] = index
            it += 1
        block = block.next()
    return out


def _path(root: Path, img: Image) -> Path | None:
    if not img.file or ".." in Path(img.file).parts or Path(img.file).is_absolute():
        return None
    path = root / img.file
    return path if path.is_file() else None


def _image_format(images: ReaderImages, index: int) -> QTextImageFormat:
    fmt = QTextImageFormat()
    fmt.setName(images.name(index).toString())
    w, h = images.display_size(index)
    fmt.setWidth(w)
    fmt.setHeight(h)
    alt = images.images[index].alt
    if alt:
        fmt.setToolTip(plain_tooltip(alt))
    return fmt


def _picture_block(fmt: QTextBlockFormat, px: int) -> QTextBlockFormat:
    out = QTextBlockFormat(fmt)
    out.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    out.setLineHeight(100, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    out.setTextIndent(0)
    out.setTopMargin(max(fmt.topMargin(), px * 0.4))
    out.setBottomMargin(px * 0.9)
    return out


def _format_blocks(doc: QTextDocument, body_start: int, dmap: DocumentMap,
                   structure: Structure, px: int, theme: th.Theme) -> None:
    muted = QColor(theme.muted)
    for b in structure.blocks:
        cur = QTextCursor(doc)
        cur.setPosition(body_start + dmap.cp_to_utf16(b.start))
        cur.setPosition(body_start + dmap.cp_to_utf16(b.end), QTextCursor.MoveMode.KeepAnchor)
        cf = QTextCharFormat()
        bf = QTextBlockFormat()
        if b.kind == "strong":
            cf.setFontWeight(QFont.Weight.Bold)
        elif b.kind == "em":
            cf.setFontItalic(True)
        elif b.kind == "heading":
            scale = {1: 1.35, 2: 1.25, 3: 1.12}.get(b.level, 1.05)
            font = QFont()
            font.setPixelSize(round(px * scale))
            font.setBold(True)
            cf.setFont(font, _ONLY_SET)
            bf.setTopMargin(px * 1.1)
            bf.setBottomMargin(px * 0.5)
        elif b.kind == "quote":
            bf.setLeftMargin(px * 1.6)
            bf.setRightMargin(px * 0.8)
            cf.setForeground(muted)
        elif b.kind == "list_item":
            bf.setLeftMargin(px * 1.2 * max(1, b.level))
            bf.setBottomMargin(px * 0.35)
        elif b.kind == "caption":
            bf.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            cf.setForeground(muted)
            font = QFont()
            font.setPixelSize(round(px * 0.85))
            cf.setFont(font, _ONLY_SET)
        else:
            continue
        cur.mergeCharFormat(cf)
        if b.kind in ("heading", "quote", "list_item", "caption"):
            cur.mergeBlockFormat(bf)


class ImageViewer(QDialog):
    """A picture at its own size (scaled down to fit the screen), opened by a click."""

    def __init__(self, path: Path, alt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("imageViewer")
        self.setWindowTitle(alt or QCoreApplication.translate("ReaderImages", "Picture"))
        self.label = QLabel(self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        pixmap = QPixmap(str(path))
        screen = (parent.screen() if parent is not None else None)
        avail = screen.availableGeometry().size() * 0.9 if screen is not None else None
        if avail is not None and not pixmap.isNull() and (
            pixmap.width() > avail.width() or pixmap.height() > avail.height()
        ):
            pixmap = pixmap.scaled(avail, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        self.label.setPixmap(pixmap)
        area = QScrollArea(self)
        area.setWidget(self.label)
        area.setWidgetResizable(True)
        area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(area)
        if not pixmap.isNull():
            self.resize(pixmap.width() + 4, pixmap.height() + 4)
