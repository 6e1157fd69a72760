"""Stage 6 — writing (SPEC §3, §7, §9): the consolidated workbook and its summary, each unit's
feedback file, the run report, and the short texts the terminal and mails show.

May import ``domain``, ``i18n``, ``check`` (labels of verdicts), ``state`` (atomic saves) and ``errors``;
never ``run``, ``schedule`` or ``cli``.
"""
