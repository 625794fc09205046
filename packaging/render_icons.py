"""Render resources/icons/pizhu.svg to the PNG sizes desktops look for.

    .venv/bin/python packaging/render_icons.py      # rewrites resources/icons/hicolor/*/apps/*.png

The PNGs are committed, so building the bundle does not need this; run it after changing the SVG.
Uses Qt's SVG renderer (QtSvg ships in PySide6-Essentials); falls back to rsvg-convert.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "pizhu.svg"
HICOLOR = ROOT / "resources" / "icons" / "hicolor"
APP_ID = "io.github.pizhu.Pizhu"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int) -> Path:
    return HICOLOR / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def render_qt(sizes: tuple[int, ...] = SIZES) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: not a valid SVG")
    for size in sizes:
        img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(Qt.GlobalColor.transparent)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(p)
        p.end()
        out = png_path(size)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not img.save(str(out), "PNG"):
            raise SystemExit(f"{out}: could not write")
        print(out.relative_to(ROOT))


def render_rsvg(sizes: tuple[int, ...] = SIZES) -> None:
    for size in sizes:
        out = png_path(size)
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["rsvg-convert", "-w", str(size), "-h", str(size), "-o", str(out), str(SVG)],
            check=True,
        )
        print(out.relative_to(ROOT))


def main() -> int:
    try:
        import PySide6.QtSvg  # noqa: F401
    except ImportError:
        if not shutil.which("rsvg-convert"):
            print("need PySide6 (QtSvg) or rsvg-convert (Debian: librsvg2-bin)", file=sys.stderr)
            return 1
        render_rsvg()
    else:
        render_qt()
    scalable = HICOLOR / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SVG, scalable)
    print(scalable.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
