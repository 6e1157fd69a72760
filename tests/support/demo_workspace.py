"""A finished demo workspace (April and May 2025 collected), made once per test module and copied per test."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from automation.run.demo import run_demo

AS_OF = "2025-05-18T08:00"  # the demo's May collect


def make_demo(folder: Path) -> Path:
    run_demo(folder, now=dt.datetime(2025, 5, 18, 1, 0, tzinfo=dt.UTC))
    return folder


def copy_demo(template: Path, folder: Path) -> Path:
    shutil.copytree(template, folder, symlinks=True)  # copy2 keeps the inbox files' times
    return folder


def unit_rows(workspace: Path, period: str = "2025-05") -> list[tuple[str, str, str | None, str | None]]:
    """(unit, submission, received at, file) of each unit in the period's run-report.json."""
    report = json.loads((workspace / "outbox" / period / "run-report.json").read_text(encoding="utf-8"))
    return [(u["code"], u["submission"], u["received_at"], u["file"]) for u in report["units"]]


def file_outcomes(workspace: Path, period: str = "2025-05") -> dict[str, tuple[str, str]]:
    """path → (outcome, reason) of each considered file in the period's run-report.json."""
    report = json.loads((workspace / "outbox" / period / "run-report.json").read_text(encoding="utf-8"))
    return {f["path"]: (f["outcome"], f["reason"]) for f in report["files"]}
