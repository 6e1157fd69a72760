"""Shared fixtures. Every test runs in Vietnamese unless it sets the language itself."""

from __future__ import annotations

import pytest

from automation.i18n import messages

# Real mail servers for the email tests (issue 6): Dovecot IMAP, a connection-dropping proxy, an SMTP sink.
from tests.support.mailserver import (  # noqa: F401
    dovecot,
    dovecot_tls,
    drop_proxy,
    mail_certificate,
    smtp_sink,
)


@pytest.fixture(autouse=True)
def _files_settle_at_once(monkeypatch):
    """Tests write unit files and collect at once: no settle wait unless a test is about settling
    (those set SETTLE_SECONDS themselves, in .env or the environment of the command they run)."""
    monkeypatch.setenv("SETTLE_SECONDS", "0")


@pytest.fixture(autouse=True)
def _vietnamese():
    messages.set_language("vi")
    yield
    messages.set_language("vi")
