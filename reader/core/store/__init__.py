"""The library database: the only package that speaks SQLite's API (``import sqlite3``).

:class:`Store` is the one write path (:meth:`Store.transaction` yields a :class:`Tx` that
records :class:`Changes`; hooks run after the commit); :mod:`.db` opens and migrates the file;
:mod:`.schema` holds the migrations.
"""

from reader.core.store.store import Changes, Executes, Store, Tx

__all__ = ["Changes", "Executes", "Store", "Tx"]
