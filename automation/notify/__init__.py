"""Stage 7 — notifying (SPEC §10): mail out over SMTP — receipts, results to the coordinator,
reminders.

May import ``domain``, ``i18n``, ``write``, ``templates``, ``state``, ``errors`` and ``settings``; never
``run``, ``schedule`` or ``cli``.
"""
