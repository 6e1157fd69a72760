"""Stage 5 — checking (SPEC §6): identify a file's unit and period, the cell rules, validate rows into
task reports, evaluate every task. Pure functions of data: no files, no clock, no ledger.

May import only ``domain`` and ``i18n``.
"""
