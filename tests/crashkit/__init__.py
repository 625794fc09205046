"""Fault-injection support for the reliability tests (issue 6) and ``bench/``.

- :mod:`crashkit.fuzzgen`  hypothesis strategies for hostile import files, and the invariants
  every import must keep (:func:`crashkit.fuzzgen.check_import`);
- :mod:`crashkit.harness`  the SIGKILL harness: a child process that imports, annotates and
  reindexes while logging each completed operation, a parent that kills it at seeded points and
  checks the library after every kill.
"""
