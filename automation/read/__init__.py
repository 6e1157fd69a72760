"""Stage 4 — reading (SPEC §5, §6, §12): one unit's spreadsheet (its bytes) in, a ``ParsedReport`` out,
with the limits that keep a hostile file bounded. One module per container format.

May import ``domain``, ``i18n`` and ``errors``; never ``check``, ``intake``, ``run``, ``schedule`` or ``cli``.
"""
