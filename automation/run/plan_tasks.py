"""The coordinator's use cases around the plan (SPEC §4, §5, §8): check the register (and fill what the
plan's own words say), import a plan document, write the period's templates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from automation.domain.dates import Period
from automation.domain.model import Unit
from automation.notify.calendar_mail import send_templates_mail, units_without_template_mail
from automation.notify.mail import SendResult
from automation.plan.importer import ImportReport, import_to_register
from automation.plan.register import RegisterReading, read_register
from automation.plan.register_write import fix_register
from automation.run.month import load_plan
from automation.settings import Settings
from automation.templates.generate import write_templates


@dataclass
class Checked:
    fixed: int | None  # cells filled by --fix (None without --fix)
    reading: RegisterReading


def check_plan(settings: Settings, fix: bool = False) -> Checked:
    """Validate the register ("5 rõ"); with ``fix``, fill deadlines and recurring marks first."""
    fixed = fix_register(settings.register_path) if fix else None
    return Checked(fixed, read_register(settings.register_path))


def import_plan(settings: Settings, document: Path, out: Path | None, force: bool) -> ImportReport:
    """Read a plan document into a register (the workspace's, unless ``out``)."""
    return import_to_register(document, out if out is not None else settings.register_path, force=force)


def period_templates(
    settings: Settings, period: Period, now: dt.datetime, units: list[str] | None = None
) -> tuple[list[Path], Path]:
    """Write each unit's template for ``period`` (or only ``units``'); the paths and their folder."""
    plan = load_plan(settings)
    folder = settings.period_dir(period) / "mau"
    paths = write_templates(
        plan,
        settings.master_path,
        folder,
        period,
        settings.submit_before_day or plan.submit_before_day,
        now,
        units,
        how_to_send=settings.how_to_send(),
    )
    return paths, folder


@dataclass
class TemplatesSent:
    paths: list[Path]  # the templates written
    folder: Path
    without_address: list[Unit]  # units the register gives no address (not mailed)
    sent: SendResult | None  # None when SMTP_HOST is not set


def send_templates(
    settings: Settings, period: Period, now: dt.datetime, *, new_only: bool = False
) -> TemplatesSent:
    """Write ``period``'s templates and mail each unit its own, the guide and the deadline in the body;
    once per unit and period (a second run mails only the units not mailed yet). ``new_only`` (each poll
    after the templates went out): write and mail only the templates of units not mailed yet, such as a
    unit added to the register since."""
    plan = load_plan(settings)
    folder = settings.period_dir(period) / "mau"
    day = settings.submit_before_day or plan.submit_before_day
    without = [unit for unit in plan.units if not unit.emails]
    if new_only:
        if not settings.smtp_host:
            return TemplatesSent([], folder, [], None)
        units = units_without_template_mail(settings, plan, period)
        if not units:
            return TemplatesSent([], folder, [], SendResult())
        paths = write_templates(
            plan,
            settings.master_path,
            folder,
            period,
            day,
            now,
            [u.code for u in units],
            settings.how_to_send(),
        )
        without = []
    else:
        paths, folder = period_templates(settings, period, now)
        units = list(plan.units)
    sent = send_templates_mail(settings, plan, period, units, period.day(day), now)
    return TemplatesSent(paths, folder, without, sent)
