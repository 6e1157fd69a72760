"""The program's own failures. A unit's mistake is a Finding, never one of these."""

from __future__ import annotations


class BaocaoError(Exception):
    """A failure the CLI turns into a one-line message and exit status 1.

    ``message`` is already rendered from the catalogue in the user's language.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(BaocaoError):
    """The user asked for something impossible: bad setting, missing workspace, bad period."""


class FileError(BaocaoError):
    """A file the program needs (register, master template, output) cannot be read or written."""
