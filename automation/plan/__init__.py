"""Stage 1 of the month — the plan (SPEC §4, §8): the register workbook the coordinator keeps
(read, checked, written), the default plan, and ``plan import`` from the plan document itself.

May import ``domain``, ``i18n``, ``state`` (atomic file writes), ``errors`` and ``settings``; never ``run``,
``schedule`` or ``cli``.
"""
