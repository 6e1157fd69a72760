"""Write stage (SPEC §7): how the collect's values are shown to people — their Vietnamese words (from the
one catalogue, ``messages``) and their colours — shared by the consolidated workbook and the feedback files.

Codes such as ``overdue`` or ``after_as_of`` never reach a person: every output goes through these.
"""

from __future__ import annotations

import datetime as dt

from automation.i18n.messages import N_, t

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


# value -> message id, written out so that the extractor (docs/translations.md) sees every id
_EVALUATIONS = {
    "completed_on_time": N_("out.eval.completed_on_time"),
    "completed_late": N_("out.eval.completed_late"),
    "in_progress": N_("out.eval.in_progress"),
    "not_started": N_("out.eval.not_started"),
    "overdue": N_("out.eval.overdue"),
    "recurring": N_("out.eval.recurring"),
    "not_reported": N_("out.eval.not_reported"),
}
_FLAGS = {
    "late": N_("out.flag.late"),
    "missing": N_("out.flag.missing"),
    "due_soon": N_("out.flag.due_soon"),
    "regressed": N_("out.flag.regressed"),
}
_SUBMISSIONS = {
    "on_time": N_("out.submission.on_time"),
    "late": N_("out.submission.late"),
    "invalid": N_("out.submission.invalid"),
    "missing": N_("out.submission.missing"),
}
_OUTCOMES = {
    "accepted": N_("out.outcome.accepted"),
    "superseded": N_("out.outcome.superseded"),
    "duplicate": N_("out.outcome.duplicate"),
    "rejected": N_("out.outcome.rejected"),
    "other_period": N_("out.outcome.other_period"),
    "after_as_of": N_("out.outcome.after_as_of"),
    "ignored": N_("out.outcome.ignored"),
    "pending": N_("out.outcome.pending"),
    "withdrawn": N_("out.outcome.withdrawn"),
}
_STATUSES = {
    "not_started": N_("out.status.not_started"),
    "in_progress": N_("out.status.in_progress"),
    "done": N_("out.status.done"),
}
_SEVERITIES = {"error": N_("severity.error"), "warning": N_("severity.warning"), "info": N_("severity.info")}
_SOURCES = {"folder": N_("out.source.folder"), "email": N_("out.source.email")}
_REMIND_STATES = {"missing": N_("mail.remind.state.missing"), "invalid": N_("mail.remind.state.invalid")}


def _label(ids: dict[str, str], value: str) -> str:
    """The words for ``value``; the code itself if it has none (a newer value must not stop a run)."""
    msgid = ids.get(value)
    return t(msgid) if msgid else value


def evaluation_label(value: str) -> str:
    return _label(_EVALUATIONS, value)


def flag_label(value: str) -> str:
    return _label(_FLAGS, value)


def submission_label(value: str) -> str:
    return _label(_SUBMISSIONS, value)


def outcome_label(value: str) -> str:
    return _label(_OUTCOMES, value)


def status_label(value: str | None) -> str:
    """The reported status as the template's drop-down shows it; '' when there is none."""
    return _label(_STATUSES, value) if value else ""


def severity_label(value: str) -> str:
    return _label(_SEVERITIES, value)


def source_label(value: str) -> str:
    return _label(_SOURCES, value)


def remind_state_label(value: str) -> str:
    """Why a unit is reminded: no report yet, or only files that could not be used."""
    return _label(_REMIND_STATES, value)


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
