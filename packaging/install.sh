#!/bin/sh
# Install Pizhu 批注 for the current user (no root needed). Run it from the unpacked tarball:
#
#   ./install.sh            installs under ~/.local
#   PREFIX=/opt/x ./install.sh      another prefix;  DESTDIR=/stage ./install.sh  stages a copy
#
# What goes where (PREFIX defaults to ~/.local):
#   PREFIX/lib/pizhu/                         the program (a self-contained bundle)
#   PREFIX/bin/pizhu                          a symlink to PREFIX/lib/pizhu/pizhu
#   PREFIX/share/applications/io.github.pizhu.Pizhu.desktop     the menu entry, "Open with"
#   PREFIX/share/icons/hicolor/*/apps/io.github.pizhu.Pizhu.*   the icon
#   PREFIX/share/metainfo/io.github.pizhu.Pizhu.metainfo.xml    software-centre description
# Running it again replaces the previous installation (your library is never touched: it lives
# in ~/.local/share/pizhu/library). PREFIX/lib/pizhu/uninstall.sh removes everything again.
set -eu

APP_ID=io.github.pizhu.Pizhu
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-"$HOME/.local"}
DESTDIR=${DESTDIR:-}
ROOT="$DESTDIR$PREFIX"

die() { echo "install.sh: $*" >&2; exit 1; }

[ -x "$HERE/pizhu/pizhu" ] || die "no bundle at $HERE/pizhu/pizhu (run me from the unpacked tarball)"
[ -f "$HERE/share/applications/$APP_ID.desktop" ] || die "missing share/applications/$APP_ID.desktop"
case "$PREFIX" in /*) ;; *) die "PREFIX must be an absolute path (got '$PREFIX')" ;; esac

LIB="$ROOT/lib/pizhu"
mkdir -p "$ROOT/lib" "$ROOT/bin" "$ROOT/share/applications" "$ROOT/share/metainfo" \
  "$ROOT/share/icons/hicolor"

# The bundle: copy beside the old one, then swap, so a failed copy leaves the old one working.
if [ -e "$LIB" ] && [ ! -f "$LIB/.pizhu-bundle" ]; then
  die "$LIB exists and is not a Pizhu installation; not replacing it"
fi
rm -rf "$LIB.new"
cp -R "$HERE/pizhu" "$LIB.new"
cp "$HERE/uninstall.sh" "$LIB.new/uninstall.sh"
chmod 755 "$LIB.new/uninstall.sh"
: > "$LIB.new/.pizhu-bundle"
rm -rf "$LIB.old"
[ -e "$LIB" ] && mv "$LIB" "$LIB.old"
mv "$LIB.new" "$LIB"
rm -rf "$LIB.old"

# The command (a symlink: the bundle finds its files through the link)
if [ -e "$ROOT/bin/pizhu" ] && [ ! -L "$ROOT/bin/pizhu" ]; then
  echo "install.sh: $ROOT/bin/pizhu exists and is not a symlink; leaving it alone" >&2
else
  ln -sfn "$PREFIX/lib/pizhu/pizhu" "$ROOT/bin/pizhu"
fi

# The menu entry, with the absolute path of the command (PREFIX/bin need not be on PATH)
sed -e "s|^Exec=pizhu |Exec=$PREFIX/bin/pizhu |" -e "s|^TryExec=pizhu\$|TryExec=$PREFIX/bin/pizhu|" \
  "$HERE/share/applications/$APP_ID.desktop" > "$ROOT/share/applications/$APP_ID.desktop"
chmod 644 "$ROOT/share/applications/$APP_ID.desktop"
cp "$HERE/share/metainfo/$APP_ID.metainfo.xml" "$ROOT/share/metainfo/"

# Icons: every size shipped in the tarball
(cd "$HERE/share/icons/hicolor" && find . -type f -name "$APP_ID.*") | while read -r f; do
  mkdir -p "$ROOT/share/icons/hicolor/$(dirname "$f")"
  cp "$HERE/share/icons/hicolor/$f" "$ROOT/share/icons/hicolor/$f"
done

# Let the desktop notice (only for a real install, not a staged one)
if [ -z "$DESTDIR" ]; then
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$PREFIX/share/applications" || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$PREFIX/share/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t -f "$PREFIX/share/icons/hicolor" || true
  fi
  touch "$PREFIX/share/icons/hicolor" 2>/dev/null || true
fi

echo "Pizhu installed in $LIB"
echo "  command: $PREFIX/bin/pizhu   menu: Pizhu (批注)   uninstall: $PREFIX/lib/pizhu/uninstall.sh"
case ":$PATH:" in
  *":$PREFIX/bin:"*) ;;
  *) echo "  note: $PREFIX/bin is not on your PATH; the menu entry works anyway" ;;
esac
