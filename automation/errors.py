"""The program's own failures. A unit's mistake is a Finding, never one of these."""

from __future__ import annotations

import errno
import logging

from automation.i18n.messages import N_, t

_log = logging.getLogger(__name__)


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


def os_error_reason(exc: OSError) -> str:
    """What went wrong with a file, in the reader's language: the libc text (``strerror``) is English."""
    name = errno.errorcode.get(exc.errno or 0, "")
    key = _OS_REASONS.get(name)
    return t(key) if key else t("oserror.other")


_OS_REASONS = {
    "ENOENT": N_("oserror.not_found"),
    "EACCES": N_("oserror.permission"),
    "EPERM": N_("oserror.permission"),
    "EROFS": N_("oserror.read_only"),
    "ENOSPC": N_("oserror.no_space"),
    "EDQUOT": N_("oserror.no_space"),
    "EISDIR": N_("oserror.is_folder"),
    "ENOTDIR": N_("oserror.not_folder"),
    "EBUSY": N_("oserror.busy"),
    "ETXTBSY": N_("oserror.busy"),
    "EIO": N_("oserror.io"),
    "ENAMETOOLONG": N_("oserror.name_too_long"),
    "ELOOP": N_("oserror.loop"),
    "EMFILE": N_("oserror.too_many_open"),
    "ENFILE": N_("oserror.too_many_open"),
}


class MailError(BaocaoError):
    """The mail server could not be reached, refused the login or the TLS handshake failed."""


def mail_error_detail(exc: BaseException) -> str:
    """Why a connection to a mail server failed, in the reader's language (the library's English words,
    which may quote the server and even a password, go only to the log)."""
    import socket
    import ssl

    _log.info("mail connection failed: %r", exc)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return t("mailerror.certificate")
    if isinstance(exc, ssl.SSLError):
        return t("mailerror.tls")
    if isinstance(exc, socket.gaierror):
        return t("mailerror.unknown_host")
    if isinstance(exc, TimeoutError | socket.timeout):
        return t("mailerror.timeout")
    if isinstance(exc, ConnectionRefusedError):
        return t("mailerror.refused")
    if isinstance(exc, ConnectionError | EOFError):
        return t("mailerror.dropped")
    if isinstance(exc, OSError) and exc.errno:
        return os_error_reason(exc)
    return t("mailerror.protocol")
