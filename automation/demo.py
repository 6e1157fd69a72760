"""`baocao demo`: a fresh workspace on the default register and the month's unit templates, so a newcomer
sees the product in seconds. The collect stage adds simulated unit files and a consolidated workbook."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from automation.dates import Period
from automation.errors import InputError
from automation.messages import t
from automation.register import ensure_readable_plan, read_register
from automation.settings import Settings
from automation.templates import write_templates
from automation.workspace import init_workspace

# The default plan's tasks fall due in March–July 2025; May 2025 shows every kind of task at once.
DEMO_PERIOD = Period(2025, 5)
DEMO_MARK = ".baocao-demo"


@dataclass
class DemoResult:
    workspace: Path
    period: Period
    templates: list[Path] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [t("demo.done", path=self.workspace, period=self.period.label), t("demo.templates_heading")]
        lines += [f"  {path}" for path in self.templates]
        lines += [t("demo.next", path=self.workspace)]
        return lines


def _prepare(folder: Path) -> Path:
    """An empty folder for the demo; a previous demo in it is replaced, anything else is refused."""
    folder = folder.expanduser().resolve()
    if folder.exists():
        if not folder.is_dir():
            raise InputError(t("workspace.not_a_dir", path=folder))
        if any(folder.iterdir()):
            if not (folder / DEMO_MARK).exists():
                raise InputError(t("demo.folder_not_empty", path=folder))
            shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / DEMO_MARK).write_text("baocao demo\n", encoding="utf-8")
    return folder


def run_demo(folder: Path, now: dt.datetime) -> DemoResult:
    """Create the demo workspace in ``folder`` and write the templates of ``DEMO_PERIOD``."""
    folder = _prepare(folder)
    init_workspace(folder)
    settings = Settings.load(folder)
    plan = ensure_readable_plan(read_register(settings.register_path))
    generated_at = now.astimezone(settings.timezone)
    paths = write_templates(
        plan,
        settings.master_path,
        settings.period_dir(DEMO_PERIOD) / "mau",
        DEMO_PERIOD,
        settings.submit_before_day or plan.submit_before_day,
        generated_at,
    )
    return DemoResult(folder, DEMO_PERIOD, paths)
