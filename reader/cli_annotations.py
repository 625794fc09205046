"""CLI commands for annotations, export/import and backup (registered by reader.cli)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's commands to the `pizhu` parser."""
