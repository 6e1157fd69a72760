"""Language (SPEC §13): the message catalogue every person-facing text comes from, Vietnamese by
default and English with ``LANGUAGE=en``.

Imports only ``domain``.
"""
