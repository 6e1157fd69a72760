"""Stage 2 — the unit templates (SPEC §5): one workbook per unit and period generated from the master
template, and sample unit files made the way units fill them (demo, tests, benchmarks).

May import ``domain``, ``i18n``, ``state`` and ``errors``; never ``run``, ``schedule`` or ``cli``.
"""
