"""No placeholder reaches a reader (issue 11): every ``t("key", ...)`` in the package passes every ``{name}``
its message holds, and every message renders in both languages with the parameters the code really gives."""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass
from pathlib import Path

import pytest

import automation
from automation.i18n import messages
from automation.i18n.messages import MESSAGES, t, tn

PACKAGE = Path(automation.__file__).parent


def _placeholders(key: str) -> set[str]:
    names: set[str] = set()
    for text in MESSAGES[key]:
        for _, name, _, _ in string.Formatter().parse(text):
            if name is not None:
                names.add(name.split(".")[0].split("[")[0])
    return names


@dataclass(frozen=True)
class Call:
    where: str  # file:line
    keys: tuple[str, ...]  # the catalogue keys the call can render
    passed: frozenset[str]  # keyword names given
    open_ended: bool  # **params: the names cannot be read from the source


def _keys_of(node: ast.expr) -> tuple[str, ...] | None:
    """The keys a key expression can name: a literal, or every key matching an f-string/sum's pattern."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (node.value,)
    pattern = None
    if isinstance(node, ast.JoinedStr):
        pattern = "".join(
            v.value if isinstance(v, ast.Constant) else "*" for v in node.values if isinstance(v, ast.expr)
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.left, ast.Constant):
        pattern = f"{node.left.value}*"
    if pattern is None or "." not in pattern:
        return None  # a variable (e.g. a finding's rule): checked where its message is rendered
    regex = re.compile("[^.]+".join(re.escape(part) for part in pattern.split("*")))
    return tuple(key for key in MESSAGES if regex.fullmatch(key))


def _calls() -> list[Call]:
    calls = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("t", "tn")
            ):
                continue
            if not node.args:
                continue
            keys = _keys_of(node.args[0])
            if keys is None:
                continue
            if node.func.id == "tn":  # both ids of a plural message
                plural = _keys_of(node.args[1])
                assert plural is not None and len(keys) == len(plural) == 1, path
                PLURAL_OF[keys[0]] = plural[0]
                keys += plural
            calls.append(
                Call(
                    f"{path.relative_to(PACKAGE).as_posix()}:{node.lineno}",
                    keys,
                    frozenset(k.arg for k in node.keywords if k.arg),
                    any(k.arg is None for k in node.keywords),
                )
            )
    return calls


PLURAL_OF: dict[str, str] = {}  # singular id -> plural id, from the ``tn`` calls
CALLS = _calls()
SINGULAR_OF = {plural: singular for singular, plural in PLURAL_OF.items()}


def _render(key: str, /, **params: object) -> str:
    """A message as the code renders it: ``tn`` for both ids of a plural message (count 1 and 2)."""
    if key in PLURAL_OF:
        return tn(key, PLURAL_OF[key], 1, **params)
    if key in SINGULAR_OF:
        return tn(SINGULAR_OF[key], key, 2, **params)
    return t(key, **params)


def test_the_scan_finds_the_calls_of_the_whole_package():
    assert len(CALLS) > 300
    assert {c.where.split(":")[0] for c in CALLS} >= {
        "cli/commands.py",
        "check/validate.py",
        "plan/register.py",
        "read/report.py",
    }


def test_every_literal_key_is_in_the_catalogue():
    unknown = [(c.where, key) for c in CALLS for key in c.keys if key not in MESSAGES]
    assert unknown == []


def test_every_placeholder_of_a_message_is_passed_where_it_is_called():
    missing = [
        (c.where, key, sorted(_placeholders(key) - c.passed))
        for c in CALLS
        if not c.open_ended
        for key in c.keys
        if key in MESSAGES and _placeholders(key) - c.passed
    ]
    assert missing == []


def test_the_check_fails_on_a_call_without_its_placeholder():
    """The check above can fail: the very bug of issue 11 (``t("task.missing_row")`` without ``task``)."""
    tree = ast.parse('t("task.missing_row")')
    call = tree.body[0].value
    assert _placeholders("task.missing_row") - {k.arg for k in call.keywords} == {"task"}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_call_renders_without_a_placeholder_left(language):
    messages.set_language(language)
    left = []
    for c in CALLS:
        for key in c.keys:
            params = {name: "«x»" for name in _placeholders(key) | c.passed}
            text = _render(key, **params)
            if "{" in text.replace("{{", "") or "}" in text.replace("}}", ""):
                left.append((c.where, key, text))
    assert left == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_catalogue_message_renders_with_its_own_placeholders(language):
    messages.set_language(language)
    for key in MESSAGES:
        params = {name: "«x»" for name in _placeholders(key)}
        text = _render(key, **params)
        assert "{" not in text and "}" not in text, key
        assert "«x»" in text or not params, key


# --- what a real collect writes ---------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_.]*\}")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_placeholder_in_what_a_real_collect_writes(tmp_path, language):
    import datetime as dt
    import json
    import os
    import struct

    from openpyxl import load_workbook

    from automation.domain.dates import Period
    from automation.plan.register import read_register
    from automation.run.collect import collect
    from automation.run.workspace import init_workspace
    from automation.settings import Settings
    from automation.templates.generate import COL_CODE, COL_STATUS, write_templates
    from automation.templates.sample_files import fill_template

    messages.set_language(language)
    init_workspace(tmp_path / "ws")
    settings = Settings.load(tmp_path / "ws")
    plan = read_register(settings.register_path).plan
    may = Period(2025, 5)
    received = dt.datetime(2025, 5, 10, 9, tzinfo=settings.timezone)
    write_templates(plan, settings.master_path, settings.period_dir(may) / "mau", may, 16, received)

    def drop_row(code: str):
        def edit(ws):
            header = next(r for r in range(1, 40) if ws.cell(r, 1).value == COL_CODE)
            ws.delete_rows(next(r for r in range(header, ws.max_row + 1) if ws.cell(r, 1).value == code))

        return edit

    template = settings.period_dir(may) / "mau" / "VP_2025-05.xlsx"
    fill_template(
        template,
        settings.inbox_dir / "VP_2025-05.xlsx",
        {"3.1": {COL_STATUS: "xong rồi"}},
        edit=drop_row("3.4"),
    )
    (settings.inbox_dir / "TCBC_2025-05.xlsx").write_bytes(b"PK\x03\x04 cut off")
    old = struct.pack("<4H", 0x0409, 6, 4, 0x0010) + b"\0\0" + struct.pack("<HH", 0x000A, 0)
    (settings.inbox_dir / "CCVC_2025-05.xls").write_bytes(old)
    for path in settings.inbox_dir.iterdir():
        os.utime(path, (received.timestamp(),) * 2)
    as_of = dt.datetime(2025, 5, 16, 8, tzinfo=settings.timezone)
    output = collect(settings, plan, may, as_of, now=as_of)

    texts: list[str] = []

    def strings(value):
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                strings(item)
        elif isinstance(value, list):
            for item in value:
                strings(item)

    strings(json.loads(output.report.read_text(encoding="utf-8")))
    for book in [output.workbook, *output.feedback]:
        for ws in load_workbook(book, read_only=True).worksheets:
            texts += [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    rules = {f.rule for item in output.result.files for f in item.findings}
    assert {"task.missing_row", "file.old_format", "file.truncated"} <= rules  # the outputs say all three
    assert [text for text in texts if PLACEHOLDER.search(text)] == []
