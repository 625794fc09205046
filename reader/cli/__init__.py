"""The command line (``pizhu``): parses arguments, opens the library, calls the core.

The GUI is started lazily through ``reader.ui`` (the CLI itself imports no Qt)."""

from reader.cli.commands import main

__all__ = ["main"]
