"""`python -m reader` runs the same entry point as the `pizhu` command."""

from reader.cli.commands import main

raise SystemExit(main())
