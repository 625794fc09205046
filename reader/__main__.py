"""`python -m reader` runs the same entry point as the `pizhu` command."""

from reader.cli import main

raise SystemExit(main())
