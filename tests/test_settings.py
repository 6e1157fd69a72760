"""Settings come from .env (then the environment), with one documented default per key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from automation.env_docs import env_example_text
from automation.errors import InputError
from automation.settings import DEFAULTS, Settings

ROOT = Path(__file__).resolve().parents[1]


def test_env_example_documents_every_key_with_its_default():
    assert (ROOT / ".env.example").read_text(encoding="utf-8") == env_example_text()
    lines = [line for line in env_example_text().splitlines() if line and not line.startswith("#")]
    assert dict(line.split("=", 1) for line in lines) == DEFAULTS


@pytest.mark.parametrize(
    "key",
    [
        "INBOX_DIR",
        "OUTBOX_DIR",
        "STATE_DIR",
        "SUBMIT_BEFORE_DAY",
        "TIMEZONE",
        "MAX_FILE_MB",
        "IMAP_HOST",
        "IMAP_PORT",
        "IMAP_USER",
        "IMAP_PASSWORD",
        "IMAP_FOLDER",
        "IMAP_SECURITY",
        "SMTP_HOST",
        "SMTP_PORT",
        "SMTP_USER",
        "SMTP_PASSWORD",
        "SMTP_SECURITY",
        "SMTP_FROM",
        "COORDINATOR_EMAIL",
        "ACCEPT_UNKNOWN_SENDERS",
        "POLL_MINUTES",
        "REMIND_DAYS_BEFORE",
        "REMIND_TIME",
        "COLLECT_DAY",
        "COLLECT_TIME",
        "LATE_RECOLLECT_DAYS",
        "LANGUAGE",
    ],
)
def test_every_key_the_spec_names_is_a_setting(key):
    assert key in DEFAULTS


def test_defaults_without_env_file(tmp_path: Path):
    s = Settings.load(tmp_path)
    assert s.inbox_dir == tmp_path.resolve() / "inbox"
    assert s.register_path == tmp_path.resolve() / "workbook_templates" / "ke-hoach.xlsx"
    assert str(s.timezone) == "Asia/Ho_Chi_Minh"
    assert s.submit_before_day is None and s.collect_day is None
    assert (s.poll_minutes, s.remind_days_before, s.late_recollect_days) == (10, 2, 3)
    assert s.collect_time == dt.time(8, 0) and s.imap_security == "ssl" and s.accept_unknown_senders is False


def test_env_file_is_read_and_environment_overrides_it(tmp_path: Path):
    (tmp_path / ".env").write_text(
        "SUBMIT_BEFORE_DAY=20\nINBOX_DIR=/srv/chung/baocao\nLANGUAGE=en\n", encoding="utf-8"
    )
    s = Settings.load(tmp_path, {"SUBMIT_BEFORE_DAY": "15", "UNRELATED": "x"})
    assert s.submit_before_day == 15
    assert s.inbox_dir == Path("/srv/chung/baocao")
    assert s.language == "en"


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("SUBMIT_BEFORE_DAY", "31", "SUBMIT_BEFORE_DAY"),
        ("POLL_MINUTES", "mười", "số nguyên"),
        ("IMAP_SECURITY", "tls", "ssl, starttls, none"),
        ("COLLECT_TIME", "8h", "GG:PP"),
        ("TIMEZONE", "Hanoi", "múi giờ"),
        ("ACCEPT_UNKNOWN_SENDERS", "maybe", "true"),
    ],
)
def test_bad_setting_is_a_vietnamese_input_error_naming_the_key(tmp_path: Path, key, value, words):
    with pytest.raises(InputError) as error:
        Settings.load(tmp_path, {key: value})
    assert words in error.value.message


def test_passwords_never_appear_in_the_settings_repr(tmp_path: Path):
    s = Settings.load(tmp_path, {"IMAP_PASSWORD": "bí-mật-123", "SMTP_PASSWORD": "bí-mật-456"})
    assert "bí-mật" not in repr(s) and "bí-mật" not in str(s)
