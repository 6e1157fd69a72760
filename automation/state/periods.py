"""Published periods (SPEC §12): closing a period freezes it; re-collecting an open period after the
register changed says what changed since its previous run.

A period is closed by ``baocao close`` once its report has gone to the province. A later collect of it
stops (``PeriodClosed``) unless it is reopened with a reason, which the ledger records. Each run keeps a
snapshot of the register facts its verdicts depend on, so the next run of the period can name the tasks
and units that changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from automation.domain.model import Plan
from automation.errors import BaocaoError
from automation.i18n.messages import t
from automation.state.ledger import Ledger


class PeriodClosed(BaocaoError):
    """The period is closed: its verdicts and outputs stay as published."""


class NotCollected(BaocaoError):
    """A period that was never collected cannot be closed."""


def register_snapshot(plan: Plan) -> dict[str, dict[str, dict[str, object]]]:
    """The register facts a period's verdicts depend on, by task and by unit (JSON-ready)."""
    return {
        "tasks": {
            task.code: {
                "group": task.group,
                "content": task.content,
                "lead": task.lead,
                "deadline": task.deadline.isoformat() if task.deadline else None,
                "recurring": task.recurring,
            }
            for task in plan.tasks
        },
        "units": {
            unit.code: {"name": unit.name, "aliases": list(unit.aliases), "emails": list(unit.emails)}
            for unit in plan.units
        },
    }


def register_changes(before: dict | None, after: dict) -> dict[str, dict[str, list[str]]]:
    """Tasks and units added, removed or changed between two snapshots; empty when nothing changed or
    there is no earlier snapshot."""
    if not before:
        return {}
    changes: dict[str, dict[str, list[str]]] = {}
    for kind in ("tasks", "units"):
        old, new = before.get(kind, {}), after.get(kind, {})
        found = {
            "added": sorted(set(new) - set(old)),
            "removed": sorted(set(old) - set(new)),
            "changed": sorted(code for code in set(old) & set(new) if old[code] != new[code]),
        }
        found = {what: codes for what, codes in found.items() if codes}
        if found:
            changes[kind] = found
    return changes


def guard_open(ledger: Ledger, period: str, reopen_reason: str | None, now: dt.datetime) -> None:
    """Stop when ``period`` is closed, unless it is reopened now with a reason (recorded)."""
    closed = ledger.period_closed(period)
    if closed is None:
        return
    if not reopen_reason:
        at, _ = closed
        raise PeriodClosed(t("period.closed", period=_label(period), at=f"{at:%d/%m/%Y %H:%M}"))
    ledger.record_period_event(period, "reopen", now, reopen_reason)


@dataclass(frozen=True)
class Closed:
    period: str
    at: dt.datetime
    already: bool


def close_period(ledger: Ledger, period: str, now: dt.datetime, reason: str | None = None) -> Closed:
    """Close ``period`` (it must have been collected); closing a closed period changes nothing."""
    closed = ledger.period_closed(period)
    if closed is not None:
        return Closed(period, closed[0], already=True)
    if ledger.last_report(period) is None:
        raise NotCollected(t("period.not_collected", period=_label(period)))
    ledger.record_period_event(period, "close", now, reason)
    return Closed(period, now, already=False)


def _label(period: str) -> str:
    return f"{period[5:]}/{period[:4]}"
