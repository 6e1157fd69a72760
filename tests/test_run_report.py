"""run-report.json (SPEC §9): valid against the contract (automation/contracts), complete, and the same for the same run."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from automation.contracts import run_report_schema
from automation.domain.model import FLAG_ORDER
from automation.write.run_report import run_report, write_run_report
from tests.support.run_results import F_CCVC, build_run_result

WORKBOOK = "outbox/2025-05/tong-hop_2025-05.xlsx"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = run_report_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.fixture(scope="module")
def report() -> dict:
    return run_report(build_run_result(), WORKBOOK)


def test_report_validates_against_the_contract(validator, report):
    errors = sorted(validator.iter_errors(report), key=str)
    assert errors == []


def test_written_file_validates_and_keeps_vietnamese_readable(validator, tmp_path):
    path = tmp_path / "outbox" / "2025-05" / "run-report.json"
    write_run_report(build_run_result(), WORKBOOK, path)
    text = path.read_text(encoding="utf-8")
    validator.validate(json.loads(text))
    assert "Phòng Công chức, viên chức" in text  # not \u-escaped
    assert text.startswith('{\n  "schema_version": "1",\n  "period": "2025-05",')
    assert [p.name for p in path.parent.iterdir()] == ["run-report.json"]


def test_header_fields(report):
    assert report["schema_version"] == "1"
    assert report["period"] == "2025-05"
    assert report["as_of"] == "2025-05-19T08:00:00+07:00"
    assert report["submission_deadline"] == "2025-05-16T00:00:00+07:00"
    assert report["evaluation_date"] == "2025-05-16"
    assert report["plan"]["id"] == "KH-SNV-726" and report["plan"]["title"].startswith("Tổ chức thực hiện")
    assert report["workbook"] == WORKBOOK


def test_counts_have_every_key_even_when_zero(report):
    counts = report["counts"]
    assert counts["units"] == {"on_time": 1, "late": 1, "invalid": 1, "missing": 1}
    assert counts["tasks"] == {
        "overdue": 1, "not_reported": 3, "completed_late": 1, "in_progress": 2, "not_started": 1,
        "recurring": 1, "completed_on_time": 2,
    }  # fmt: skip
    assert counts["flags"] == {"late": 2, "missing": 3, "regressed": 1, "due_soon": 5}
    assert counts["findings"] == {"error": 6, "warning": 4, "info": 1}
    assert counts["files"]["accepted"] == 2 and counts["files"]["ignored"] == 1


def test_empty_run_still_counts_every_key(validator):
    result = build_run_result(with_previous=False)
    result.files, result.units, result.evaluations, result.findings = [], [], [], []
    empty = run_report(result, WORKBOOK)
    validator.validate(empty)
    assert set(empty["counts"]["tasks"].values()) == {0} and len(empty["counts"]["tasks"]) == 7
    assert empty["counts"]["units"] == {"on_time": 0, "late": 0, "invalid": 0, "missing": 0}
    assert empty["counts"]["findings"] == {"error": 0, "warning": 0, "info": 0}


def test_lists_are_in_a_fixed_order(report):
    paths = [f["path"] for f in report["files"]]
    assert paths == sorted(paths)
    assert [u["code"] for u in report["units"]] == ["TDKT", "TCBC", "VP", "CCVC"]
    assert [t["code"] for t in report["tasks"]] == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "3.3", "3.4",
                                                    "4.1", "4.2", "4.3"]  # fmt: skip
    severities = [f["severity"] for f in report["findings"]]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    for task in report["tasks"]:
        assert task["flags"] == [flag for flag in FLAG_ORDER if flag in task["flags"]]


def test_task_entries_carry_the_effective_report(report):
    tasks = {t["code"]: t for t in report["tasks"]}
    assert tasks["2.1"] == {
        "code": "2.1", "lead_unit": "TCBC", "deadline": "2025-03-31", "original_deadline": None, "recurring": False,
        "reported_status": "done", "completed_on": "2025-04-05", "progress": 100, "evaluation": "completed_late",
        "flags": ["late"], "source_file": "inbox/TCBC_2025-04.xlsx", "reported_this_period": False,
        "report_period": "2025-04",
    }  # fmt: skip
    assert tasks["1.2"]["deadline"] is None and tasks["1.2"]["recurring"] is True
    assert tasks["4.1"]["reported_status"] is None and tasks["4.1"]["source_file"] is None
    assert tasks["3.2"]["flags"] == ["regressed", "due_soon"]


def test_file_and_unit_entries(report):
    files = {f["path"]: f for f in report["files"]}
    assert (
        files[F_CCVC]["outcome"] == "rejected" and files[F_CCVC]["received_at"] == "2025-05-14T16:45:00+07:00"
    )
    assert files[F_CCVC]["findings"] == {"error": 5, "warning": 1, "info": 0}
    ignored = files["inbox/~$TDKT_2025-05.xlsx"]
    assert ignored["sha256"] is None and ignored["received_at"] is None and ignored["unit"] is None
    units = {u["code"]: u for u in report["units"]}
    assert units["VP"]["submission"] == "late" and units["VP"]["file"] == "inbox/email/VP_2025-05 (2).xlsx"
    assert units["VP"]["first_received_at"] == "2025-05-16T10:00:00+07:00"
    assert units["TCBC"] == {"code": "TCBC", "name": "Phòng Tổ chức biên chế và Cải cách hành chính",
                             "submission": "missing", "received_at": None, "file": None,
                             "first_received_at": None, "errors": 0, "warnings": 0}  # fmt: skip


def test_same_run_gives_the_same_bytes_whatever_the_input_order(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    write_run_report(build_run_result(), WORKBOOK, first)
    shuffled = build_run_result()
    shuffled.files.reverse()
    shuffled.units.reverse()
    shuffled.findings.reverse()
    write_run_report(shuffled, WORKBOOK, second)
    assert first.read_bytes() == second.read_bytes()
