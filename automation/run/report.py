"""The report to the province (SPEC §14): written by every collect that writes outputs, and again by
``baocao report`` from the ledger alone (the period's run report and accepted rows, the register's header
keys), with a PDF through LibreOffice headless on request.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from automation import __version__
from automation.domain.dates import Period
from automation.domain.model import Plan
from automation.errors import BaocaoError, FileError
from automation.i18n.messages import current_language, set_language, t
from automation.plan.register import missing_report_keys, read_register
from automation.settings import Settings
from automation.state.ledger import LEDGER_NAME, Ledger
from automation.state.lock import workspace_lock
from automation.write.report_facts import ReportFacts, report_facts, report_path

PDF_SECONDS = 180  # LibreOffice's first start on a slow office machine


@dataclass
class Drafted:
    docx: Path
    pdf: Path | None
    warnings: list[str]


@dataclass
class DraftJob:
    """A report draft to write: where, what, and the fingerprint to record once it is written."""

    path: Path
    facts: ReportFacts
    key: str
    fingerprint: str


def draft_job(
    settings: Settings,
    ledger: Ledger,
    plan: Plan,
    period: str,
    *,
    report: dict | None = None,
    force: bool = False,
) -> tuple[Path | None, DraftJob | None]:
    """The draft of ``period`` (its path) and, unless it is already written with the same content, the job
    that writes it. ``report`` is the period's run report as stored (the ledger's latest, by default)."""
    report = report if report is not None else ledger.last_report(period)
    if report is None:
        return None, None
    path = report_path(settings.period_dir(period), period)
    rows = ledger.rows_of(period)
    # the draft is a function of the run report, the period's rows, the register and the program: the
    # same fingerprint means the same document, so a re-run with nothing new does not write it again
    fingerprint = hashlib.sha256(
        repr((__version__, current_language(), report, rows, plan)).encode("utf-8")
    ).hexdigest()
    key = (
        path.relative_to(settings.workspace).as_posix()
        if path.is_relative_to(settings.workspace)
        else str(path)
    )
    if not force and ledger.output_fingerprints().get(key) == fingerprint and path.is_file():
        return path, None
    return path, DraftJob(path, report_facts(plan, report, rows), key, fingerprint)


def write_draft(job: DraftJob, language: str) -> None:
    """Write one draft (also in a worker process of the collect's pool, in the run's language)."""
    from automation.write.report_doc import write_report_doc  # python-docx: only where a draft is written

    set_language(language)
    write_report_doc(job.facts, job.path)


def draft_report(
    settings: Settings, ledger: Ledger, plan: Plan, period: str, *, force: bool = False
) -> Path | None:
    """Write ``bao-cao_<period>.docx`` from the ledger's latest run report and rows of ``period``."""
    path, job = draft_job(settings, ledger, plan, period, force=force)
    if job is not None:
        ledger.forget_outputs([job.key])
        write_draft(job, current_language())
        ledger.record_outputs({job.key: job.fingerprint})
    return path


def report(settings: Settings, period: Period, pdf: bool = False) -> Drafted:
    """``baocao report``: the draft again from the ledger, without reading any unit's file."""
    plan = read_register(settings.register_path).plan
    with workspace_lock(settings, "collect"), Ledger(settings.state_dir / LEDGER_NAME) as ledger:
        path = draft_report(settings, ledger, plan, str(period), force=True)
    if path is None:
        raise BaocaoError(t("report.not_collected", period=period.label))
    missing = missing_report_keys(plan)
    warnings = (
        [t("report.missing_keys", keys=", ".join(missing), path=settings.register_path)] if missing else []
    )
    return Drafted(path, to_pdf(path) if pdf else None, warnings)


def soffice() -> str | None:
    """LibreOffice's program: on the PATH, or where its Windows installer puts it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "win32":
        for root in (os.environ.get("PROGRAMFILES", ""), os.environ.get("PROGRAMFILES(X86)", "")):
            candidate = Path(root) / "LibreOffice" / "program" / "soffice.exe"
            if root and candidate.is_file():
                return str(candidate)
    return None


def to_pdf(docx: Path) -> Path:
    """``docx`` converted to PDF beside it by LibreOffice headless (its own profile, so a LibreOffice the
    coordinator has open does not block it)."""
    program = soffice()
    if program is None:
        raise BaocaoError(t("report.no_libreoffice"))
    target = docx.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="baocao-lo-") as profile, tempfile.TemporaryDirectory() as out:
        command = [
            program,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            out,
            str(docx),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=PDF_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired):
            raise BaocaoError(t("report.pdf_failed", path=docx)) from None
        made = Path(out) / f"{docx.stem}.pdf"
        if not made.is_file():
            raise BaocaoError(t("report.pdf_failed", path=docx))
        try:
            shutil.move(str(made), target)
        except OSError as exc:
            raise FileError(t("report.pdf_failed", path=target)) from exc
    return target
