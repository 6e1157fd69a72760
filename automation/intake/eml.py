"""Intake from email (SPEC §6, §10, §12): the spreadsheet attachments of one message.

``read_eml`` parses a message (an ``.eml`` file dropped in the inbox, or one fetched over IMAP) with the
standard ``email`` package and keeps only spreadsheet attachments (.xlsx, .xlsm, .xls, .ods by name);
their names are decoded from RFC 2231 / RFC 2047 (Vietnamese names arrive both ways) and given a
``safe_filename`` for saving: an attachment's name is untrusted text and never a path.
"""

from __future__ import annotations

import datetime as dt
import email.errors
import email.header
import email.utils
import re
import unicodedata
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
FALLBACK_NAME = "tep-dinh-kem"
MAX_NAME_BYTES = 150  # well under the 255-byte limit of common file systems, room for a prefix

_WINDOWS_RESERVED = re.compile(r"(?i)(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])")
_UNSAFE_CHARS = re.compile(r'[<>:"/\\|?*]')


@dataclass(frozen=True)
class Attachment:
    """One spreadsheet attachment: its decoded name (NFC), a name safe to save under, and its bytes."""

    name: str
    safe_name: str
    data: bytes


@dataclass(frozen=True)
class EmlMessage:
    sender: str | None  # the From address, lower-cased
    subject: str
    date: dt.datetime | None  # from the Date header, timezone-aware
    attachments: list[Attachment] = field(default_factory=list)


def read_eml(data: bytes) -> EmlMessage:
    """The sender, subject, date and spreadsheet attachments of the message in ``data``.

    Tolerant of malformed mail: a header that cannot be decoded reads as empty, never raises.
    """
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    attachments: list[Attachment] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        name = _attachment_name(part)
        if not name or not name.lower().endswith(SPREADSHEET_EXTENSIONS):
            continue
        payload = part.get_payload(decode=True)
        attachments.append(
            Attachment(name, safe_filename(name), payload if isinstance(payload, bytes) else b"")
        )
    return EmlMessage(_sender(message), _subject(message), _date(message), attachments)


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
        return "" if value is None else str(value)
    except (ValueError, TypeError, IndexError, AttributeError, LookupError):  # a header it cannot model
        for key, raw in message.raw_items():
            if key.lower() == name.lower():
                return _decode_words(str(raw))
        return ""


def _decode_words(text: str) -> str:
    """RFC 2047 encoded words (``=?UTF-8?B?...?=``) decoded; undecodable text kept as it is."""
    if "=?" not in text:
        return text
    try:
        return str(email.header.make_header(email.header.decode_header(text)))
    except (ValueError, LookupError, UnicodeError, email.errors.HeaderParseError):
        return text


def _sender(message: EmailMessage) -> str | None:
    text = _header(message, "From")
    _, address = email.utils.parseaddr(text)
    return address.strip().lower() or None


def _subject(message: EmailMessage) -> str:
    text = _decode_words(_header(message, "Subject"))
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def _date(message: EmailMessage) -> dt.datetime | None:
    text = _header(message, "Date")
    if not text:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (ValueError, TypeError, IndexError):
        return None
    # "-0000" means "zone unknown" (RFC 5322); the instant is still given in UTC
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _attachment_name(part: EmailMessage) -> str:
    try:
        name = part.get_filename()
    except (ValueError, TypeError, IndexError, AttributeError, LookupError):
        name = None
    if not name:
        try:
            param = part.get_param("name", header="content-type")
        except (ValueError, TypeError, IndexError, AttributeError, LookupError):
            param = None
        if isinstance(param, tuple):  # an RFC 2231 value the parser left undecoded
            name = email.utils.collapse_rfc2231_value(param)
        else:
            name = param
    if not name:
        return ""
    # Outlook and some webmails put RFC 2047 encoded words inside a quoted parameter (not allowed there)
    return unicodedata.normalize("NFC", _decode_words(str(name))).strip()


def safe_filename(name: str) -> str:
    """``name`` made safe to save under in any folder, on Linux or Windows: the last path component only,
    no ``..``, no control or format characters, no leading dots, Windows-reserved characters and device
    names replaced, at most ``MAX_NAME_BYTES`` bytes of UTF-8, Vietnamese letters kept (NFC), never empty.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)
    text = re.split(r"[/\\]", text)[-1]
    text = _UNSAFE_CHARS.sub("_", text)
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"\s+", " ", text).strip()
    stem, dot, extension = text.rpartition(".")
    if not dot or not re.fullmatch(r"\w{1,10}", extension):
        stem, extension = text, ""
    stem = stem.strip(" .") or FALLBACK_NAME
    if _WINDOWS_RESERVED.fullmatch(stem.split(".")[0].strip()):
        stem = f"_{stem}"
    suffix = f".{extension}" if extension else ""
    budget = MAX_NAME_BYTES - len(suffix.encode())
    stem = stem.encode()[:budget].decode("utf-8", "ignore")
    return (stem.rstrip(" .") or FALLBACK_NAME) + suffix
