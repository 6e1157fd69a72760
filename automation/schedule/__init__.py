"""The calendar (SPEC §11): what is due at a moment (a pure function of the clock, the settings and
the ledger) and the loop that runs it unattended.

May import ``run`` and what it needs to read the calendar (``domain``, ``i18n``, ``state``, ``settings``);
never ``cli``.
"""
