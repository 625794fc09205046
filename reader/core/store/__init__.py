"""The library database: the only package that speaks SQLite's API (``import sqlite3``).

:class:`Store` is the one write path (:meth:`Store.transaction` yields a :class:`Tx` that
records :class:`Changes`; hooks run after the commit); :mod:`.db` opens and migrates the file;
:mod:`.schema` holds the migrations.
"""

import sqlite3

from reader.core.store.store import Changes, Executes, Store, Tx

#: SQLite's types and errors, for the rest of the program (which does not import sqlite3)
Connection = sqlite3.Connection
Row = sqlite3.Row
DatabaseError = sqlite3.Error  # anything SQLite raises (a damaged file, a full disk, …)
OperationalError = sqlite3.OperationalError

__all__ = [
    "Changes", "Connection", "DatabaseError", "Executes", "OperationalError", "Row", "Store", "Tx",
]
