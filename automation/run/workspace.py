"""The workspace (SPEC §3): a folder holding a deployment — settings, register, master template,
inbox, outbox and state. ``init_workspace`` creates one with the default register of seed 000."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from automation.domain.workdays import Holiday, official_holidays
from automation.env_docs import env_example_text
from automation.errors import InputError
from automation.i18n.messages import t
from automation.plan.default_plan import default_plan
from automation.plan.register_write import write_register
from automation.settings import MASTER_NAME, REGISTER_NAME, Settings
from automation.templates.master import build_master

TEMPLATES_DIR = "workbook_templates"


@dataclass(frozen=True)
class InitResult:
    workspace: Path
    register: Path
    master: Path
    env: Path
    inbox: Path
    outbox: Path
    holidays: tuple[Holiday, ...] = ()  # the official days off written into the register's Ngày nghỉ
    years: tuple[int, ...] = ()  # the years they are of


def existing_workspace_marks(folder: Path) -> list[str]:
    """What in ``folder`` shows it is already a workspace (names, for the refusal message)."""
    marks = [".env", f"{TEMPLATES_DIR}/{REGISTER_NAME}", f"{TEMPLATES_DIR}/{MASTER_NAME}", ".baocao"]
    return [mark for mark in marks if (folder / mark).exists()]


def init_workspace(folder: Path, today: dt.date | None = None) -> InitResult:
    """Create a workspace in ``folder`` (made if missing). Refuses to overwrite an existing workspace.

    The register's ``Ngày nghỉ`` gets the official days off (Tết included) of the year of ``today`` (the
    machine's date when not given) and the next one."""
    folder = folder.expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise InputError(t("workspace.not_a_dir", path=folder))
    marks = existing_workspace_marks(folder) if folder.exists() else []
    if marks:
        raise InputError(t("workspace.exists", path=folder, what=", ".join(marks)))
    templates = folder / TEMPLATES_DIR
    templates.mkdir(parents=True, exist_ok=True)
    env = folder / ".env"
    env.write_text(env_example_text(), encoding="utf-8")
    settings = Settings.load(folder)
    year = (today or dt.date.today()).year
    years = (year, year + 1)
    holidays = official_holidays(years)
    write_register(replace(default_plan(), holidays=holidays), settings.register_path)
    build_master(settings.master_path)
    for runtime in (settings.inbox_dir, settings.outbox_dir):
        runtime.mkdir(parents=True, exist_ok=True)
    return InitResult(
        folder,
        settings.register_path,
        settings.master_path,
        env,
        settings.inbox_dir,
        settings.outbox_dir,
        holidays,
        years,
    )
