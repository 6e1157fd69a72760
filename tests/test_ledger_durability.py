"""The ledger survives what a person can do to it (SPEC §12, issue 11): a newer or older schema, a damaged
or deleted file, a rebuild from the facts kept beside the archive, and backups."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

import pytest

from automation.cli import main
from automation.errors import FileError
from automation.state.ledger import LEDGER_NAME, Arrival, Ledger, backups, facts_path
from automation.state.schema import MIGRATIONS as _MIGRATIONS
from tests.support.demo_workspace import AS_OF, copy_demo, make_demo, unit_rows

TZ = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2025, 5, 20, 9, 0, tzinfo=TZ)


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


def _collect(capsys, workspace: Path) -> tuple[int, str, str]:
    return _run(capsys, "collect", "-w", str(workspace), "--period", "2025-05", "--as-of", AS_OF)


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("Lỗi: ") and "không mong đợi" not in lines[0] and "Error" not in lines[0]
    return lines[0]


def _arrival(path: str, sha: str, when: dt.datetime, source: str = "folder", sender=None) -> Arrival:
    return Arrival(path, sha, 10, 1, source, sender, when, "scan")


# --- schema version ----------------------------------------------------------------------------------


def test_a_ledger_written_by_a_newer_baocao_is_refused_and_left_alone(demo: Path, capsys):
    ledger = demo / ".baocao" / LEDGER_NAME
    with sqlite3.connect(ledger) as db:
        db.execute(f"PRAGMA user_version = {len(_MIGRATIONS) + 3}")
    db.close()
    code, _out, err = _collect(capsys, demo)
    assert code == 1
    line = _one_error_line(err)
    assert str(ledger) in line and "phiên bản baocao mới hơn" in line and "cập nhật baocao" in line
    with sqlite3.connect(ledger) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(_MIGRATIONS) + 3
    db.close()


def test_an_older_ledger_is_migrated_keeping_its_arrivals(tmp_path: Path):
    path = tmp_path / LEDGER_NAME
    db = sqlite3.connect(path)
    for number, script in enumerate(_MIGRATIONS[:5], start=1):
        db.executescript(script)
        db.execute(f"PRAGMA user_version = {number}")
    db.execute(
        "INSERT INTO arrivals VALUES ('inbox/A/a.xlsx','ab' || hex(zeroblob(31)),1,1,'folder',NULL,?, 'scan')",
        (NOW.isoformat(),),
    )
    db.commit()
    db.close()
    with Ledger(path) as ledger:
        assert ledger.schema_version == len(_MIGRATIONS) >= 6
        assert [a.path for a in ledger.arrivals()] == ["inbox/A/a.xlsx"]
        assert ledger.withdrawals() == {}


# --- a damaged ledger ----------------------------------------------------------------------------------


def _damage_garbage(path: Path) -> None:
    path.write_bytes(b"this is not a database, someone saved a note over it\n" * 100)


def _damage_truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _damage_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    for start in range(page, len(data), page):  # every page after the first: b-tree headers scrambled
        data[start : start + 12] = b"\xff" * 12
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_damage_garbage, _damage_truncated, _damage_pages])
def test_a_damaged_ledger_is_one_vietnamese_line_with_the_remedy(demo: Path, capsys, damage):
    ledger = demo / ".baocao" / LEDGER_NAME
    for leftover in ledger.parent.glob(f"{LEDGER_NAME}-*"):
        leftover.unlink()
    damage(ledger)
    before = ledger.read_bytes()
    code, _out, err = _collect(capsys, demo)
    assert code == 1
    line = _one_error_line(err)
    assert str(ledger) in line and "bị hỏng" in line
    assert str(demo / ".baocao" / "backups") in line and "baocao ledger rebuild --force" in line
    assert ledger.read_bytes() == before  # nothing written over the evidence


def test_rebuild_force_moves_a_damaged_ledger_aside_and_recreates_it(demo: Path, capsys):
    ledger = demo / ".baocao" / LEDGER_NAME
    for leftover in ledger.parent.glob(f"{LEDGER_NAME}-*"):
        leftover.unlink()
    _damage_garbage(ledger)
    damaged = ledger.read_bytes()
    code, out, err = _run(capsys, "ledger", "rebuild", "-w", str(demo), "--force")
    assert code == 0, err
    kept = [p for p in ledger.parent.iterdir() if p.name.startswith(f"{LEDGER_NAME}.old-")]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert f"Sổ cũ được giữ lại với tên {kept[0]}" in out
    with Ledger(ledger) as restored:
        assert len(restored.arrivals()) == 9


# --- a missing ledger --------------------------------------------------------------------------------------


def test_a_missing_ledger_beside_an_archive_stops_the_run(demo: Path, capsys):
    ledger = demo / ".baocao" / LEDGER_NAME
    for path in ledger.parent.glob(f"{LEDGER_NAME}*"):
        path.unlink()
    for command in (["collect", "--period", "2025-05", "--as-of", AS_OF], ["scan"]):
        code, _out, err = _run(capsys, *command, "-w", str(demo))
        assert code == 1
        line = _one_error_line(err)
        assert str(ledger) in line and "baocao ledger rebuild" in line
        assert not ledger.exists()  # never an empty ledger in its place


def test_a_new_workspace_gets_its_ledger_silently(tmp_path: Path, capsys):
    assert main(["init", str(tmp_path / "ws")]) == 0
    code, _out, err = _run(capsys, "scan", "-w", str(tmp_path / "ws"))
    assert code == 0 and err == ""
    assert (tmp_path / "ws" / ".baocao" / LEDGER_NAME).is_file()


# --- facts beside the archive and the rebuild ------------------------------------------------------------


def test_each_new_arrival_is_written_once_beside_its_archived_copy(demo: Path):
    state = demo / ".baocao"
    with Ledger(state / LEDGER_NAME) as ledger:
        arrivals = ledger.arrivals()
        sha = next(a.sha256 for a in arrivals if a.path == "inbox/VP/VP_2025-05_sua.xlsx")
        ledger.record_arrivals(arrivals)  # all known: nothing new, nothing appended
    lines = facts_path(state, sha).read_text(encoding="utf-8").splitlines()
    assert facts_path(state, sha).parent == state / "archive" / sha[:2]
    assert [json.loads(line) for line in lines] == [
        {
            "event": "arrival",
            "seq": next(n for n, a in enumerate(arrivals, start=1) if a.sha256 == sha),
            "path": "inbox/VP/VP_2025-05_sua.xlsx",
            "sha256": sha,
            "size": (demo / "inbox/VP/VP_2025-05_sua.xlsx").stat().st_size,
            "mtime_ns": (demo / "inbox/VP/VP_2025-05_sua.xlsx").stat().st_mtime_ns,
            "source": "folder",
            "sender": None,
            "received_at": "2025-05-17T09:20:00+07:00",
            "seen_by": "collect",
        }
    ]


def test_a_taken_message_is_written_to_the_mail_in_facts(tmp_path: Path):
    state = tmp_path / ".baocao"
    sha = "c" * 64
    with Ledger(state / LEDGER_NAME) as ledger:
        arrival = _arrival("inbox/email/x.xlsx", sha, NOW, "email", "vp@example.vn")
        message = ("<m1@example.vn>", "vp@example.vn", NOW, 1, None)
        ledger.record_message("INBOX", 7, 42, message, [arrival], NOW)
        ledger.record_message("INBOX", 7, 42, message, [arrival], NOW)  # taken again after a crash
    facts = [json.loads(line) for line in (state / "archive" / "mail-in.jsonl").read_text().splitlines()]
    assert facts[0] == {
        "event": "mail_in",
        "folder": "INBOX",
        "uidvalidity": 7,
        "uid": 42,
        "message_id": "<m1@example.vn>",
        "sender": "vp@example.vn",
        "internal_date": NOW.isoformat(),
        "files": 1,
        "note": None,
        "taken_at": NOW.isoformat(),
    }
    arrivals = [json.loads(line) for line in facts_path(state, sha).read_text().splitlines()]
    assert [(a["event"], a["source"], a["sender"]) for a in arrivals] == [
        ("arrival", "email", "vp@example.vn")
    ]


def test_rebuild_from_the_archive_gives_the_same_verdicts_and_received_times(demo: Path, capsys):
    before = unit_rows(demo)
    assert ("VP", "late", "2025-05-17T09:20:00+07:00", "inbox/VP/VP_2025-05_sua.xlsx") in before
    ledger = demo / ".baocao" / LEDGER_NAME
    with Ledger(ledger) as old:
        arrivals = old.arrivals()  # in the order first recorded
    for path in ledger.parent.glob(f"{LEDGER_NAME}*"):
        path.unlink()
    code, out, err = _collect(capsys, demo)
    assert code == 1 and "baocao ledger rebuild" in _one_error_line(err)
    # the inbox files are touched since (copied by someone): their times no longer tell when they came
    for path in (demo / "inbox").rglob("*.xlsx"):
        os.utime(path)

    code, out, err = _run(capsys, "ledger", "rebuild", "-w", str(demo))
    assert code == 0, err
    assert f"Đã dựng lại sổ theo dõi {ledger} từ kho lưu: 9 lần nhận tệp, 0 lần rút tệp, 0 thư đã lấy," in out
    assert "2 lần tổng hợp" in out and "baocao collect --period" in out
    with Ledger(ledger) as new:
        assert new.arrivals() == arrivals

    code, out, err = _collect(capsys, demo)
    assert code == 0, err
    assert unit_rows(demo) == before  # a late unit stays late, received when it was first received

    code, out, err = _run(capsys, "ledger", "rebuild", "-w", str(demo))
    assert code == 1 and "baocao ledger rebuild --force" in _one_error_line(err)


def test_rebuild_brings_back_the_previous_periods_run(demo: Path, capsys):
    with Ledger(demo / ".baocao" / LEDGER_NAME) as ledger:
        april = ledger.last_report("2025-04")
    for path in (demo / ".baocao").glob(f"{LEDGER_NAME}*"):
        path.unlink()
    assert _run(capsys, "ledger", "rebuild", "-w", str(demo))[0] == 0
    with Ledger(demo / ".baocao" / LEDGER_NAME) as ledger:
        assert ledger.last_report("2025-04") == april


def test_rebuild_skips_a_line_cut_short_and_says_so(demo: Path, capsys):
    state = demo / ".baocao"
    sidecar = next((state / "archive").glob("*/*.facts.jsonl"))
    with open(sidecar, "a", encoding="utf-8") as out:
        out.write('{"event": "arrival", "path": "inbox/cut')  # a power cut mid-line
    for path in state.glob(f"{LEDGER_NAME}*"):
        path.unlink()
    code, out, err = _run(capsys, "ledger", "rebuild", "-w", str(demo))
    assert code == 0, err
    assert f"Bỏ qua 1 dòng không đọc được trong kho lưu (dòng đầu tiên ở {sidecar})." in out
    assert "9 lần nhận tệp" in out


# --- backups --------------------------------------------------------------------------------------------


def test_backups_are_consistent_copies_and_only_the_newest_are_kept(tmp_path: Path):
    state = tmp_path / ".baocao"
    made = []
    killed = [state / "backups" / ".ledger-20250519T080000.sqlite.4242.tmp", state / "backups" / "notes.txt"]
    for path in killed:  # a copy a killed run left half written, and a file that is not ours
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half")
    with Ledger(state / LEDGER_NAME) as ledger:
        for number in range(5):
            ledger.record_arrivals([_arrival(f"inbox/A/{number}.xlsx", f"{number:064x}", NOW)])
            made.append(ledger.backup(NOW + dt.timedelta(seconds=number // 2), keep=3))
    assert made[0].name == "ledger-20250520T090000.sqlite"
    assert made[1].name == "ledger-20250520T090000-2.sqlite"  # two in one second: both kept apart
    kept = backups(state)
    assert kept == made[2:]
    assert sorted(p.name for p in (state / "backups").iterdir()) == sorted(
        [*(p.name for p in kept), "notes.txt"]
    )
    for number, path in enumerate(kept, start=3):
        with sqlite3.connect(path) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert copy.execute("SELECT COUNT(*) FROM arrivals").fetchone() == (number,)
        copy.close()
        assert not Path(f"{path}-wal").exists()


def test_a_backup_can_replace_a_damaged_ledger(tmp_path: Path):
    state = tmp_path / ".baocao"
    with Ledger(state / LEDGER_NAME) as ledger:
        ledger.record_arrivals([_arrival("inbox/A/a.xlsx", "a" * 64, NOW)])
        copy = ledger.backup(NOW)
    _damage_garbage(state / LEDGER_NAME)
    with pytest.raises(FileError, match="bị hỏng"):
        Ledger(state / LEDGER_NAME)
    (state / LEDGER_NAME).write_bytes(copy.read_bytes())
    with Ledger(state / LEDGER_NAME) as ledger:
        assert [a.path for a in ledger.arrivals()] == ["inbox/A/a.xlsx"]


def test_facts_that_could_not_be_written_are_written_by_the_next_ledger_write(tmp_path: Path, monkeypatch):
    import automation.state.ledger

    state = tmp_path / ".baocao"
    sha = "d" * 64
    real = automation.state.store.append_facts

    def disk_full(path, lines):
        raise OSError(28, "No space left on device", str(path))

    with Ledger(state / LEDGER_NAME) as ledger:
        monkeypatch.setattr(automation.state.store, "append_facts", disk_full)
        ledger.record_arrivals([_arrival("inbox/A/a.xlsx", sha, NOW)])  # facts written in the background
        with pytest.raises(OSError):
            ledger.wait_facts()  # the failure is told when the run waits for them
        assert [a.path for a in ledger.arrivals()] == ["inbox/A/a.xlsx"]  # the ledger write is kept
        assert not facts_path(state, sha).exists()
        monkeypatch.setattr(automation.state.store, "append_facts", real)
    with Ledger(state / LEDGER_NAME) as ledger:  # the next run
        ledger.record_arrivals([])
        ledger.record_arrivals([])
    facts = [json.loads(line) for line in facts_path(state, sha).read_text().splitlines()]
    assert [(f["event"], f["path"], f["seq"]) for f in facts] == [("arrival", "inbox/A/a.xlsx", 1)]
