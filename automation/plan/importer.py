"""Plan import (SPEC §4, §8): the plan document itself read into the register, so no one retypes tasks.

Stage: before the month; everything later reads the register. ``documents`` gives the text as marked
paragraphs and tables; this module finds the tasks in them, ``plan_header`` the header and reporting rule,
``unit_names`` the units the leads name, and ``register_write.write_register`` writes the plan.

- Sections are the roman headings. Those about tasks (``NỘI DUNG``, ``NHIỆM VỤ``, ``GIẢI PHÁP``) are read;
  ``MỤC ĐÍCH, YÊU CẦU``, ``MỤC TIÊU``, ``TỔ CHỨC THỰC HIỆN`` and ``KINH PHÍ`` are not.
- In a task section an item with numbered children (``1.`` over ``1.1.``) is a group, written ``"1. …"``;
  an item with fields (``- Cơ quan chủ trì:``, ``- Thời gian thực hiện:``, ``- Sản phẩm:`` …) is a task;
  an item without fields followed by bullets (``3. …, cụ thể:``) groups the bullet tasks ``3.1``, ``3.2``…;
  any other item is a task whose lead and deadline are left for the coordinator.
- A Word table whose header names the task columns is a task table. A row merged across, or with only a
  roman or letter ``STT``, is a group row; a plain ``STT`` n under group ``II`` becomes the code ``2.n``.
  When such a table exists, general items of the prose that name no lead or deadline are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from automation.domain.dates import parse_deadline_words
from automation.domain.model import Finding, Plan, Task
from automation.domain.text import clean_phrase, clean_text, fold, sentence_case
from automation.errors import FileError, InputError, os_error_reason
from automation.i18n.messages import N_, t
from automation.plan.documents import (
    Document,
    Paragraph,
    Table,
    is_page_number,
    marker,
    paragraphs,
    read_document,
    roman_value,
    sections,
)
from automation.plan.header import (
    Header,
    Signature,
    agency_symbol,
    default_ubnd_day,
    find_coordinator,
    parse_header,
    parse_signature,
    plan_id,
    province_bodies,
    report_days,
    upper_plan_id,
)
from automation.plan.register_write import write_register
from automation.plan.unit_names import Units, split_leads

_FIELDS = ("lead", "coord", "words", "product")
_MISSING_WORDS = {
    "plan.missing_lead": N_("import.missing.lead"),
    "plan.missing_deadline": N_("import.missing.deadline"),
    "plan.deadline_words_unknown": N_("import.missing.words"),
    "plan.missing_product": N_("import.missing.product"),
}
_SHOWN_WITH_THE_DAYS = ("plan.import_no_report_day", "plan.import_ubnd_day_assumed")


@dataclass
class ImportReport:
    """What ``plan import`` found: the Plan, findings (rules ``plan.*``) and whether the appendix is absent."""

    plan: Plan
    source: Path
    findings: list[Finding] = field(default_factory=list)
    appendix_missing: bool = False
    register: Path | None = None
    submit_words: str = ""
    ubnd_words: str = ""

    def lines(self) -> list[str]:
        """The summary the CLI prints: what was found, each task, what each lacks by the "5 rõ", notes."""
        plan, none = self.plan, t("import.none")
        signed = plan.signed_on.strftime("%d/%m/%Y") if plan.signed_on else ""
        out = [t("import.read", path=self.source)]
        out += [
            t("import.plan_id", value=plan.id or none),
            t("import.number", value=plan.number or none),
            t("import.title", value=plan.title or none),
            t("import.issuer", value=plan.issuer or none),
            t("import.signed", value=signed or none),
        ]
        if plan.upper_plan:  # the plan it carries out (SPEC §16)
            out.append(t("import.upper_plan", value=plan.upper_plan))
        day, words = plan.submit_before_day, self.submit_words
        out.append(
            t("import.submit_day", day=day, words=words) if words else t("import.submit_day_default", day=day)
        )
        day, words = plan.ubnd_before_day, self.ubnd_words
        out.append(
            t("import.ubnd_day", day=day, words=words) if words else t("import.ubnd_day_default", day=day)
        )
        if coordinator := plan.unit(plan.coordinator):
            out.append(t("import.coordinator", code=coordinator.code, name=coordinator.name))
        out.append(t("import.units", count=len(plan.units)))
        out += [t("import.unit", code=unit.code, name=unit.name) for unit in plan.units]
        out.append(t("import.tasks", count=len(plan.tasks)) if plan.tasks else t("import.no_tasks_line"))
        for task in plan.tasks:
            when = [task.deadline.strftime("%d/%m/%Y")] if task.deadline else []
            when += [t("task.recurring_short")] if task.recurring else []
            content = task.content if len(task.content) <= 90 else task.content[:89].rstrip() + "…"
            out.append(
                t(
                    "import.task",
                    code=task.code,
                    content=content,
                    lead=task.lead or none,
                    deadline=" — ".join(when) or none,
                )
            )
        out += [
            f.message
            for f in self.findings
            if f.rule not in _MISSING_WORDS and f.rule not in _SHOWN_WITH_THE_DAYS
        ]
        missing: dict[str, list[str]] = {}
        for finding in self.findings:
            if finding.task and finding.rule in _MISSING_WORDS:
                missing.setdefault(finding.task, []).append(t(_MISSING_WORDS[finding.rule]))
        if plan.tasks:
            out.append(t("import.missing_header") if missing else t("import.complete"))
            out += [
                t("import.missing_task", task=code, items="; ".join(items)) for code, items in missing.items()
            ]
        if self.register is not None:
            out += [t("import.written", path=self.register), t("import.next")]
        return out


def import_to_register(source: Path, out: Path, force: bool = False) -> ImportReport:
    """Read the plan document ``source`` (.docx, .pdf, .txt) and write it as the register ``out`` (SPEC §4).

    Raises InputError when ``out`` exists and ``force`` is False; FileError when ``source`` cannot be read
    or ``out`` cannot be written.
    """
    report = extract_plan(read_document(source))  # a bad source is said first: it is what to fix first
    if out.is_dir():
        raise FileError(t("register.cannot_write", path=out, reason=t("import.is_folder")))
    if out.exists() and not force:
        raise InputError(t("import.exists", path=out))
    try:
        write_register(report.plan, out)
    except OSError as exc:
        raise FileError(t("register.cannot_write", path=out, reason=os_error_reason(exc))) from None
    report.register = out
    return report


class _Findings(list):
    def __init__(self, file: str) -> None:
        super().__init__()
        self.file = file

    def add(self, severity: str, rule: str, task: str | None = None, **params: object) -> None:
        message = t(rule, task=task, **params) if task is not None else t(rule, **params)
        self.append(Finding(severity, rule, message, file=self.file, task=task))  # type: ignore[arg-type]


def extract_plan(document: Document) -> ImportReport:
    """The plan in ``document``: header, tasks, units and reporting rule, with what is missing. No I/O."""
    findings = _Findings(document.path.name)
    lines: list[str] = []
    table_raws: list[_Raw] = []
    for block in document.blocks:
        found = _table_tasks(block) if isinstance(block, Table) else None
        if found is not None:
            table_raws += found
        else:
            lines += [clean_text(line) for line in (block.lines() if isinstance(block, Table) else [block])]
    lines = [line for line in lines if line and not is_page_number(line)]
    appendix = [i for i, line in enumerate(lines) if fold(line).startswith("phu luc") and line.isupper()]
    ends = [i for i, line in enumerate(lines) if fold(line).startswith("noi nhan")] + appendix + [len(lines)]
    signed_off = next((i for i, line in enumerate(lines) if fold(line).startswith("noi nhan")), None)
    tail = lines[signed_off:] if signed_off is not None else []
    lines, appendix_in_document = lines[: min(ends)], bool(appendix)
    kinds = [(i, para.kind) for i, para in ((i, marker(line)) for i, line in enumerate(lines)) if para]
    start = next(
        (i for i, k in kinds if k == "roman"), next((i for i, k in kinds if k == "number"), len(lines))
    )
    head = parse_header(lines[:start])
    paras = paragraphs(lines[start:])

    prose: list[_Raw] = []
    referenced = any(
        re.search(r"phu luc kem theo(?! ke hoach so)|chi tiet tai phu luc", fold(p.text)) for p in paras
    )
    for heading, section in sections(paras):
        if not heading or _is_task_section(heading):
            referenced |= "phu luc" in fold(heading)
            prose += _prose_tasks(heading, section)
    if table_raws and prose and not any(raw.fields for raw in prose):
        findings.add("info", N_("plan.import_general_skipped"), count=len(prose))
        prose = []
    units = Units(head.issuer)
    tasks = _tasks(prose + table_raws, units, findings)

    (submit_day, submit_words), ubnd, sentence = report_days(paras)
    if not submit_words:
        findings.add("warning", N_("plan.import_no_report_day"), day=submit_day)
    ubnd_day, ubnd_words = ubnd or (default_ubnd_day(submit_day), "")
    if not ubnd_words:
        findings.add("info", N_("plan.import_ubnd_day_assumed"), day=ubnd_day)
    for day, words in ((submit_day, submit_words), (ubnd_day, ubnd_words)):
        if day > 28:
            findings.add("warning", N_("plan.import_day_clamped"), words=words)
    coordinator = find_coordinator(sentence, units)

    appendix_missing = referenced and not table_raws
    if appendix_missing:
        rule = (
            N_("plan.import_appendix_unreadable")
            if appendix_in_document
            else N_("plan.import_appendix_missing")
        )
        findings.add("warning", rule, count=len(tasks))
    if not tasks and not appendix_missing:
        findings.add("error", N_("plan.import_no_tasks"))
    for value, rule in ((head.title, N_("plan.import_no_title")), (head.issuer, N_("plan.import_no_issuer"))):
        if not value:
            findings.add("warning", rule)
    plan = Plan(
        id=plan_id(head.number, head.issuer, head.title),
        title=head.title,
        number=head.number,
        issuer=head.full_issuer,
        signed_on=head.signed,
        submit_before_day=max(1, min(submit_day, 28)),
        ubnd_before_day=max(1, min(ubnd_day, 28)),
        coordinator=coordinator,
        units=units.units(),
        tasks=tuple(tasks),
        **_report_keys(head, parse_signature(tail)),
        upper_plan=upper_plan_id(head.title),
    )
    return ImportReport(plan, document.path, findings, appendix_missing, None, submit_words, ubnd_words)


class _ReportKeys(TypedDict):
    """The Plan fields of the report to the province."""

    parent_body: str
    agency_symbol: str
    place: str
    addressee: str
    recipients: tuple[str, ...]
    signer_title: str
    signer_name: str
    signing_authority: str


def _report_keys(head: Header, signature: Signature) -> _ReportKeys:
    """What the report to the province needs (SPEC §14), as far as the document says it."""
    parent, addressee = province_bodies(head.full_issuer)
    return {
        "parent_body": parent,
        "agency_symbol": agency_symbol(head.number),
        "place": head.place,
        "addressee": addressee,
        "recipients": signature.recipients,
        "signer_title": signature.title,
        "signer_name": signature.name,
        "signing_authority": signature.authority,
    }


# --- tasks -----------------------------------------------------------------------------------------------


@dataclass
class _Raw:
    """A task as the document writes it: its fields are the raw texts of ``_FIELDS``."""

    code: str
    group: str
    content: str
    fields: dict[str, str]


@dataclass
class _Node:
    code: str
    text: str
    kind: str
    fields: dict[str, str] = field(default_factory=dict)
    children: list[_Node] = field(default_factory=list)


def _is_task_section(heading: str) -> bool:
    key = fold(heading)
    if any(word in key for word in ("to chuc thuc hien", "kinh phi", "muc dich", "yeu cau", "muc tieu")):
        return False
    return any(word in key for word in ("noi dung", "nhiem vu", "giai phap"))


def _field_kind(label: str) -> str | None:
    """Which task field a label or column header names: "Cơ quan chủ trì" → lead, "Sản phẩm" → product…"""
    key = fold(label)
    if "phoi hop" in key:
        return "coord"
    if "chu tri" in key or key in ("don vi thuc hien", "co quan thuc hien"):
        return "lead"
    if any(word in key for word in ("thoi gian", "thoi han", "tien do")):
        return "words"
    if "san pham" in key or "ket qua" in key:
        return "product"
    if key in ("stt", "tt", "so tt", "so thu tu", "ma", "ma nv", "ma nhiem vu"):
        return "code"
    if any(word in key for word in ("nhiem vu", "noi dung", "giai phap", "cong viec")):
        return "content"
    return None


def _prose_tasks(section: str, paras: list[Paragraph]) -> list[_Raw]:
    top: list[_Node] = []
    numbered: dict[str, _Node] = {}
    current = last_number = None
    for para in paras:
        label, colon, value = para.text.partition(":")
        kind = _field_kind(label) if para.kind == "bullet" and colon and len(label.split()) <= 6 else None
        if kind in _FIELDS:  # a field before any item belongs to no task
            if current is not None:
                current.fields[kind] = clean_text(f"{current.fields.get(kind, '')}; {value}".strip("; "))
        elif para.kind == "number":
            node = _Node(para.code, para.text, "number")
            parent = numbered.get(para.code.rpartition(".")[0])
            (parent.children if parent else top).append(node)
            numbered[para.code] = current = last_number = node
        elif para.kind in ("letter", "bullet"):
            node = _Node("", para.text, para.kind)
            holder = last_number if para.kind == "letter" else current
            (holder.children if holder else top).append(node)
            current = node if para.kind == "letter" else current
    out: list[_Raw] = []
    for index, node in enumerate(top, start=1):
        _collect(node, node.code or str(index), section, out)
    return out


def _collect(node: _Node, code: str, group: str, out: list[_Raw]) -> None:
    heading = clean_phrase(f"{code}. {node.text}").rstrip(" :")
    numbered = [child for child in node.children if child.kind == "number"]
    if numbered:
        for child in numbered:
            _collect(child, child.code, heading, out)
    elif node.fields or not node.children:
        content = node.text
        if node.children:  # "…, cụ thể:" followed by the parts of one task
            content = f"{content.rstrip(' :;')}: " + "; ".join(clean_phrase(c.text) for c in node.children)
        out.append(_Raw(code, group, content, node.fields))
    else:
        for index, child in enumerate(node.children, start=1):
            _collect(child, f"{code}.{index}", heading, out)


def _table_tasks(table: Table) -> list[_Raw] | None:
    """The tasks of a task table, or None when no header row in its first rows names the task columns."""
    headers = [
        {kind: col for col, kind in reversed(list(enumerate(map(_field_kind, row.cells))))}
        for row in table.rows[:6]
    ]
    start = next(
        (i for i, cols in enumerate(headers) if "content" in cols and ("lead" in cols or "words" in cols)),
        None,
    )
    if start is None:
        return None
    columns = {kind: col for kind, col in headers[start].items() if kind}
    rows = [
        {kind: clean_text(row.cells[col]) if col < len(row.cells) else "" for kind, col in columns.items()}
        for row in table.rows
    ]
    stts = [cell.get("code", "").rstrip(".") for cell in rows]
    out: list[_Raw] = []
    group, group_number, counted = "", "", 0
    for index in range(start + 1, len(rows)):
        cell, stt, distinct = rows[index], stts[index], table.rows[index].distinct
        content, others = cell["content"], [cell[kind] for kind in _FIELDS if kind in cell]
        if fold(content) == fold(rows[start]["content"]) or all(
            re.fullmatch(r"\(?\d{1,2}\)?", v) for v in (stt, content, *others) if v
        ):
            continue  # blank, a second header row, or the "(1) (2) (3)" row that numbers the columns
        parent = stt.isdigit() and not any(others) and any(s.startswith(stt + ".") for s in stts[index + 1 :])
        if (
            distinct == 1
            or parent
            or all(v == content for v in others)
            or (re.fullmatch(r"[IVXL]+|[A-Z]", stt) and not any(others))
        ):
            group = clean_phrase(
                f"{stt}. {content}" if stt and content and stt != content else content or stt
            )
            mark = m.group(1) if (m := re.match(r"([IVXL]+|\d+|[A-Z])[.)]?\s", group + " ")) else ""
            group_number = str(roman_value(mark) or (ord(mark) - 64 if re.fullmatch("[A-Z]", mark) else mark))
            counted = 0
            continue
        counted += 1
        if re.fullmatch(r"\d+(?:\.\d+)+", stt) or (stt.isdigit() and not group_number):
            code = stt
        else:
            number = stt if stt.isdigit() else str(counted)
            code = f"{group_number}.{number}" if group_number else number
        out.append(_Raw(code, group, content, {kind: cell[kind] for kind in _FIELDS if cell.get(kind)}))
    return out


def _tasks(raws: list[_Raw], units: Units, findings: _Findings) -> list[Task]:
    """Tasks with resolved leads and deadlines; a finding for each of the "5 rõ" the plan leaves open."""
    tasks: list[Task] = []
    for raw in raws:
        content = clean_phrase(raw.content)
        if not content:
            continue
        code, taken, n = raw.code, {task.code for task in tasks}, 2
        while f"{code}-{n}" in taken:
            n += 1
        if code in taken:
            findings.add("warning", N_("plan.import_duplicate_code"), task=code, new=f"{code}-{n}")
            code = f"{code}-{n}"
        names = split_leads(raw.fields.get("lead", ""))
        lead = units.code_for(names[0]) if names else ""
        coordinating = clean_phrase(raw.fields.get("coord", ""))
        if len(names) > 1:
            findings.add(
                "info", N_("plan.import_several_leads"), task=code, lead=lead, others="; ".join(names[1:])
            )
            coordinating = "; ".join(part for part in (*names[1:], coordinating) if part)
        words = sentence_case(clean_phrase(raw.fields.get("words", "")))
        meaning = parse_deadline_words(words) if words else None
        product = clean_phrase(raw.fields.get("product", ""))
        if not lead:
            findings.add("error", N_("plan.missing_lead"), task=code)
        if meaning is None:
            findings.add("error", N_("plan.missing_deadline"), task=code)
        elif not meaning.understood:
            findings.add("error", N_("plan.deadline_words_unknown"), task=code, words=words)
        if not product:
            findings.add("warning", N_("plan.missing_product"), task=code)
        deadline, recurring = (meaning.deadline, meaning.recurring) if meaning else (None, False)
        tasks.append(Task(code, raw.group, content, lead, coordinating, deadline, recurring, words, product))
    return tasks
