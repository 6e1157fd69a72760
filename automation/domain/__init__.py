"""The words of the month (SPEC §2, §4, §5): plain data and pure rules — the model, the unit-template
contract, dates and deadline words, text normalising and cell references.

Imports nothing of the package but itself (and the standard library): every other stage builds on it.
"""
