"""Write stage (SPEC §7): how the collect's values are shown to people — their Vietnamese words (from the
one catalogue, ``messages``) and their colours — shared by the consolidated workbook and the feedback files.

Codes such as ``overdue`` or ``after_as_of`` never reach a person: every output goes through these.
"""

from __future__ import annotations

import datetime as dt

from automation.i18n.messages import t

# (fill, font) colours. Excel's own "Good / Neutral / Bad" pairs, so they read the same in every program
# and stay legible in grey-scale print.
GREEN = ("C6EFCE", "006100")
AMBER = ("FFEB9C", "9C5700")
RED = ("FFC7CE", "9C0006")
ORANGE = ("F8CBAD", "843C0C")
BLUE = ("DDEBF7", "1F4E78")
GREY = ("EDEDED", "404040")
LIGHT_BLUE = ("DEEAF6", "1F4E78")

EVALUATION_COLOURS: dict[str, tuple[str, str]] = {
    "completed_on_time": GREEN,
    "completed_late": AMBER,
    "in_progress": BLUE,
    "not_started": GREY,
    "recurring": GREY,
    "overdue": RED,
    "not_reported": RED,
}
# the order of the legend and of the summary's counts: good news first, as the plan lists them in §6
EVALUATION_DISPLAY_ORDER: tuple[str, ...] = (
    "completed_on_time", "completed_late", "in_progress", "not_started", "recurring", "overdue", "not_reported",
)  # fmt: skip
SUBMISSION_COLOURS: dict[str, tuple[str, str]] = {
    "on_time": GREEN,
    "late": AMBER,
    "invalid": ORANGE,
    "missing": RED,
}
FLAG_COLOURS: dict[str, tuple[str, str]] = {
    "late": RED,
    "missing": RED,
    "regressed": AMBER,
    "due_soon": BLUE,
}
OUTCOME_COLOURS: dict[str, tuple[str, str]] = {
    "accepted": GREEN,
    "superseded": GREY,
    "duplicate": GREY,
    "rejected": RED,
    "other_period": GREY,
    "after_as_of": AMBER,
    "ignored": GREY,
}
# finding highlights: red for an error, amber for a warning, light blue for an automatic correction
SEVERITY_COLOURS: dict[str, tuple[str, str]] = {"error": RED, "warning": AMBER, "info": LIGHT_BLUE}

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


def evaluation_label(value: str) -> str:
    return t(f"out.eval.{value}")


def flag_label(value: str) -> str:
    return t(f"out.flag.{value}")


def submission_label(value: str) -> str:
    return t(f"out.submission.{value}")


def outcome_label(value: str) -> str:
    return t(f"out.outcome.{value}")


def status_label(value: str | None) -> str:
    """The reported status as the template's drop-down shows it; '' when there is none."""
    return t(f"out.status.{value}") if value else ""


def severity_label(value: str) -> str:
    return t(f"severity.{value}")


def source_label(value: str) -> str:
    return t(f"out.source.{value}") if value in ("folder", "email") else value


def role_label(value: str) -> str:
    return t("out.role.lead") if value == "lead" else t("out.role.support")


def period_label(period: str | None) -> str:
    """``2025-05`` → ``05/2025``, the way the templates and people write a period."""
    if not period or len(period) != 7 or period[4] != "-":
        return period or ""
    return f"{period[5:]}/{period[:4]}"


def local_time(moment: dt.datetime, zone: dt.tzinfo | None) -> dt.datetime:
    """``moment`` as a naive wall-clock time in ``zone`` (Excel has no time zones); a naive ``moment`` is
    taken as already local."""
    if moment.tzinfo is None or zone is None:
        return moment.replace(tzinfo=None)
    return moment.astimezone(zone).replace(tzinfo=None)


def format_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day is not None else ""


def format_local(moment: dt.datetime | None, zone: dt.tzinfo | None) -> str:
    """``16/05/2025 08:00`` in local time; '' for no time."""
    return local_time(moment, zone).strftime("%d/%m/%Y %H:%M") if moment is not None else ""


def deadline_text(deadline: dt.datetime, zone: dt.tzinfo | None) -> str:
    """``trước 00:00 ngày 16/05/2025``: the cut-off as the plan words it."""
    local = local_time(deadline, zone)
    return t("out.before_time", time=local.strftime("%H:%M"), date=local.strftime("%d/%m/%Y"))
