"""`baocao withdraw` (SPEC §6, §8, issue 11): a received file leaves the record only visibly, with its reason,
and comes back with --undo; both are kept in the ledger and beside the archived copy."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from automation.cli import main
from automation.state.ledger import LEDGER_NAME, Ledger, facts_path
from tests.support.demo_workspace import AS_OF, copy_demo, file_outcomes, make_demo, unit_rows

TDKT = "inbox/TDKT/TDKT_2025-05.xlsx"
REASON = "Đơn vị gửi nhầm tệp của phòng khác"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    return make_demo(tmp_path_factory.mktemp("demo") / "ws")


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Path:
    return copy_demo(demo_template, tmp_path / "ws")


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _withdraw(capsys, workspace: Path, *args: str) -> tuple[int, str, str]:
    return _run(capsys, "withdraw", "-w", str(workspace), *args)


def _sha_of(workspace: Path, path: str) -> str:
    with Ledger(workspace / ".baocao" / LEDGER_NAME) as ledger:
        return next(a.sha256 for a in ledger.arrivals() if a.path == path)


def _history(workspace: Path) -> list[tuple]:
    with sqlite3.connect(workspace / ".baocao" / LEDGER_NAME) as db:
        rows = db.execute(
            "SELECT sha256, reason, undone_at IS NOT NULL, undo_reason FROM withdrawals"
        ).fetchall()
    db.close()
    return rows


def test_withdraw_by_the_path_in_the_run_report_then_collect_shows_it_withdrawn(demo: Path, capsys):
    sha = _sha_of(demo, TDKT)
    code, out, err = _withdraw(capsys, demo, TDKT, "--reason", REASON)
    assert code == 0, err
    assert out.splitlines() == [
        f"Đã rút khỏi hồ sơ tệp {sha[:12]} ({TDKT}), lý do: {REASON}",
        "Chạy lại tổng hợp để kết quả có hiệu lực: baocao collect --period YYYY-MM",
    ]
    with Ledger(demo / ".baocao" / LEDGER_NAME) as ledger:
        assert ledger.withdrawals() == {sha: REASON}
    facts = [json.loads(line) for line in facts_path(demo / ".baocao", sha).read_text().splitlines()]
    assert [f["event"] for f in facts] == ["arrival", "withdraw"]
    assert facts[-1]["reason"] == REASON and facts[-1]["sha256"] == sha

    code, out, err = _run(capsys, "collect", "-w", str(demo), "--period", "2025-05", "--as-of", AS_OF)
    assert code == 0, err
    assert file_outcomes(demo)[TDKT] == ("withdrawn", f"Đã rút khỏi hồ sơ: {REASON}")
    assert ("TDKT", "missing", None, None) in unit_rows(demo)


def test_undo_puts_it_back_and_keeps_the_history(demo: Path, capsys):
    sha = _sha_of(demo, TDKT)
    before = unit_rows(demo)
    assert _withdraw(capsys, demo, TDKT, "--reason", REASON)[0] == 0
    code, out, err = _withdraw(capsys, demo, sha[:10], "--undo", "--reason", "rút nhầm")
    assert code == 0, err
    assert out.splitlines()[0] == f"Đã đưa tệp {sha[:12]} ({TDKT}) trở lại hồ sơ."
    assert _history(demo) == [(sha, REASON, 1, "rút nhầm")]
    with Ledger(demo / ".baocao" / LEDGER_NAME) as ledger:
        assert ledger.withdrawals() == {}
    assert _run(capsys, "collect", "-w", str(demo), "--period", "2025-05", "--as-of", AS_OF)[0] == 0
    assert unit_rows(demo) == before
    facts = [json.loads(line) for line in facts_path(demo / ".baocao", sha).read_text().splitlines()]
    assert [(f["event"], f.get("reason")) for f in facts][1:] == [("withdraw", REASON), ("undo", "rút nhầm")]


def test_withdraw_by_a_copy_of_the_file_anywhere(demo: Path, tmp_path: Path, capsys):
    copy = tmp_path / "đã tải về.xlsx"
    shutil.copy(demo / TDKT, copy)
    code, out, err = _withdraw(capsys, demo, str(copy), "--reason", REASON)
    assert code == 0, err
    assert f"({TDKT})" in out.splitlines()[0]


def test_withdraw_a_file_no_longer_in_the_inbox_by_its_recorded_path(demo: Path, capsys):
    sha = _sha_of(demo, TDKT)
    (demo / TDKT).unlink()
    code, out, err = _withdraw(capsys, demo, TDKT, "--reason", REASON)
    assert code == 0, err
    assert out.startswith(f"Đã rút khỏi hồ sơ tệp {sha[:12]} ({TDKT})")


def test_withdraw_twice_records_once(demo: Path, capsys):
    sha = _sha_of(demo, TDKT)
    assert _withdraw(capsys, demo, sha, "--reason", REASON)[0] == 0
    code, out, _err = _withdraw(capsys, demo, sha, "--reason", "lý do khác")
    assert code == 0
    assert out.strip() == f"Tệp {sha[:12]} ({TDKT}) đã được rút trước đó, lý do: {REASON}. Không ghi thêm."
    assert _history(demo) == [(sha, REASON, 0, None)]


@pytest.mark.parametrize(
    "args, expected",
    [
        ([TDKT], 'Cần ghi lý do rút tệp, ví dụ: --reason "đơn vị gửi nhầm tệp"'),
        ([TDKT, "--reason", "   "], 'Cần ghi lý do rút tệp, ví dụ: --reason "đơn vị gửi nhầm tệp"'),
        (
            ["inbox/TDKT/khong_co.xlsx", "--reason", "x"],
            "Không có tệp đã nhận nào khớp với inbox/TDKT/khong_co.xlsx",
        ),
        (["0123abcd", "--reason", "x"], "Không có tệp đã nhận nào khớp với 0123abcd"),
    ],
)
def test_withdraw_refusals_are_one_line_and_record_nothing(demo: Path, capsys, args, expected):
    code, out, err = _withdraw(capsys, demo, *args)
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Lỗi: {expected}")
    assert _history(demo) == []


def test_a_short_hash_prefix_is_not_a_hash(demo: Path, capsys):
    sha = _sha_of(demo, TDKT)
    code, _out, err = _withdraw(capsys, demo, sha[:7], "--reason", "x")
    assert code == 1 and f"khớp với {sha[:7]} " in err


def test_a_file_whose_bytes_changed_is_not_an_older_version(demo: Path, capsys):
    (demo / TDKT).write_bytes(b"new bytes, never received")
    code, _out, err = _withdraw(capsys, demo, str(demo / TDKT), "--reason", "x")
    assert code == 1 and "Không có tệp đã nhận nào khớp" in err
    assert _history(demo) == []


def test_a_path_received_with_two_contents_is_ambiguous(demo: Path, capsys):
    first = _sha_of(demo, TDKT)
    (demo / TDKT).write_bytes(b"a second version of the file")
    past = dt.datetime(2025, 5, 13, 9, 0).timestamp()
    os.utime(demo / TDKT, (past, past))
    assert _run(capsys, "scan", "-w", str(demo))[0] == 0
    with Ledger(demo / ".baocao" / LEDGER_NAME) as ledger:
        second = next(a.sha256 for a in ledger.arrivals() if a.path == TDKT and a.sha256 != first)
    (demo / TDKT).unlink()
    code, _out, err = _withdraw(capsys, demo, TDKT, "--reason", "x")
    assert code == 1
    line = err.strip()
    assert line.startswith(f"Lỗi: {TDKT} khớp với 2 tệp đã nhận khác nhau:")
    assert first[:12] in line and second[:12] in line and "\n" not in line
    assert _withdraw(capsys, demo, second[:8], "--reason", "x")[0] == 0


def test_withdrawals_and_undo_survive_a_ledger_rebuild(demo: Path, capsys):
    tdkt, vp = _sha_of(demo, TDKT), _sha_of(demo, "inbox/VP/VP_2025-05_sua.xlsx")
    assert _withdraw(capsys, demo, tdkt, "--reason", REASON)[0] == 0
    assert _withdraw(capsys, demo, vp, "--reason", "bản sửa gửi nhầm")[0] == 0
    assert _withdraw(capsys, demo, vp, "--undo")[0] == 0
    history = _history(demo)
    for path in (demo / ".baocao").glob(f"{LEDGER_NAME}*"):
        path.unlink()
    code, out, err = _run(capsys, "ledger", "rebuild", "-w", str(demo))
    assert code == 0, err
    assert "9 lần nhận tệp, 2 lần rút tệp" in out
    assert sorted(_history(demo)) == sorted(history)
    with Ledger(demo / ".baocao" / LEDGER_NAME) as ledger:
        assert ledger.withdrawals() == {tdkt: REASON}
