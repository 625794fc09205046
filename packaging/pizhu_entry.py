"""Entry script for the PyInstaller bundle: the same `pizhu` command as the installed package."""

from reader.cli import main

raise SystemExit(main())
