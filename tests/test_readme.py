"""The README's two quick-start commands are the ones CI and newcomers run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Bắt đầu nhanh", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_quick_start_has_exactly_two_commands_demo_then_tests():
    commands = _quick_start_commands()
    assert len(commands) == 2
    assert commands[0].endswith("baocao demo")
    assert "pytest" in commands[1]


def test_the_test_command_runs_lint_format_import_contracts_types_and_tests():
    assert _quick_start_commands()[1] == (
        'python -m pip install -q -e ".[test]" && ruff check . && ruff format --check . && lint-imports'
        " && mypy && python -m pytest -q"
    )


def test_the_readme_speaks_vietnamese_first_with_set_up_for_windows_and_linux():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.index("## Tiếng Việt") < readme.index("## English")
    for step in (
        "py -m venv .venv",
        ".venv\\Scripts\\activate",
        "python3 -m venv .venv",
        ". .venv/bin/activate",
    ):
        assert step in readme
    assert "Tóm tắt" in readme and "phan-hoi/" in readme and "inbox/" in readme


def test_ci_runs_the_readme_test_command_verbatim_with_require_all():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _quick_start_commands()[1] in ci.splitlines()
    assert "export BAOCAO_REQUIRE_ALL=1" in ci
    assert "apt-get install" in ci


def test_every_document_the_readme_links_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(((?:docs/|CONTRIBUTING\.md)[^)]*)\)", readme)
    assert links
    assert [link for link in links if not (ROOT / link).is_file()] == []
