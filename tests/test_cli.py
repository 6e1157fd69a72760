"""The `baocao` command: Vietnamese help everywhere, exit status 0 / 1 / 2, init, plan check."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from automation.cli import build_parser, main
from automation.plan.register_layout import SHEET_TASKS

ROOT = Path(__file__).resolve().parents[1]


def _all_command_paths() -> list[list[str]]:
    paths: list[list[str]] = []

    def walk(parser: argparse.ArgumentParser, prefix: list[str]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    paths.append([*prefix, name])
                    walk(sub, [*prefix, name])

    walk(build_parser(), [])
    return paths


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    assert main(["init", str(tmp_path / "ws")]) == 0
    return tmp_path / "ws"


def test_every_command_has_vietnamese_help(capsys):
    paths = _all_command_paths()
    assert {"init", "templates", "demo"} <= {p[0] for p in paths}
    assert ["plan", "check"] in paths and ["plan", "import"] in paths
    for path in [[], *paths]:
        with pytest.raises(SystemExit) as done:
            main([*path, "--help"])
        assert done.value.code == 0
        out = capsys.readouterr().out
        assert "Cách dùng:" in out and "tùy chọn" in out, path
        assert "show this help" not in out and "usage:" not in out, path
        assert "hiện hướng dẫn này rồi thoát" in out


def test_help_is_english_with_language_en(capsys, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "en")
    with pytest.raises(SystemExit):
        main(["templates", "--help"])
    out = capsys.readouterr().out
    assert "Usage:" in out and "reporting period" in out


def test_bad_arguments_exit_2_with_a_vietnamese_reason(capsys):
    with pytest.raises(SystemExit) as done:
        main(["templates", "--period", "03/2025"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "Lỗi tham số" in err and "YYYY-MM" in err
    with pytest.raises(SystemExit) as done:
        main(["khong-co-lenh-nay"])
    assert done.value.code == 2
    assert "lựa chọn không hợp lệ" in capsys.readouterr().err


def test_fatal_error_exits_1_with_one_line_and_no_traceback(tmp_path: Path, capsys):
    assert main(["--workspace", str(tmp_path), "plan", "check"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("Lỗi: ")
    assert "baocao init" in err and "Traceback" not in err


def test_debug_shows_the_traceback(tmp_path: Path, capsys):
    assert main(["plan", "check", "--workspace", str(tmp_path), "--debug"]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_init_creates_the_workspace_layout(workspace: Path, capsys):
    for path in (".env", "workbook_templates/ke-hoach.xlsx", "workbook_templates/mau-bao-cao.xlsx"):
        assert (workspace / path).is_file(), path
    assert (workspace / "inbox").is_dir() and (workspace / "outbox").is_dir()
    assert (workspace / ".env").read_text(encoding="utf-8").startswith("# Cấu hình baocao")


def test_init_refuses_to_overwrite_an_existing_workspace(workspace: Path, capsys):
    register = workspace / "workbook_templates" / "ke-hoach.xlsx"
    before = register.read_bytes()
    capsys.readouterr()
    assert main(["init", str(workspace)]) == 1
    err = capsys.readouterr().err
    assert "đã là một thư mục làm việc" in err and "không ghi đè" in err
    assert register.read_bytes() == before


def test_plan_check_on_the_default_register_succeeds(workspace: Path, capsys):
    assert main(["plan", "check", "--workspace", str(workspace)]) == 0
    out = capsys.readouterr().out
    assert "Sổ kế hoạch hợp lệ: 11 nhiệm vụ, 4 đơn vị" in out
    assert "trước ngày 16" in out


def test_plan_check_on_a_broken_register_lists_cells_and_exits_1(workspace: Path, capsys):
    register = workspace / "workbook_templates" / "ke-hoach.xlsx"
    wb = load_workbook(register)
    wb[SHEET_TASKS]["D3"] = "PHONG-X"
    wb.save(register)
    assert main(["plan", "check", "-w", str(workspace)]) == 1
    captured = capsys.readouterr()
    assert "Lỗi: Nhiệm vụ!D3 (1.2)" in captured.out and "PHONG-X" in captured.out
    assert captured.err.startswith("Lỗi: sổ kế hoạch có 1 lỗi")


def test_plan_check_fix_fills_deadlines_from_words(workspace: Path, capsys):
    register = workspace / "workbook_templates" / "ke-hoach.xlsx"
    wb = load_workbook(register)
    wb[SHEET_TASKS]["F2"] = None
    wb.save(register)
    assert main(["plan", "check", "-w", str(workspace)]) == 1
    assert main(["plan", "check", "--fix", "-w", str(workspace)]) == 0
    assert "Đã điền thời hạn cho 1 nhiệm vụ" in capsys.readouterr().out


def test_templates_writes_one_file_per_unit(workspace: Path, capsys):
    assert main(["templates", "--period", "2025-03", "-w", str(workspace)]) == 0
    folder = workspace / "outbox" / "2025-03" / "mau"
    assert sorted(p.name for p in folder.iterdir()) == [
        f"{u}_2025-03.xlsx" for u in ("CCVC", "TCBC", "TDKT", "VP")
    ]
    assert "Đã tạo 4 mẫu báo cáo kỳ 03/2025" in capsys.readouterr().out


def test_templates_for_one_unit_and_unknown_unit(workspace: Path, capsys):
    assert main(["templates", "-p", "2025-03", "--unit", "VP", "-w", str(workspace)]) == 0
    assert [p.name for p in (workspace / "outbox" / "2025-03" / "mau").iterdir()] == ["VP_2025-03.xlsx"]
    assert main(["templates", "-p", "2025-03", "--unit", "XYZ", "-w", str(workspace)]) == 1
    assert "XYZ" in capsys.readouterr().err


def test_the_baocao_command_and_python_m_automation_both_run(tmp_path: Path):
    env = {**os.environ, "PYTHONUTF8": "1"}
    env.pop("LANGUAGE", None)
    module = subprocess.run(
        [sys.executable, "-m", "automation", "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert module.returncode == 0 and "Cách dùng:" in module.stdout
    script = Path(sys.executable).with_name("baocao")
    if script.exists():
        result = subprocess.run(
            [str(script), "init", str(tmp_path / "ws")], capture_output=True, text=True, env=env, check=False
        )
        assert result.returncode == 0 and "Đã tạo thư mục làm việc" in result.stdout
