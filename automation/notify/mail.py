"""Mail out (SPEC §10, §14): receipts after a collect, the month's summary to the coordinator and
leadership (an HTML mail readable on a phone, built by ``summary_mail``), reminders.

Every message is Vietnamese (or English with ``LANGUAGE=en``) from the catalogue; subjects and attachment
names are encoded by the standard ``email`` package (RFC 2047 / RFC 2231, UTF-8 bodies). What was sent is
recorded in the ledger under a key (``receipt:<path>:<sha256>``, ``results:<period>:<fingerprint>`` for
the coordinator and ``results:<period>:<fingerprint>:<address>`` for each leader,
``remind:<period>:<unit>:<day>``, ``templates:<period>:<unit>``, ``digest:<period>:<run>``,
``ubnd:<period>``) right after the server accepted it, so nothing is sent twice and what
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

from automation.domain.model import (
    SEVERITY_ORDER,
    CollectOutput,
    FileRecord,
    Finding,
    RunResult,
)
from automation.errors import MailError, mail_error_detail
from automation.i18n.messages import t
from automation.settings import Settings
from automation.state.ledger import LEDGER_NAME, Ledger
from automation.state.lock import workspace_lock
from automation.write.labels import (
    outcome_label,
    period_label,
    severity_label,
    submission_label,
)

DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "none": 25}
MAX_FINDINGS_IN_BODY = 40
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Outgoing:
    key: str  # what the ledger remembers, so it is never sent twice
    kind: str  # "receipt", "results" or "remind"
    to: str
    subject: str
    body: str
    attachments: list[Path] = field(default_factory=list)
    html: str | None = None  # an HTML alternative of ``body`` (multipart/alternative)
    reply_to: str = ""  # the mailbox baocao reads, so a unit's reply lands where it is read
    unit: str = ""  # the unit code a message to a unit is for


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
    if item.reply_to:
        message["Reply-To"] = item.reply_to
    message.set_content(item.body)
    if item.html is not None:
        message.add_alternative(item.html, subtype="html")
    for path in item.attachments:
        known = {".xlsx": XLSX_TYPE, ".docx": DOCX_TYPE}
        kind = known.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
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
    return f"- {severity_label(finding.severity)} — {place}{finding.message}"


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


def receipts(
    settings: Settings, result: RunResult, feedback: dict[str, Path], *, folder: bool = False
) -> list[Outgoing]:
    """One receipt per file that came by email and was judged in this run: its outcome, whether it came in
    time, its findings and, when the unit's feedback workbook is about this very file, that workbook
    attached. With ``folder`` (each poll, SPEC §15), files dropped in the folder get one too, sent to
    their unit's registered addresses.

    The key is the file's (``receipt:<path>:<sha256>``) whoever sends it: a file acknowledged at a poll
    gets no second receipt from the collect."""
    items = []
    units = {u.code: u for u in result.plan.units}
    for record in result.files:
        if not record.sha256 or record.outcome in ("ignored", "after_as_of"):
            continue  # not judged yet: its receipt comes with the run that judges it
        unit = units.get(record.unit or "")
        if record.source == "email":
            to = record.sender or ""
        else:
            to = ", ".join(unit.emails) if folder and unit is not None else ""
        if not to:
            continue
        attached = feedback.get(record.path)
        name = record.path.rsplit("/", 1)[-1]
        items.append(
            Outgoing(
                key=receipt_key(record),
                kind="receipt",
                to=to,
                subject=t("mail.receipt.subject", file=name, outcome=outcome_label(record.outcome)),
                body=_receipt_body(settings, result, record, unit.name if unit else "", attached),
                attachments=[attached] if attached else [],
            )
        )
    return items


def receipt_key(record: FileRecord) -> str:
    """What the ledger remembers of a file's receipt, so that it is sent once."""
    return f"receipt:{record.path}:{record.sha256}"


def _receipt_outcome(result: RunResult, record: FileRecord) -> str:
    """The outcome, with "on time" or "late" for a file of the result's period."""
    outcome = outcome_label(record.outcome)
    if record.received_at is None or record.period not in (None, result.period):
        return outcome
    timely = "late" if record.received_at >= result.submission_deadline else "on_time"
    return t("mail.receipt.outcome_timely", outcome=outcome, timeliness=submission_label(timely))


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
        outcome=_receipt_outcome(result, record),
        reason=record.reason or "",
        findings=_findings_text(findings),
        attached=t("mail.receipt.attached") if attached else "",
    )
    return re.sub(r"\n{3,}", "\n\n", text.replace(" \n", "\n"))


def results_mails(settings: Settings, result: RunResult, report: dict, workbook: Path) -> list[Outgoing]:
    """The month's summary (HTML with a plain-text alternative) with the workbook and, when it is there,
    the report draft attached: one message to COORDINATOR_EMAIL and one to each LEADERSHIP_EMAIL address.

    Sent again only when the verdicts change (the run report without its as-of time). The coordinator's
    key is the one the plain results mail always had, so an upgrade does not mail the same verdicts twice.
    """
    from automation.notify.summary_mail import month_summary, summary_html, summary_text

    if not settings.coordinator_email and not settings.leadership_emails:
        return []
    facts = {key: value for key, value in report.items() if key != "as_of"}
    fingerprint = hashlib.sha256(json.dumps(facts, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    draft = settings.period_dir(result.period) / f"bao-cao_{result.period}.docx"
    attachments = [workbook, *([draft] if draft.is_file() else [])]
    subject = t(
        "mail.results.subject", period=period_label(result.period), as_of=_when(result.as_of, settings)
    )
    summary = month_summary(result, [path.name for path in attachments])
    text, page = summary_text(summary), summary_html(summary, subject)
    recipients = [(settings.coordinator_email, f"results:{result.period}:{fingerprint}")]
    recipients += [
        (address, f"results:{result.period}:{fingerprint}:{address.lower()}")
        for address in settings.leadership_emails
    ]
    items: list[Outgoing] = []
    seen: set[str] = set()
    for to, key in recipients:
        if not to or to.lower() in seen:
            continue  # a coordinator who is also listed as a leader gets one message
        seen.add(to.lower())
        items.append(Outgoing(key, "results", to, subject, text, list(attachments), page))
    return items


def _after_collect(settings: Settings, output: CollectOutput) -> list[Outgoing]:
    result = output.result
    folder = settings.period_dir(result.period) / "phan-hoi"
    feedback = {
        status.file: folder / f"{status.unit.code}_{result.period}.xlsx"
        for status in result.units
        if status.file and (folder / f"{status.unit.code}_{result.period}.xlsx").is_file()
    }
    items = receipts(settings, result, feedback)
    if output.workbook is not None and output.report_data is not None:
        items += results_mails(settings, result, output.report_data, output.workbook)
    return items


def send_after_collect(
    settings: Settings, output: CollectOutput, now: dt.datetime
) -> tuple[int, SendResult | None]:
    """After a collect: the receipts of the files that came by email and the month's summary for the
    coordinator and leadership.

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


def send_items(settings: Settings, items: list[Outgoing], now: dt.datetime) -> SendResult | None:
    """Send ``items`` under the workspace lock; None without SMTP_HOST (nothing sent)."""
    if not smtp_configured(settings):
        return None
    if not items:
        return SendResult()
    with workspace_lock(settings, "collect"), Ledger(settings.state_dir / LEDGER_NAME) as ledger:
        return send_all(settings, ledger, items, now)
