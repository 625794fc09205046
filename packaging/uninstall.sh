#!/bin/sh
# Remove a Pizhu installation made by install.sh (same PREFIX / DESTDIR rules). Your library and
# settings stay where they are (~/.local/share/pizhu, ~/.config/pizhu); delete them yourself if
# you want them gone. Run from the tarball or as PREFIX/lib/pizhu/uninstall.sh.
set -eu

APP_ID=io.github.pizhu.Pizhu
HERE=$(cd "$(dirname "$0")" && pwd)
if [ -z "${PREFIX:-}" ]; then
  # installed copy: PREFIX/lib/pizhu/uninstall.sh
  if [ -f "$HERE/.pizhu-bundle" ] && [ "$(basename "$HERE")" = pizhu ] \
    && [ "$(basename "$(dirname "$HERE")")" = lib ]; then
    PREFIX=$(dirname "$(dirname "$HERE")")
    PREFIX=${PREFIX#"${DESTDIR:-}"}
  else
    PREFIX="$HOME/.local"
  fi
fi
DESTDIR=${DESTDIR:-}
ROOT="$DESTDIR$PREFIX"
LIB="$ROOT/lib/pizhu"

removed=0
if [ -d "$LIB" ]; then
  if [ -f "$LIB/.pizhu-bundle" ]; then
    rm -rf "$LIB" && removed=1
  else
    echo "uninstall.sh: $LIB is not a Pizhu installation; leaving it alone" >&2
  fi
fi
if [ -L "$ROOT/bin/pizhu" ]; then
  case "$(readlink "$ROOT/bin/pizhu")" in
    "$PREFIX/lib/pizhu/pizhu") rm -f "$ROOT/bin/pizhu" ;;
    *) echo "uninstall.sh: $ROOT/bin/pizhu points elsewhere; leaving it alone" >&2 ;;
  esac
fi
rm -f "$ROOT/share/applications/$APP_ID.desktop" "$ROOT/share/metainfo/$APP_ID.metainfo.xml"
if [ -d "$ROOT/share/icons/hicolor" ]; then
  find "$ROOT/share/icons/hicolor" -path "*/apps/$APP_ID.*" -type f -exec rm -f {} +
  # the size folders install.sh may have created, when nothing else lives there
  for d in "$ROOT"/share/icons/hicolor/*/apps; do
    rmdir "$d" "$(dirname "$d")" 2>/dev/null || true
  done
fi

if [ -z "$DESTDIR" ]; then
  if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$PREFIX/share/applications" ]; then
    update-desktop-database -q "$PREFIX/share/applications" || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$PREFIX/share/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t -f "$PREFIX/share/icons/hicolor" || true
  fi
fi

if [ "$removed" = 1 ]; then
  echo "Pizhu removed from $PREFIX (your library in ~/.local/share/pizhu was kept)"
else
  echo "Pizhu was not installed in $PREFIX; removed any leftover menu entry and icons"
fi
