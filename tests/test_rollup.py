"""Up the chain with nothing retyped (SPEC §16): the department's tasks linked to the provincial plan
726/KH-UBND, its month rolled up into the province's own template for SNV, and the province's collect
taking that file like any unit's."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook

from automation.cli import main
from automation.domain.dates import parse_deadline_words
from automation.domain.model import Plan, Task, Unit
from automation.plan.register import read_register
from automation.plan.register_layout import COL_CODE, COL_UPPER, KEY_UPPER_PLAN, KEY_UPPER_UNIT
from automation.plan.register_write import write_register
from automation.run.workspace import init_workspace
from automation.settings import Settings
from automation.templates.generate import (
    COL_DIFFICULTIES,
    COL_DONE_ON,
    COL_EVIDENCE,
    COL_PROGRESS,
    COL_PROPOSALS,
    COL_RESULTS,
    COL_STATUS,
)
from automation.templates.sample_files import fill_template

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
APRIL, MARCH = "2025-04", "2025-03"

# the province's plan 726/KH-UBND, as its own register would hold it: the tasks of the departments
_PROVINCE_TASKS = (
    ("1.5", "1. Nâng cao nhận thức, đổi mới tư duy", "Phát động phong trào thi đua; biểu dương, khen thưởng kịp "
     "thời tổ chức, cá nhân có thành tích trong phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
     "SNV", "Hoàn thành trong tháng 3/2025 và thực hiện thường xuyên"),
    ("2.1", "2. Hoàn thiện thể chế, phát triển hạ tầng số", "Phát triển hạ tầng số, các nền tảng số dùng chung "
     "của tỉnh", "STTTT", "Năm 2025"),
    ("2.3", "2. Hoàn thiện thể chế, phát triển hạ tầng số", "Sắp xếp tổ chức bộ máy, chức năng, nhiệm vụ của các "
     "cơ quan quản lý nhà nước về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số", "SNV", "Quý II/2025"),
    ("3.2", "3. Phát triển dịch vụ công trực tuyến", "Tái cấu trúc quy trình, cắt giảm giấy tờ khi dữ liệu đã "
     "được số hóa; thủ tục hành chính thực hiện trực tuyến toàn trình", "SNV", "Hoàn thành trong tháng 6/2025"),
    ("4.1", "4. Phát triển nhân lực số", "Đào tạo, bồi dưỡng kiến thức, kỹ năng số cho cán bộ, công chức, viên "
     "chức; phong trào học tập số", "SNV", "Hoàn thành trong tháng 6/2025"),
    ("4.2", "4. Phát triển nhân lực số", "Chính sách đặc thù thu hút, trọng dụng nhân lực chất lượng cao về khoa "
     "học, công nghệ, đổi mới sáng tạo và chuyển đổi số", "SNV", "Hoàn thành trong tháng 7/2025"),
)  # fmt: skip

# the department's tasks (the default register, seed 000) → the province's tasks they carry out
LINKS = {
    "1.1": "1.5",
    "1.2": "1.5",
    "2.1": "2.3",
    "2.2": "3.2",
    "3.1": "3.2",
    "3.2": "3.2",
    "3.3": "3.2",
    "3.4": "3.2",
    "4.1": "4.1",
    "4.2": "4.2",
    "4.3": "4.1",
}

# what the department's units report for April
APRIL_ROWS = {
    "TDKT": {
        "1.1": {COL_STATUS: "Hoàn thành", COL_DONE_ON: "28/03/2025", COL_PROGRESS: 100,
                COL_RESULTS: "Đã phát động phong trào thi đua"},
        "1.2": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 50, COL_RESULTS: "Đã đề xuất khen thưởng 3 tập thể",
                COL_DIFFICULTIES: "Chưa có tiêu chí đánh giá", COL_PROPOSALS: "Ban hành tiêu chí khen thưởng"},
    },
    "TCBC": {
        "2.1": {COL_STATUS: "Hoàn thành", COL_DONE_ON: "10/04/2025", COL_PROGRESS: 100,
                COL_RESULTS: "Đã trình phương án sắp xếp", COL_EVIDENCE: "Tờ trình số 12/TTr-SNV"},
    },
    "VP": {
        "2.2": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 60, COL_RESULTS: "Đã rà soát 12/20 quy trình"},
        "3.1": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 30, COL_RESULTS: "Đang khảo sát"},
        "3.2": {COL_STATUS: "Hoàn thành", COL_DONE_ON: "08/04/2025", COL_PROGRESS: 100,
                COL_RESULTS: "100% thủ tục đã trực tuyến"},
        "3.4": {COL_STATUS: "Chưa triển khai", COL_PROGRESS: 0},
    },
    "CCVC": {
        "3.3": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 40, COL_RESULTS: "Đã số hóa 40% hồ sơ"},
        "4.1": {COL_STATUS: "Hoàn thành", COL_DONE_ON: "05/04/2025", COL_PROGRESS: 100,
                COL_RESULTS: "Đã ban hành Kế hoạch đào tạo", COL_EVIDENCE: "Kế hoạch số 30/KH-SNV"},
        "4.2": {COL_STATUS: "Chưa triển khai", COL_PROGRESS: 0},
        "4.3": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 20, COL_RESULTS: "Đã rà soát tỷ lệ cán bộ"},
    },
}  # fmt: skip

# what the province should read from SNV's file: (status, completion date, progress, results)
EXPECTED = {
    "1.5": ("in_progress", None, 75, "1.1: Đã phát động phong trào thi đua\n1.2: Đã đề xuất khen thưởng 3 tập thể"),
    "2.3": ("done", "2025-04-10", 100, "2.1: Đã trình phương án sắp xếp"),
    "3.2": ("in_progress", None, 46, "2.2: Đã rà soát 12/20 quy trình\n3.1: Đang khảo sát\n"
            "3.2: 100% thủ tục đã trực tuyến\n3.3: Đã số hóa 40% hồ sơ"),
    "4.1": ("in_progress", None, 60, "4.1: Đã ban hành Kế hoạch đào tạo\n4.3: Đã rà soát tỷ lệ cán bộ"),
    "4.2": ("not_started", None, 0, ""),
}  # fmt: skip


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def province_plan() -> Plan:
    def task(code: str, group: str, content: str, lead: str, words: str) -> Task:
        meaning = parse_deadline_words(words)
        return Task(
            code, group, content, lead, "", meaning.deadline, meaning.recurring, words, "Báo cáo kết quả"
        )

    return Plan(
        id="KH-UBND-726",
        title="Thực hiện Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo "
        "và chuyển đổi số quốc gia trên địa bàn tỉnh Hải Dương",
        number="726/KH-UBND",
        issuer="UBND tỉnh Hải Dương",
        signed_on=dt.date(2025, 2, 20),
        coordinator="SKHCN",
        units=(
            Unit("SNV", "Sở Nội vụ", ("Sở Nội vụ tỉnh Hải Dương",)),
            Unit("STTTT", "Sở Thông tin và Truyền thông"),
            Unit("SKHCN", "Sở Khoa học và Công nghệ"),
            Unit("SGDDT", "Sở Giáo dục và Đào tạo"),
        ),
        tasks=tuple(task(*row) for row in _PROVINCE_TASKS),
    )


def run_report(workspace: Path, period: str = APRIL) -> dict:
    return json.loads((workspace / "outbox" / period / "run-report.json").read_text(encoding="utf-8"))


def link_register(register: Path, links: dict[str, str], upper_unit: str = "SNV") -> None:
    """The coordinator's edit in Excel: the links typed in ``Nhiệm vụ cấp trên`` (the column added at the end
    when the register has none), and the two ``Kế hoạch`` keys."""
    wb = load_workbook(register)
    ws = wb["Nhiệm vụ"]
    header = {cell.value: cell.column for cell in ws[1]}
    column = header.get(COL_UPPER) or ws.max_column + 1
    ws.cell(1, column, COL_UPPER)
    for row in range(2, ws.max_row + 1):
        code = ws.cell(row, header[COL_CODE]).value
        ws.cell(row, column, links.get(code))
    keys = wb["Kế hoạch"]
    found = {keys.cell(r, 1).value: r for r in range(1, keys.max_row + 1)}
    for key, value in ((KEY_UPPER_PLAN, "KH-UBND-726"), (KEY_UPPER_UNIT, upper_unit)):
        row = found.get(key) or keys.max_row + 1
        keys.cell(row, 1, key)
        keys.cell(row, 2, value)
    wb.save(register)


def department(root: Path, months: dict[str, dict], links: dict[str, str] = LINKS) -> Path:
    """Sở Nội vụ's workspace on the default register, linked; each month's unit files collected."""
    folder = root / "so-noi-vu"
    init_workspace(folder)
    link_register(Settings.load(folder).register_path, links)
    for period, units in months.items():
        assert main(["templates", "-w", str(folder), "-p", period]) == 0
        for unit, rows in units.items():
            fill_template(
                folder / "outbox" / period / "mau" / f"{unit}_{period}.xlsx",
                folder / "inbox" / f"{unit}_{period}.xlsx",
                rows,
                received_at=at(f"{period}-10T09:00"),
            )
        assert main(["collect", "-w", str(folder), "-p", period, "--as-of", f"{period}-16T08:00"]) == 0
    return folder


def province(root: Path, name: str = "tinh") -> Path:
    """The province's workspace: its own register of 726/KH-UBND, its templates for April."""
    folder = root / name
    init_workspace(folder)
    write_register(province_plan(), Settings.load(folder).register_path)
    assert main(["templates", "-w", str(folder), "-p", APRIL]) == 0
    return folder


def snv_template(province_ws: Path) -> Path:
    return province_ws / "outbox" / APRIL / "mau" / f"SNV_{APRIL}.xlsx"


def drop(file: Path, province_ws: Path, name: str | None = None) -> Path:
    """The department's file dropped into the province's inbox, received on 14 April."""
    target = province_ws / "inbox" / (name or file.name)
    shutil.copyfile(file, target)
    received = at("2025-04-14T09:00").timestamp()
    os.utime(target, (received, received))
    return target


@pytest.fixture(scope="module")
def chain(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("chain")
    dept, prov = department(root, {APRIL: APRIL_ROWS}), province(root)
    assert main(["rollup", "-w", str(dept), "-p", APRIL, "--template", str(snv_template(prov))]) == 0
    rolled = dept / "outbox" / APRIL / "cap-tren" / f"SNV_{APRIL}.xlsx"
    drop(rolled, prov)
    assert main(["collect", "-w", str(prov), "-p", APRIL, "--as-of", "2025-04-16T08:00"]) == 0
    return {"root": root, "department": dept, "province": prov, "rolled": rolled}


def verdicts(report: dict) -> dict:
    """What the province decided about SNV: its submission, its tasks, the findings on its file."""
    snv = {t["code"]: t for t in report["tasks"] if t["lead_unit"] == "SNV"}
    return {
        "submission": next(u["submission"] for u in report["units"] if u["code"] == "SNV"),
        "tasks": {
            code: (t["reported_status"], t["completed_on"], t["progress"], t["evaluation"], t["flags"])
            for code, t in snv.items()
        },
        "findings": sorted(
            (f["task"], f["rule"], f["severity"]) for f in report["findings"] if f["unit"] == "SNV"
        ),
    }


def test_department_register_reads_the_links_and_the_upper_plan(chain):
    plan = read_register(Settings.load(chain["department"]).register_path).plan
    assert (plan.upper_plan, plan.upper_unit) == ("KH-UBND-726", "SNV")
    assert {task.code: task.upper for task in plan.tasks} == {code: (up,) for code, up in LINKS.items()}


def test_the_province_accepts_the_rolled_up_file_on_time_with_the_aggregated_rows(chain):
    report = run_report(chain["province"])
    [record] = [f for f in report["files"] if f["unit"] == "SNV"]
    assert (record["path"], record["outcome"]) == (f"inbox/SNV_{APRIL}.xlsx", "accepted")
    found = verdicts(report)
    assert found["submission"] == "on_time"
    assert {code: task[:3] for code, task in found["tasks"].items()} == {
        code: expected[:3] for code, expected in EXPECTED.items()
    }
    evaluations = {code: task[3] for code, task in found["tasks"].items()}
    assert evaluations == {
        "1.5": "overdue",  # due in March 2025, still in progress: the province sees it as it is
        "2.3": "completed_on_time",
        "3.2": "in_progress",
        "4.1": "in_progress",
        "4.2": "not_started",
    }
    # the content warrants no finding: every started task has its results, every date and figure fits
    assert found["findings"] == []


def test_the_consolidated_workbook_shows_the_departments_words_task_by_task(chain):
    wb = load_workbook(chain["province"] / "outbox" / APRIL / f"tong-hop_{APRIL}.xlsx")
    rows = {row[0]: row for row in wb["Tiến độ nhiệm vụ"].iter_rows(values_only=True) if row and row[0]}
    for code, (_, _, progress, results) in EXPECTED.items():
        assert progress in rows[code], code
        if results:
            assert results in rows[code], code
    difficulties = [row for row in wb["Khó khăn - Đề xuất"].iter_rows(values_only=True)]
    assert any("1.2: Chưa có tiêu chí đánh giá" in str(cell) for row in difficulties for cell in row)


def test_the_filled_file_is_the_template_with_only_the_input_cells_typed(chain):
    template, rolled = load_workbook(snv_template(chain["province"])), load_workbook(chain["rolled"])
    assert rolled.sheetnames == template.sheetnames
    assert rolled["_meta"].sheet_state == "veryHidden"
    assert [[c.value for c in row] for row in rolled["_meta"].iter_rows()] == [
        [c.value for c in row] for row in template["_meta"].iter_rows()
    ]
    before, after = template["Báo cáo"], rolled["Báo cáo"]
    assert after.protection.sheet == before.protection.sheet
    assert len(after.data_validations.dataValidation) == len(before.data_validations.dataValidation)
    assert set(rolled.defined_names) == set(template.defined_names)
    header = next(r for r in range(1, 40) if before.cell(r, 1).value == "Mã NV")
    inputs = {
        c.column
        for c in before[header]
        if c.value
        in (COL_STATUS, COL_DONE_ON, COL_PROGRESS, COL_RESULTS, COL_DIFFICULTIES, COL_PROPOSALS, COL_EVIDENCE)
    }
    for row_before, row_after in zip(before.iter_rows(), after.iter_rows(), strict=True):
        for cell_before, cell_after in zip(row_before, row_after, strict=True):
            assert cell_after.style_id == cell_before.style_id or cell_after.column in inputs, (
                cell_after.coordinate
            )
            if cell_after.row <= header or cell_after.column not in inputs:
                assert cell_after.value == cell_before.value, cell_after.coordinate
    by_code = {after.cell(r, 1).value: r for r in range(header + 1, after.max_row + 1)}
    done_on = after.cell(
        by_code["2.3"], next(c for c in inputs if before.cell(header, c).value == COL_DONE_ON)
    )
    assert done_on.value == dt.datetime(2025, 4, 10) and done_on.number_format.lower().startswith("dd")
    guide_before = [[c.value for c in row] for row in template["Hướng dẫn"].iter_rows()]
    assert [[c.value for c in row] for row in rolled["Hướng dẫn"].iter_rows()] == guide_before


@pytest.mark.libreoffice
def test_the_file_saved_again_by_libreoffice_gets_the_same_verdicts(chain, tmp_path: Path):
    from tests.support.libreoffice import convert

    [saved] = convert(chain["rolled"], "xlsx", tmp_path / "lo")
    other = province(tmp_path)
    drop(saved, other)
    assert main(["collect", "-w", str(other), "-p", APRIL, "--as-of", "2025-04-16T08:00"]) == 0
    assert verdicts(run_report(other)) == verdicts(run_report(chain["province"]))


def test_a_template_without_the_header_labels_is_refused_with_one_line(chain, tmp_path: Path, capsys):
    wb = Workbook()
    wb.active["A1"] = "Báo cáo tháng"
    wb.active["A3"] = "Nhiệm vụ"
    wb.active["B3"] = "Ghi chú"
    wb.save(tmp_path / "khac.xlsx")
    capsys.readouterr()
    code = main(
        ["rollup", "-w", str(chain["department"]), "-p", APRIL, "--template", str(tmp_path / "khac.xlsx")]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert len(err) == 1 and "khac.xlsx" in err[0] and "Mã NV" in err[0] and "Tình trạng" in err[0]
    assert not (chain["department"] / "outbox" / APRIL / "cap-tren" / "khac.xlsx").exists()


def test_an_upper_task_without_links_is_left_empty_and_listed(tmp_path: Path, capsys):
    links = {code: up for code, up in LINKS.items() if up != "4.2"}
    dept, prov = department(tmp_path, {APRIL: APRIL_ROWS}, links), province(tmp_path)
    out = tmp_path / "len-tinh.xlsx"
    capsys.readouterr()
    args = ["rollup", "-w", str(dept), "-p", APRIL, "--template", str(snv_template(prov)), "--out", str(out)]
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any("4.2" in line and "chưa được nhiệm vụ nào" in line for line in lines), lines
    ws = load_workbook(out)["Báo cáo"]
    row = next(r for r in ws.iter_rows() if r[0].value == "4.2")
    assert [c.value for c in row[4:11]] == [None] * 7
    # and the plan check names the department task that has no link
    assert main(["plan", "check", "-w", str(dept)]) == 0
    check = read_register(Settings.load(dept).register_path).check
    assert [(f.task, f.rule, f.cell) for f in check.warnings if f.rule == "plan.upper_unlinked"] == [
        ("4.2", "plan.upper_unlinked", "J11")
    ]


def test_a_linked_task_whose_unit_did_not_report_keeps_its_previous_state_and_is_named(
    tmp_path: Path, capsys
):
    march = {"TDKT": {
        "1.1": {COL_STATUS: "Hoàn thành", COL_DONE_ON: "20/03/2025", COL_PROGRESS: 100, COL_RESULTS: "Đã phát động"},
        "1.2": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 30, COL_RESULTS: "Đang rà soát"},
    }}  # fmt: skip
    april = {unit: rows for unit, rows in APRIL_ROWS.items() if unit != "TDKT"}
    dept, prov = department(tmp_path, {MARCH: march, APRIL: april}), province(tmp_path)
    capsys.readouterr()
    assert main(["rollup", "-w", str(dept), "-p", APRIL, "--template", str(snv_template(prov))]) == 0
    out = capsys.readouterr().out
    assert "1.1 (TDKT)" in out and "1.2 (TDKT)" in out and "03/2025" in out
    rolled = dept / "outbox" / APRIL / "cap-tren" / f"SNV_{APRIL}.xlsx"
    ws = load_workbook(rolled)["Báo cáo"]
    row = next(r for r in ws.iter_rows() if r[0].value == "1.5")
    status, done_on, progress, results = (c.value for c in row[4:8])
    assert (status, done_on, progress, results) == ("Đang thực hiện", None, 65, None)


def test_send_mails_the_filled_file_to_the_upper_level_once_per_content(
    chain, tmp_path: Path, smtp_sink, monkeypatch, capsys
):
    dept = tmp_path / "so"
    shutil.copytree(chain["department"], dept)
    for key, value in {**smtp_sink.settings_env(), "UPPER_EMAIL": "tonghop@hd.gov.vn"}.items():
        monkeypatch.setenv(key, value)
    args = [
        "rollup",
        "-w",
        str(dept),
        "-p",
        APRIL,
        "--template",
        str(snv_template(chain["province"])),
        "--send",
    ]
    capsys.readouterr()
    assert main(args) == 0
    assert "Đã gửi báo cáo tới tonghop@hd.gov.vn" in capsys.readouterr().out
    sent = (dept / "outbox" / APRIL / "cap-tren" / f"SNV_{APRIL}.xlsx").read_bytes()
    assert main(args) == 0  # the same content again (saved again, a second later): not sent twice
    assert "đã được gửi trước đó" in capsys.readouterr().out
    [mail] = smtp_sink.messages
    assert mail.to == ["tonghop@hd.gov.vn"]
    [attachment] = list(mail.message.iter_attachments())
    assert attachment.get_filename() == f"SNV_{APRIL}.xlsx"
    assert attachment.get_content() == sent


def test_rollup_after_collect_fills_the_upper_template_after_each_collect(chain, tmp_path: Path, capsys):
    dept = tmp_path / "so"
    shutil.copytree(chain["department"], dept)
    shutil.rmtree(dept / "outbox" / APRIL / "cap-tren")
    template = dept / "workbook_templates" / "mau-cap-tren.xlsx"
    shutil.copyfile(snv_template(chain["province"]), template)
    with (dept / ".env").open("a", encoding="utf-8") as env:
        env.write("\nROLLUP_AFTER_COLLECT=workbook_templates/mau-cap-tren.xlsx\n")
    capsys.readouterr()
    assert main(["collect", "-w", str(dept), "-p", APRIL, "--as-of", "2025-04-16T08:00"]) == 0
    assert "Đã điền mẫu báo cáo cấp trên kỳ 04/2025" in capsys.readouterr().out
    ws = load_workbook(dept / "outbox" / APRIL / "cap-tren" / "mau-cap-tren.xlsx")["Báo cáo"]
    row = next(r for r in ws.iter_rows() if r[0].value == "2.3")
    assert [c.value for c in row[4:7]] == ["Hoàn thành", dt.datetime(2025, 4, 10), 100]
