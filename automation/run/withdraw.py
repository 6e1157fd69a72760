"""`baocao withdraw` (SPEC §6, §8): take a received file out of the record, visibly, or put it back.

What was received stays received; only a withdrawal, with its reason, takes a file out. The next collect
gives it the outcome ``withdrawn``. The withdrawal is kept in the ledger and beside the archived copy, and
undoing it keeps the history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from automation.errors import InputError
from automation.i18n.messages import t
from automation.intake.folder import display_path
from automation.settings import Settings
from automation.state.ledger import LEDGER_NAME, Ledger
from automation.state.lock import workspace_lock

MIN_PREFIX = 8
_HEX = re.compile(r"^[0-9a-fA-F]{8,64}$")


@dataclass(frozen=True)
class WithdrawResult:
    sha256: str
    paths: tuple[str, ...]  # where it was received, as the ledger and the run report show it
    undo: bool
    changed: bool  # False: it was already withdrawn (or, with undo, not withdrawn)
    reason: str | None  # the reason in force (given now, or recorded before)

    def lines(self) -> list[str]:
        params = {
            "sha": self.sha256[:12],
            "paths": ", ".join(self.paths) or t("withdraw.no_path"),
            "reason": self.reason or "",
        }
        if self.undo:
            line = t("withdraw.undone", **params) if self.changed else t("withdraw.not_withdrawn", **params)
        else:
            line = t("withdraw.done", **params) if self.changed else t("withdraw.already", **params)
        return [line] + ([t("withdraw.next")] if self.changed else [])


def known_contents(ledger: Ledger) -> dict[str, set[str]]:
    """sha256 → the paths it was seen under, from the arrivals and the latest run report of each period
    (which also name a mail's attachments)."""
    known: dict[str, set[str]] = {}
    for arrival in ledger.arrivals():
        if arrival.sha256:
            known.setdefault(arrival.sha256, set()).add(arrival.path)
    for report in ledger.latest_reports():
        for item in report.get("files", []) if isinstance(report, dict) else []:
            sha, path = item.get("sha256"), item.get("path")
            if isinstance(sha, str) and sha:
                known.setdefault(sha, set()).update([path] if isinstance(path, str) else [])
    for sha in ledger.withdrawals():
        known.setdefault(sha, set())
    return known


def resolve(target: str, settings: Settings, known: dict[str, set[str]]) -> str:
    """The sha256 that ``target`` names: a file (its bytes), a recorded path, or a hash or its prefix."""
    text = unicodedata.normalize("NFC", target.strip())
    for candidate in (Path(target), settings.workspace / target):
        if candidate.is_file():
            sha = hashlib.sha256(candidate.read_bytes()).hexdigest()
            if sha not in known:  # bytes never received (perhaps changed since): not an older version
                raise InputError(t("withdraw.unknown", target=target))
            return sha
    matches: set[str] = set()
    if _HEX.match(text):
        matches = {sha for sha in known if sha.startswith(text.lower())}
    if not matches:
        shown = {text, text.replace("\\", "/").removeprefix("./")}
        with_path = Path(text)
        if with_path.is_absolute():
            shown.add(display_path(with_path, settings.workspace))
        matches = {sha for sha, paths in known.items() if paths & shown}
    if not matches:
        raise InputError(t("withdraw.unknown", target=target))
    if len(matches) > 1:
        listed = ", ".join(
            f"{sha[:12]} ({', '.join(sorted(known[sha])) or t('withdraw.no_path')})"
            for sha in sorted(matches)
        )
        raise InputError(t("withdraw.ambiguous", target=target, count=len(matches), matches=listed))
    return matches.pop()


def withdraw(
    settings: Settings, target: str, reason: str | None, now: dt.datetime, *, undo: bool = False
) -> WithdrawResult:
    """Withdraw the received file ``target`` names (see ``resolve``) for ``reason``, or with ``undo`` put
    it back. Holds the workspace lock: a collect running at the same time finishes first."""
    reason = (reason or "").strip() or None
    if not undo and reason is None:
        raise InputError(t("withdraw.reason_required"))
    with workspace_lock(settings, "collect"), Ledger(settings.state_dir / LEDGER_NAME) as ledger:
        known = known_contents(ledger)
        sha = resolve(target, settings, known)
        paths = tuple(sorted(known.get(sha, ())))
        before = ledger.withdrawals().get(sha)
        if undo:
            changed = ledger.undo_withdraw(sha, now, reason)
            return WithdrawResult(sha, paths, True, changed, reason)
        if before is not None:
            return WithdrawResult(sha, paths, False, False, before)
        ledger.withdraw(sha, reason or "", now)
        return WithdrawResult(sha, paths, False, True, reason)
