"""Entry script for the PyInstaller bundle: the same `pizhu` command as the installed package."""

import faulthandler
import multiprocessing
import os
import sys

# The index build starts worker processes with "spawn": in a frozen app each worker runs this
# script again, and freeze_support() turns it into the worker (and exits) before anything else.
multiprocessing.freeze_support()
os.environ["PIZHU_FREEZE_SUPPORT"] = "1"

# A crash in native code (Qt, SQLite) prints the Python stack of every thread to stderr, so a
# report from a bundle user says where it happened.
if sys.stderr is not None:
    faulthandler.enable()

from reader.cli.commands import main  # noqa: E402

raise SystemExit(main())
