"""Stage 3 — intake (SPEC §6, §10, §12): what arrives in the inbox folder and the mailbox, classified,
hashed and archived before anything interprets it; arrivals recorded in the ledger.

May import ``domain``, ``i18n``, ``state``, ``errors`` and ``settings``; never ``read``, ``check``, ``run``,
``schedule`` or ``cli``.
"""
