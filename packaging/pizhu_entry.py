"""Entry script for the PyInstaller bundle: the same `pizhu` command as the installed package."""

import faulthandler
import sys

# A crash in native code (Qt, SQLite) prints the Python stack of every thread to stderr, so a
# report from a bundle user says where it happened.
if sys.stderr is not None:
    faulthandler.enable()

from reader.cli import main  # noqa: E402

raise SystemExit(main())
