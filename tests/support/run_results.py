"""Realistic ``RunResult`` objects for the write-stage tests, built from the default plan (SPEC §4).

``build_run_result()`` is the collect of period 2025-05 as of 19/05/2025 08:00 (Asia/Ho_Chi_Minh), with the
evaluations computed by ``evaluate.evaluate_plan`` from this period's rows and April's:

| unit | submission | tasks it leads → evaluation (flags) |
|---|---|---|
| TDKT | on time (12/05 09:30) | 1.1 overdue (late), 1.2 recurring |
| TCBC | missing (its file came 20/05, after the run) | 2.1 completed_late, carried from April (late) |
| VP | late (first file 16/05 10:00, the used one 17/05 14:00) | 2.2 in_progress (due_soon), 3.1 completed_on_time, 3.2 not_started (regressed, due_soon), 3.4 in_progress (due_soon) |
| CCVC | invalid (its only file rejected) | 3.3 completed_on_time from April, 4.1/4.3 not_reported (missing, due_soon), 4.2 not_reported (missing) |

Every file outcome occurs, every finding severity, and unit text that looks like formulas (``INJECTIONS``).
``build_previous()`` is April's run; ``build_large_run_result`` makes the 5,000-unit figures.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from automation.check.evaluate import evaluate_plan
from automation.domain.dates import Period
from automation.domain.model import (
    Evaluation,
    FileRecord,
    Finding,
    ParsedReport,
    ParsedRow,
    Plan,
    RunResult,
    Task,
    TaskReport,
    Unit,
    UnitStatus,
)
from automation.plan.default_plan import default_plan
from automation.templates.generate import HEADER_LABELS, LABEL_PERIOD, LABEL_UNIT

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PERIOD = "2025-05"
HYPERLINK = '=HYPERLINK("http://evil.example/x","Bấm vào đây")'
INJECTIONS = (HYPERLINK, "+1 cán bộ chưa được đào tạo", "-2 hồ sơ còn tồn", "@SUM(A1)")
HEADER_ROW = 10  # where the report sheets below put the header (as the master template does)

F_TDKT = "inbox/TDKT_2025-05.xlsx"
F_VP_OLD = "inbox/email/VP_2025-05.xlsx"
F_VP = "inbox/email/VP_2025-05 (2).xlsx"
F_VP_COPY = "inbox/VP_2025-05 - Copy.xlsx"
F_CCVC = "inbox/CCVC_2025-05.xlsx"
F_UNKNOWN = "inbox/email/msg-17.eml/bao-cao.xlsx"


def at(day: int, hour: int = 9, minute: int = 0, month: int = 5) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, minute, tzinfo=TZ)


def sha(char: str) -> str:
    return char * 64


def report(
    task: str,
    unit: str,
    status: str,
    file: str,
    received: dt.datetime,
    *,
    period: str = PERIOD,
    role: str = "lead",
    done: dt.date | None = None,
    progress: int | None = None,
    results: str = "",
    difficulties: str = "",
    proposals: str = "",
    evidence: str = "",
    row: int | None = None,
) -> TaskReport:
    return TaskReport(
        period=period,
        unit=unit,
        task=task,
        role=role,
        status=status,
        completed_on=done,  # type: ignore[arg-type]
        progress=progress,
        results=results,
        difficulties=difficulties,
        proposals=proposals,
        evidence=evidence,
        file=file,
        row=row,
        received_at=received,
    )


_STATUS_WORDS = {"not_started": "Chưa triển khai", "in_progress": "Đang thực hiện", "done": "Hoàn thành"}


def report_sheet(plan: Plan, unit: str, rows: list[list[object]], period: str = PERIOD) -> ParsedReport:
    """The ``Báo cáo`` sheet as the reader returns it: the official header block, the unit and period cells,
    the header row at row 10, then ``rows`` (11 values each, in the template's column order)."""
    name = plan.unit(unit).name if plan.unit(unit) else unit
    width = len(HEADER_LABELS)
    blank: list[object] = [""] * width
    grid: list[list[object]] = [list(blank) for _ in range(HEADER_ROW - 1)]
    grid[0][0], grid[0][7] = plan.issuer.upper(), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    grid[1][0], grid[1][7] = name.upper(), "Độc lập - Tự do - Hạnh phúc"
    grid[3][0] = f"BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÁNG {period[5:]}/{period[:4]}"
    grid[5][0], grid[5][1] = LABEL_UNIT, name
    grid[6][0], grid[6][1] = LABEL_PERIOD, f"{period[5:]}/{period[:4]}"
    grid.append(list(HEADER_LABELS))
    letters = "ABCDEFGHIJK"
    parsed_rows = []
    for offset, values in enumerate(rows):
        number = HEADER_ROW + 1 + offset
        grid.append(list(values) + [""] * (width - len(values)))
        parsed_rows.append(
            ParsedRow(
                number,
                dict(zip(HEADER_LABELS, values, strict=False)),
                {label: f"{letters[i]}{number}" for i, label in enumerate(HEADER_LABELS)},
            )
        )
    return ParsedReport(
        sheet="Báo cáo",
        header_row=HEADER_ROW,
        columns={label: letters[i] for i, label in enumerate(HEADER_LABELS)},
        rows=parsed_rows,
        unit_text=name,
        unit_cell="B6",
        period_value=f"{period[5:]}/{period[:4]}",
        period_cell="B7",
        grid=grid,
    )


def _row(
    plan: Plan, r: TaskReport | None, code: str, status_text: object = None, **cells: object
) -> list[object]:
    """A lead row as typed: the plan's four columns, then what the unit wrote."""
    task = plan.tasks[[t.code for t in plan.tasks].index(code)]
    deadline: object = (
        dt.date(task.deadline.year, task.deadline.month, task.deadline.day)
        if task.deadline
        else "Thường xuyên"
    )
    values: list[object] = [code, task.content, "Chủ trì", deadline]
    if r is not None:
        values += [
            _STATUS_WORDS[r.status] if status_text is None else status_text,
            r.completed_on or "",
            float(r.progress) if r.progress is not None else "",
            r.results,
            r.difficulties,
            r.proposals,
            r.evidence,
        ]
    else:
        values += [
            status_text or "",
            cells.get("done", ""),
            cells.get("progress", ""),
            cells.get("results", ""),
            "",
            "",
            "",
        ]
    return values


def _support_row(r: TaskReport) -> list[object]:
    return [
        r.task,
        "Phối hợp thực hiện",
        "Phối hợp",
        "",
        _STATUS_WORDS[r.status],
        "",
        "",
        r.results,
        r.difficulties,
        r.proposals,
        r.evidence,
    ]


# The run's data is kept as tables, one record a line: easier to check against the docstring than the
# formatter's one-argument-a-line layout.
# fmt: off
def build_run_result(with_previous: bool = True) -> RunResult:
    """The 2025-05 collect described in the module docstring."""
    plan = default_plan()
    tdkt, vp = at(12, 9, 30), at(17, 14, 0)
    current = {
        "1.1": report("1.1", "TDKT", "in_progress", F_TDKT, tdkt, progress=60, results=INJECTIONS[0],
                      difficulties=INJECTIONS[1], proposals=INJECTIONS[2], evidence=INJECTIONS[3], row=11),
        "1.2": report("1.2", "TDKT", "in_progress", F_TDKT, tdkt, progress=50, row=12),
        "2.2": report("2.2", "VP", "in_progress", F_VP, vp, progress=70,
                      results="Đã rà soát 35/48 quy trình nội bộ", row=11),
        "3.1": report("3.1", "VP", "done", F_VP, vp, done=dt.date(2025, 5, 10), progress=100,
                      results="Đã tái cấu trúc 12 quy trình", evidence="Quyết định số 45/QĐ-SNV ngày 10/05/2025",
                      row=12),
        "3.2": report("3.2", "VP", "not_started", F_VP, vp, progress=0,
                      difficulties="Chờ hướng dẫn của Bộ Nội vụ về tích hợp dịch vụ công", row=13),
        "3.4": report("3.4", "VP", "in_progress", F_VP, vp, progress=40, results="Đã điều chỉnh 5 quy trình",
                      proposals="Đề nghị trang bị thêm 02 máy quét tài liệu", row=14),
    }
    contributions = [
        report("3.3", "TDKT", "in_progress", F_TDKT, tdkt, role="support", results="Cung cấp dữ liệu khen thưởng",
               difficulties="Thiếu kinh phí số hóa hồ sơ", proposals="=1+1", row=13),
        report("4.1", "VP", "in_progress", F_VP, vp, role="support", proposals=INJECTIONS[3], row=15),
    ]
    april, earlier = at(10, 10, 0, month=4), "2025-04"
    history = {
        "1.1": [report("1.1", "TDKT", "in_progress", "inbox/TDKT_2025-04.xlsx", april, period=earlier,
                       progress=30)],
        "2.1": [report("2.1", "TCBC", "done", "inbox/TCBC_2025-04.xlsx", april, period=earlier,
                       done=dt.date(2025, 4, 5), progress=100, results="Đã trình phương án sắp xếp")],
        "3.2": [report("3.2", "VP", "done", "inbox/VP_2025-04.xlsx", april, period=earlier,
                       done=dt.date(2025, 4, 28), progress=100)],
        "3.3": [report("3.3", "CCVC", "done", "inbox/CCVC_2025-04.xlsx", april, period=earlier,
                       done=dt.date(2025, 4, 20), progress=100, results="Đã số hóa 1.200 hồ sơ")],
        "4.2": [report("4.2", "CCVC", "in_progress", "inbox/CCVC_2025-04.xlsx", april, period=earlier,
                       progress=30)],
    }
    evaluations = evaluate_plan(plan, current, history, Period(2025, 5), dt.date(2025, 5, 16))

    sheet = "Báo cáo"
    f = {
        "tdkt_info": Finding("info", "row.status_variant", "Tình trạng \"đang triển khai\" được hiểu là "
                             "\"Đang thực hiện\".", F_TDKT, "TDKT", sheet, "E11", "1.1"),
        "tdkt_warn": Finding("warning", "row.no_results", "Nhiệm vụ 1.2 đang thực hiện nhưng chưa ghi kết quả. "
                             "Ghi kết quả đã đạt được vào cột \"Kết quả thực hiện\".", F_TDKT, "TDKT", sheet,
                             "H12", "1.2"),
        "vp_warn": Finding("warning", "file.unit_disagrees", "Ô \"Đơn vị:\" ghi \"Văn phòng\" nhưng tên tệp "
                           "ghi VP; đã dùng Văn phòng Sở.", F_VP, "VP", sheet, None, None),
        "ccvc_status": Finding("error", "row.status_missing", "Chưa chọn Tình trạng cho nhiệm vụ 3.3. Chọn một "
                               "trong: Chưa triển khai, Đang thực hiện, Hoàn thành.", F_CCVC, "CCVC", sheet,
                               "E11", "3.3"),
        "ccvc_date": Finding("error", "row.bad_date", "Ngày hoàn thành \"31/13/2025\" không phải là ngày. Ghi "
                             "ngày dạng dd/mm/yyyy, ví dụ 25/05/2025.", F_CCVC, "CCVC", sheet, "F12", "4.1"),
        "ccvc_unknown": Finding("error", "row.status_unknown", "Tình trạng \"Xong rồi\" không có trong danh "
                                "sách.", F_CCVC, "CCVC", sheet, "E13", "4.2"),
        "ccvc_progress": Finding("warning", "row.progress_behind", "Tiến độ thấp so với thời hạn 30/06/2025.",
                                 F_CCVC, "CCVC", sheet, "G14", "4.3"),
        "ccvc_percent": Finding("error", "row.bad_progress", "Tiến độ \"85%\" không phải số nguyên. Ghi 85, "
                                "không kèm dấu %.", F_CCVC, "CCVC", sheet, "G14", "4.3"),
        "ccvc_norow": Finding("error", "task.missing_row", "Thiếu dòng báo cáo cho nhiệm vụ 4.4.", F_CCVC, "CCVC",
                              sheet, None, "4.4"),
        "unknown": Finding("error", "file.unknown_sender", "Người gửi someone@example.com không phải địa chỉ của "
                           "đơn vị nào trong sổ kế hoạch.", F_UNKNOWN, None, None, None, None),
        "plan": Finding("warning", "plan.missing_product", "Nhiệm vụ 4.2 chưa ghi sản phẩm.", None, None, None,
                        None, "4.2"),
    }
    tdkt_sheet = report_sheet(plan, "TDKT", [
        _row(plan, current["1.1"], "1.1", status_text="đang triển khai"),
        _row(plan, current["1.2"], "1.2"),
        _support_row(contributions[0]),
    ])
    vp_sheet = report_sheet(plan, "VP", [_row(plan, current[c], c) for c in ("2.2", "3.1", "3.2", "3.4")]
                            + [_support_row(contributions[1])])
    ccvc_sheet = report_sheet(plan, "CCVC", [
        _row(plan, None, "3.3"),
        _row(plan, None, "4.1", "Hoàn thành", done="31/13/2025", progress=100.0, results="Đã ban hành kế hoạch"),
        _row(plan, None, "4.2", "Xong rồi", results=HYPERLINK),
        _row(plan, None, "4.3", "Đang thực hiện", progress="85%", results="-2"),
    ])
    vp_mail = "vanphong@snv.example.vn"
    ccvc_findings = [f[k] for k in ("ccvc_status", "ccvc_date", "ccvc_unknown", "ccvc_progress", "ccvc_percent",
                                    "ccvc_norow")]
    files = [
        FileRecord(F_TDKT, sha("a"), tdkt, "folder", None, "TDKT", PERIOD, "accepted", None,
                   [f["tdkt_info"], f["tdkt_warn"]], [current["1.1"], current["1.2"], contributions[0]], tdkt_sheet),
        FileRecord(F_VP_OLD, sha("b"), at(16, 10, 0), "email", vp_mail, "VP", PERIOD, "superseded",
                   f"Đã có tệp mới hơn: {F_VP}", [], [], vp_sheet),
        FileRecord(F_VP, sha("c"), vp, "email", vp_mail, "VP", PERIOD, "accepted", None, [f["vp_warn"]],
                   [current[c] for c in ("2.2", "3.1", "3.2", "3.4")] + [contributions[1]], vp_sheet),
        FileRecord(F_VP_COPY, sha("c"), at(17, 15, 10), "folder", None, "VP", PERIOD, "duplicate",
                   f"Trùng nội dung với {F_VP}"),
        FileRecord(F_CCVC, sha("d"), at(14, 16, 45), "folder", None, "CCVC", PERIOD, "rejected",
                   "Không có dòng báo cáo nào dùng được: mọi dòng đều có lỗi", ccvc_findings, [], ccvc_sheet),
        FileRecord("inbox/TDKT_2025-04.xlsx", sha("e"), at(3, 8, 15), "folder", None, "TDKT", "2025-04",
                   "other_period", "Báo cáo kỳ 04/2025"),
        FileRecord("inbox/TCBC_2025-05.xlsx", sha("f"), at(20, 7, 45), "folder", None, "TCBC", PERIOD,
                   "after_as_of", "Nhận lúc 07:45 ngày 20/05/2025, sau thời điểm tổng hợp"),
        FileRecord("inbox/~$TDKT_2025-05.xlsx", None, None, "folder", None, None, None, "ignored",
                   "Tệp khóa tạm của Excel"),
        FileRecord(F_UNKNOWN, sha("0"), at(15, 21, 5), "email", "someone@example.com", None, None, "rejected",
                   "Người gửi không phải địa chỉ của đơn vị nào", [f["unknown"]]),
    ]
    units = [
        UnitStatus(plan.unit("TDKT"), "on_time", tdkt, tdkt, F_TDKT, 0, 1),
        UnitStatus(plan.unit("TCBC"), "missing"),
        UnitStatus(plan.unit("VP"), "late", vp, at(16, 10, 0), F_VP, 0, 1),
        UnitStatus(plan.unit("CCVC"), "invalid", None, None, None, 5, 1),
    ]
    findings = [finding for record in files for finding in record.findings] + [f["plan"]]
    return RunResult(
        period=PERIOD, as_of=at(19, 8, 0), submission_deadline=dt.datetime(2025, 5, 16, tzinfo=TZ),
        evaluation_date=dt.date(2025, 5, 16), plan=plan, files=files, units=units, evaluations=evaluations,
        contributions=contributions, findings=list(reversed(findings)),
        previous=build_previous() if with_previous else None,
    )


def build_previous() -> RunResult:
    """April's collect: three units on time, VP missing; fewer tasks completed."""
    plan = default_plan()
    got, april = at(14, 9, 0, month=4), "2025-04"
    current = {
        "1.1": report("1.1", "TDKT", "in_progress", "inbox/TDKT_2025-04.xlsx", got, period=april, progress=30),
        "1.2": report("1.2", "TDKT", "in_progress", "inbox/TDKT_2025-04.xlsx", got, period=april, progress=30),
        "2.1": report("2.1", "TCBC", "done", "inbox/TCBC_2025-04.xlsx", got, period=april,
                      done=dt.date(2025, 4, 5), progress=100),
        "3.3": report("3.3", "CCVC", "done", "inbox/CCVC_2025-04.xlsx", got, period=april,
                      done=dt.date(2025, 4, 20), progress=100),
        "4.2": report("4.2", "CCVC", "in_progress", "inbox/CCVC_2025-04.xlsx", got, period=april, progress=30),
    }
    evaluations = evaluate_plan(plan, current, {}, Period(2025, 4), dt.date(2025, 4, 16))
    units = [
        UnitStatus(plan.unit("TDKT"), "on_time", got, got, "inbox/TDKT_2025-04.xlsx"),
        UnitStatus(plan.unit("TCBC"), "on_time", got, got, "inbox/TCBC_2025-04.xlsx"),
        UnitStatus(plan.unit("VP"), "missing"),
        UnitStatus(plan.unit("CCVC"), "on_time", got, got, "inbox/CCVC_2025-04.xlsx"),
    ]
    files = [FileRecord(s.file, sha(str(i)), got, "folder", None, s.unit.code, april, "accepted")
             for i, s in enumerate(units) if s.file]
    return RunResult(
        period=april, as_of=at(16, 8, 0, month=4), submission_deadline=dt.datetime(2025, 4, 16, tzinfo=TZ),
        evaluation_date=dt.date(2025, 4, 16), plan=plan, files=files, units=units, evaluations=evaluations,
    )
# fmt: on


_EVALUATIONS = (
    "completed_on_time",
    "completed_late",
    "in_progress",
    "not_started",
    "overdue",
    "recurring",
    "not_reported",
)
_FLAGS = {
    "completed_late": ("late",),
    "overdue": ("late",),
    "not_reported": ("missing", "due_soon"),
    "not_started": ("regressed", "due_soon"),
}


def build_large_run_result(units: int = 5000, tasks: int = 5000, findings: int = 20000) -> RunResult:
    """A run the size of a large province: ``units`` units each sending a file, ``tasks`` tasks with long
    texts, ``findings`` findings spread over the files."""
    unit_list = tuple(Unit(f"U{i:04d}", f"Phòng chuyên môn số {i} thuộc Sở Nội vụ") for i in range(units))
    task_list = tuple(
        Task(
            f"{i // 100 + 1}.{i % 100 + 1}",
            f"{i // 100 + 1}. Nhóm nhiệm vụ số {i // 100 + 1}",
            "Rà soát, tham mưu sắp xếp tổ chức bộ máy, chức năng, nhiệm vụ của các cơ quan " * 3,
            unit_list[i % units].code,
            deadline=dt.date(2025, 3 + i % 6, 28),
            recurring=i % 7 == 0,
        )
        for i in range(tasks)
    )
    plan = Plan("KH-LON-1", "Kế hoạch thử tải", issuer="Sở Nội vụ", units=unit_list, tasks=task_list)
    received = at(15, 9, 0)
    evaluations = []
    for i, task in enumerate(task_list):
        value = _EVALUATIONS[i % len(_EVALUATIONS)]
        row = report(
            task.code,
            task.lead,
            "in_progress",
            f"inbox/{task.lead}_2025-05.xlsx",
            received,
            progress=50,
            results="Đã triển khai các bước theo kế hoạch, kết quả cụ thể như sau. " * 4,
            difficulties="Thiếu nhân lực" if i % 3 == 0 else "",
            proposals="=1+1" if i % 5 == 0 else "",
        )
        evaluations.append(Evaluation(task, value, _FLAGS.get(value, ()), row, value != "not_reported"))  # type: ignore[arg-type]
    statuses = [
        UnitStatus(
            u,
            ("on_time", "late", "invalid", "missing")[i % 4],
            received,
            received,
            f"inbox/{u.code}_2025-05.xlsx",
            i % 3,
            i % 2,
        )
        for i, u in enumerate(unit_list)
    ]
    files = [
        FileRecord(
            f"inbox/{u.code}_2025-05.xlsx", f"{i:064x}", received, "folder", None, u.code, PERIOD, "accepted"
        )
        for i, u in enumerate(unit_list)
    ]
    finding_list = [
        Finding(
            ("error", "warning", "info")[i % 3],
            "row.status_missing",
            f"Chưa chọn Tình trạng cho nhiệm vụ số {i}. Chọn một trong ba giá trị của danh sách.",
            files[i % units].path,
            unit_list[i % units].code,
            "Báo cáo",
            f"E{11 + i % 40}",
            task_list[i % tasks].code,
        )
        for i in range(findings)
    ]
    return RunResult(
        PERIOD,
        at(19, 8, 0),
        dt.datetime(2025, 5, 16, tzinfo=TZ),
        dt.date(2025, 5, 16),
        plan,
        files,
        statuses,
        evaluations,
        [],
        finding_list,
    )
