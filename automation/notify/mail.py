"""Mail out (SPEC §10): receipts after a collect, the results to the coordinator, reminders.

Every message is Vietnamese (or English with ``LANGUAGE=en``) from the catalogue; subjects and attachment
names are encoded by the standard ``email`` package (RFC 2047 / RFC 2231, UTF-8 bodies). What was sent is
recorded in the ledger under a key (``receipt:<path>:<sha256>``, ``results:<period>:<fingerprint>``,
``remind:<period>:<unit>:<day>``) right after the server accepted it, so nothing is sent twice and what
was not sent (the server was down, a login failed) is sent by the next run. Passwords are never printed.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import mimetypes
import re
import smtplib
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from automation.domain.contract import template_name
from automation.domain.dates import Period
from automation.domain.model import (
    SEVERITY_ORDER,
    CollectOutput,
    FileRecord,
    Finding,
    Plan,
    RunResult,
    Unit,
    UnitStatus,
)
from automation.errors import MailError, mail_error_detail
from automation.i18n.messages import t
from automation.settings import Settings
from automation.state.ledger import LEDGER_NAME, Ledger
from automation.state.lock import workspace_lock
from automation.write.labels import outcome_label, period_label

DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "none": 25}
MAX_FINDINGS_IN_BODY = 40
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Outgoing:
    key: str  # what the ledger remembers, so it is never sent twice
    kind: str  # "receipt", "results" or "remind"
    to: str
    subject: str
    body: str
    attachments: list[Path] = field(default_factory=list)


@dataclass
class SendResult:
    sent: list[Outgoing] = field(default_factory=list)
    refused: list[Outgoing] = field(default_factory=list)  # the server refused the address: not retried
    already: int = 0  # sent by an earlier run


def smtp_configured(settings: Settings) -> bool:
    return bool(settings.smtp_host)


def _login(server: smtplib.SMTP, user: str, password: str) -> None:
    """LOGIN as smtplib does it, or AUTH PLAIN in UTF-8 (RFC 4616) when the user or password is not ASCII:
    smtplib can only send ASCII credentials."""
    if (user + password).isascii():
        server.login(user, password)
        return
    server.ehlo_or_helo_if_needed()
    token = base64.b64encode(b"\0" + user.encode("utf-8") + b"\0" + password.encode("utf-8")).decode()
    code, reply = server.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


@contextmanager
def smtp_session(settings: Settings) -> Iterator[smtplib.SMTP]:
    """A logged-in SMTP connection as SMTP_SECURITY says; failures are a one-line ``MailError``."""
    host, security = settings.smtp_host, settings.smtp_security
    port = settings.smtp_port or DEFAULT_PORTS[security]
    context = ssl.create_default_context()
    try:
        if security == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=60, context=context)
        else:
            server = smtplib.SMTP(host, port, timeout=60)
            if security == "starttls":
                server.starttls(context=context)
        if settings.smtp_user:
            _login(server, settings.smtp_user, settings.smtp_password)
    except smtplib.SMTPAuthenticationError:
        raise MailError(t("mail.smtp_login_failed", host=host, user=settings.smtp_user)) from None
    except ssl.SSLError as exc:
        raise MailError(
            t("mail.smtp_tls_failed", host=host, port=port, detail=mail_error_detail(exc))
        ) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(
            t("mail.smtp_connect_failed", host=host, port=port, detail=mail_error_detail(exc))
        ) from None
    try:
        yield server
    finally:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()


def compose(settings: Settings, item: Outgoing, now: dt.datetime) -> EmailMessage:
    message = EmailMessage()
    sender = settings.smtp_from or settings.smtp_user
    message["From"] = sender
    message["To"] = item.to
    message["Subject"] = item.subject
    message["Date"] = formatdate(now.timestamp(), localtime=False)
    domain = sender.rpartition("@")[2] or socket.getfqdn()
    message["Message-ID"] = make_msgid("baocao", domain=domain)
    message.set_content(item.body)
    for path in item.attachments:
        kind = XLSX_TYPE if path.suffix.lower() == ".xlsx" else mimetypes.guess_type(path.name)[0]
        main, _, sub = (kind or "application/octet-stream").partition("/")
        message.add_attachment(path.read_bytes(), maintype=main, subtype=sub, filename=path.name)
    return message


def send_all(settings: Settings, ledger: Ledger, items: list[Outgoing], now: dt.datetime) -> SendResult:
    """Send the ``items`` not sent before; each is recorded as sent as soon as the server took it."""
    result = SendResult()
    done = ledger.sent_keys([item.key for item in items])
    pending = [item for item in items if item.key not in done]
    result.already = len(items) - len(pending)
    if not pending:
        return result
    with smtp_session(settings) as server:
        for item in pending:
            message = compose(settings, item, now)
            try:
                server.send_message(message)
            except smtplib.SMTPRecipientsRefused:
                ledger.record_sent(item.key, item.kind, item.to, item.subject, now, refused=True)
                result.refused.append(item)
                continue
            except (OSError, smtplib.SMTPException) as exc:
                raise MailError(
                    t(
                        "mail.smtp_send_failed",
                        to=item.to,
                        sent=len(result.sent),
                        detail=mail_error_detail(exc),
                    )
                ) from None
            ledger.record_sent(item.key, item.kind, item.to, item.subject, now)
            result.sent.append(item)
    return result


# --- what a collect sends ---------------------------------------------------------------------------


def _finding_line(finding: Finding) -> str:
    where = f"{finding.sheet}!{finding.cell}" if finding.sheet and finding.cell else (finding.sheet or "")
    task = f" ({finding.task})" if finding.task else ""
    place = f"{where}{task}: " if where or task else ""
    return f"- {t('severity.' + finding.severity)} — {place}{finding.message}"


def _findings_text(findings: list[Finding]) -> str:
    ordered = sorted(dict.fromkeys(findings), key=lambda f: SEVERITY_ORDER[f.severity])
    if not ordered:
        return t("mail.receipt.no_findings")
    lines = [_finding_line(f) for f in ordered[:MAX_FINDINGS_IN_BODY]]
    if len(ordered) > MAX_FINDINGS_IN_BODY:
        lines.append(t("mail.receipt.more_findings", count=len(ordered) - MAX_FINDINGS_IN_BODY))
    return "\n".join(lines)


def _when(moment: dt.datetime | None, settings: Settings) -> str:
    return moment.astimezone(settings.timezone).strftime("%H:%M %d/%m/%Y") if moment else "?"


def receipts(settings: Settings, result: RunResult, feedback: dict[str, Path]) -> list[Outgoing]:
    """One receipt per file that came by email and was judged in this run: its outcome, its findings and,
    when the unit's feedback workbook is about this very file, that workbook attached."""
    items = []
    names = {u.code: u.name for u in result.plan.units}
    for record in result.files:
        if record.source != "email" or not record.sender or not record.sha256:
            continue
        if record.outcome in ("ignored", "after_as_of"):
            continue  # not judged yet: its receipt comes with the run that judges it
        attached = feedback.get(record.path)
        name = record.path.rsplit("/", 1)[-1]
        items.append(
            Outgoing(
                key=f"receipt:{record.path}:{record.sha256}",
                kind="receipt",
                to=record.sender,
                subject=t("mail.receipt.subject", file=name, outcome=outcome_label(record.outcome)),
                body=_receipt_body(settings, result, record, names.get(record.unit or "", ""), attached),
                attachments=[attached] if attached else [],
            )
        )
    return items


def _receipt_body(
    settings: Settings, result: RunResult, record: FileRecord, unit_name: str, attached: Path | None
) -> str:
    findings = [*record.findings, *(f for f in result.findings if f.file == record.path)]
    text = t(
        "mail.receipt.body",
        file=record.path.rsplit("/", 1)[-1],
        received=_when(record.received_at, settings),
        unit=unit_name or record.unit or t("mail.receipt.unknown_unit"),
        period=period_label(record.period or result.period),
        outcome=outcome_label(record.outcome),
        reason=record.reason or "",
        findings=_findings_text(findings),
        attached=t("mail.receipt.attached") if attached else "",
    )
    return re.sub(r"\n{3,}", "\n\n", text.replace(" \n", "\n"))


def results_mail(
    settings: Settings, result: RunResult, report: dict, workbook: Path, lines: list[str]
) -> Outgoing:
    """The consolidated workbook and the summary for COORDINATOR_EMAIL; sent again only when the verdicts
    change (the run report without its as-of time)."""
    facts = {key: value for key, value in report.items() if key != "as_of"}
    fingerprint = hashlib.sha256(json.dumps(facts, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    return Outgoing(
        key=f"results:{result.period}:{fingerprint}",
        kind="results",
        to=settings.coordinator_email,
        subject=t(
            "mail.results.subject", period=period_label(result.period), as_of=_when(result.as_of, settings)
        ),
        body=t("mail.results.body", summary="\n".join(lines), workbook=workbook.name),
        attachments=[workbook],
    )


def _after_collect(settings: Settings, output: CollectOutput) -> list[Outgoing]:
    from automation.write.text import summary_lines

    result = output.result
    folder = settings.period_dir(result.period) / "phan-hoi"
    feedback = {
        status.file: folder / f"{status.unit.code}_{result.period}.xlsx"
        for status in result.units
        if status.file and (folder / f"{status.unit.code}_{result.period}.xlsx").is_file()
    }
    items = receipts(settings, result, feedback)
    if settings.coordinator_email and output.workbook is not None and output.report_data is not None:
        items.append(
            results_mail(settings, result, output.report_data, output.workbook, summary_lines(result))
        )
    return items


def send_after_collect(
    settings: Settings, output: CollectOutput, now: dt.datetime
) -> tuple[int, SendResult | None]:
    """After a collect: the receipts of the files that came by email and the results for the coordinator.

    Returns how many messages the run has to send (before looking at what earlier runs sent) and what was
    sent: None when SMTP_HOST is not set (nothing is sent; the caller says so). Holds the workspace lock
    while sending, so two runs never send the same receipt twice.
    """
    items = _after_collect(settings, output)
    if not smtp_configured(settings):
        return len(items), None
    if not items:
        return 0, SendResult()
    with workspace_lock(settings, "collect"), Ledger(settings.state_dir / LEDGER_NAME) as ledger:
        return len(items), send_all(settings, ledger, items, now)


def send_reminders(
    settings: Settings, plan: Plan, result: RunResult, now: dt.datetime
) -> tuple[SendResult | None, list[UnitStatus], list[Unit]]:
    """A reminder to each unit with nothing accepted for the period yet (missing or only invalid files),
    naming the deadline, with the unit's template attached (written first if it is not there yet).

    Returns (what was sent, or None without SMTP_HOST; the units due a reminder; those with no address in
    the register). At most one reminder per unit and day.
    """
    period = Period.parse(result.period)
    due = [status for status in result.units if status.submission in ("missing", "invalid")]
    reachable = [status for status in due if status.unit.emails]
    without = [status.unit for status in due if not status.unit.emails]
    if not smtp_configured(settings):
        return None, due, without
    folder = settings.period_dir(period) / "mau"
    missing = [s.unit.code for s in reachable if not (folder / template_name(s.unit.code, period)).is_file()]
    if missing:
        from automation.templates.generate import (
            write_templates,  # openpyxl: only when a template must be written
        )

        day = settings.submit_before_day or plan.submit_before_day
        write_templates(
            plan, settings.master_path, folder, period, day, now, missing, settings.coordinator_email
        )
    deadline = result.submission_deadline.astimezone(settings.timezone)
    last_day = deadline - dt.timedelta(days=1)  # "before the 16th" = by the end of the 15th
    items = [
        Outgoing(
            key=f"remind:{result.period}:{status.unit.code}:{now.astimezone(settings.timezone).date()}",
            kind="remind",
            to=", ".join(status.unit.emails),
            subject=t(
                "mail.remind.subject", period=period_label(result.period), deadline=f"{deadline:%d/%m/%Y}"
            ),
            body=t(
                "mail.remind.body",
                unit=status.unit.name,
                period=period_label(result.period),
                deadline=f"{deadline:%d/%m/%Y}",
                last_day=f"{last_day:%d/%m/%Y}",
                state=t(f"mail.remind.state.{status.submission}"),
                template=template_name(status.unit.code, period),
            ),
            attachments=[folder / template_name(status.unit.code, period)],
        )
        for status in reachable
    ]
    with workspace_lock(settings, "collect"), Ledger(settings.state_dir / LEDGER_NAME) as ledger:
        return send_all(settings, ledger, items, now), due, without
