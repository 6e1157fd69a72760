"""Beside the pipeline — state (SPEC §3, §12): the SQLite ledger (arrivals, history, runs, mail),
the facts kept beside the archive and the rebuild from them, published periods, the workspace lock, and
atomic file saves.

May import ``domain``, ``i18n``, ``errors`` and ``settings``; never a stage, ``run``, ``schedule`` or ``cli``.
"""
