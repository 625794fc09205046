#!/usr/bin/env bash
# Build the Pizhu desktop bundle and its tarball (Linux x86-64).
#
#   packaging/build.sh              build dist/pizhu/ and dist/pizhu-<version>-linux-<arch>.tar.gz
#   packaging/build.sh --check      … then run the bundle's self-test
#
# Python: $PYTHON if set, else the project's .venv (created by ./dev setup), else a fresh
# build/venv. PyInstaller (the `bundle` extra) is installed into that environment when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
APP_ID=io.github.pizhu.Pizhu

check=0
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

if [ -n "${PYTHON:-}" ]; then
  PY=$PYTHON
elif [ -x .venv/bin/python ]; then
  PY=.venv/bin/python
else
  if [ ! -x build/venv/bin/python ]; then
    echo "build.sh: creating build/venv" >&2
    python3 -m venv build/venv
  fi
  PY=build/venv/bin/python
fi
if ! "$PY" -c "import reader, index, PySide6, whoosh, jieba" >/dev/null 2>&1; then
  echo "build.sh: installing Pizhu into $PY's environment" >&2
  "$PY" -m pip install -q -e .
fi
if ! "$PY" -m PyInstaller --version >/dev/null 2>&1; then
  echo "build.sh: installing PyInstaller" >&2
  "$PY" -m pip install -q -e '.[bundle]'
fi

# Qt's X11 plugin needs these; when the build machine has them they go into the bundle, so
# the reader's system need not (Debian: libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 …)
if command -v ldconfig >/dev/null 2>&1; then
  known=$(ldconfig -p)
  for lib in libxcb-cursor.so.0 libxcb-icccm.so.4 libxcb-keysyms.so.1 libxcb-image.so.0 \
    libxcb-render-util.so.0 libxkbcommon-x11.so.0; do
    case "$known" in *"$lib "*) ;; *) echo "build.sh: warning: $lib not found; the bundle will" \
      "need it on the reader's system (Debian: apt-get install libxcb-cursor0 libxcb-icccm4" \
      "libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxkbcommon-x11-0)" >&2 ;;
    esac
  done
fi

VERSION=$("$PY" -c "import reader; print(reader.__version__)")
ARCH=$(uname -m)
NAME="pizhu-$VERSION-linux-$ARCH"
echo "build.sh: Pizhu $VERSION with $("$PY" -m PyInstaller --version | sed 's/^/PyInstaller /')" >&2

# Qt's translation catalogue for the interface, if the sources are newer than the .qm files
if ls resources/translations/*.ts >/dev/null 2>&1; then
  LRELEASE=$("$PY" -c "import PySide6, pathlib; p = pathlib.Path(PySide6.__file__).parent; \
print(next((str(x) for x in (p / 'lrelease', p / 'Qt' / 'libexec' / 'lrelease') if x.exists()), ''))")
  for ts in resources/translations/*.ts; do
    qm=${ts%.ts}.qm
    if [ -n "$LRELEASE" ] && { [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; }; then
      "$LRELEASE" -silent "$ts" -qm "$qm"
    fi
  done
fi

rm -rf dist/pizhu "dist/$NAME" "dist/$NAME.tar.gz"
"$PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/pizhu.spec

# The tarball: the bundle, the desktop entry, icons, metainfo and the install scripts
STAGE="dist/$NAME"
mkdir -p "$STAGE/share/applications" "$STAGE/share/metainfo" "$STAGE/share/icons"
cp -R dist/pizhu "$STAGE/pizhu"
cp "packaging/$APP_ID.desktop" "$STAGE/share/applications/"
cp "packaging/$APP_ID.metainfo.xml" "$STAGE/share/metainfo/"
cp -R resources/icons/hicolor "$STAGE/share/icons/hicolor"
cp packaging/install.sh packaging/uninstall.sh "$STAGE/"
chmod 755 "$STAGE/install.sh" "$STAGE/uninstall.sh"
cp packaging/README.md "$STAGE/README.md"
tar -C dist -czf "dist/$NAME.tar.gz" --owner=0 --group=0 "$NAME"
rm -rf "$STAGE"

bundle_size=$(du -sh dist/pizhu | cut -f1)
tar_size=$(du -h "dist/$NAME.tar.gz" | cut -f1)
echo "build.sh: dist/pizhu/ $bundle_size, dist/$NAME.tar.gz $tar_size"

if [ "$check" = 1 ]; then
  dist/pizhu/pizhu --version
  dist/pizhu/pizhu --self-test
fi
