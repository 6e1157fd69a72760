"""A plan at the size the summary page is promised for (issue 13): 40 tasks, 15 units, April and May 2025
collected from real unit files (the register written by ``write_register``, the templates generated, filled
with ``fill_template``), every list of the ``Tóm tắt`` sheet longer than it can show.

May, evaluated on 16/05/2025: 5 units on time, 6 late, 2 invalid (a file cut off in copying), 2 missing;
tasks overdue, completed late, not reported before and after their deadline, due in June, recurring;
difficulties written the same way with other case, accents and spacing; April differs everywhere, so many
evaluations change.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

from automation.domain.dates import Period
from automation.domain.model import Plan, Task, Unit
from automation.plan.default_plan import default_plan
from automation.plan.register import ensure_readable_plan, read_register
from automation.plan.register_write import write_register
from automation.run.collect import collect
from automation.run.workspace import init_workspace
from automation.settings import Settings
from automation.templates.generate import (
    COL_DIFFICULTIES,
    COL_DONE_ON,
    COL_PROGRESS,
    COL_PROPOSALS,
    COL_RESULTS,
    COL_STATUS,
    template_name,
    write_templates,
)
from automation.templates.sample_files import fill_template

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
APRIL, MAY = Period(2025, 4), Period(2025, 5)
UNITS = 15
TASKS = 40
_UNIT_NAMES = (
    "Phòng Tổ chức biên chế và Tổ chức phi chính phủ", "Phòng Cải cách hành chính và Văn thư lưu trữ",
    "Phòng Công chức, viên chức và Đào tạo bồi dưỡng", "Phòng Xây dựng chính quyền và Công tác thanh niên",
    "Ban Thi đua - Khen thưởng tỉnh", "Ban Tôn giáo tỉnh", "Văn phòng Sở", "Thanh tra Sở",
    "Trung tâm Lưu trữ lịch sử tỉnh", "Phòng Nội vụ thành phố Hải Dương", "Phòng Nội vụ thị xã Kinh Môn",
    "Phòng Nội vụ huyện Nam Sách", "Phòng Nội vụ huyện Thanh Hà", "Phòng Nội vụ huyện Cẩm Giàng",
    "Phòng Nội vụ huyện Gia Lộc",
)  # fmt: skip
_CONTENT = (
    "Tham mưu xây dựng, trình cấp có thẩm quyền ban hành và tổ chức triển khai thực hiện kế hoạch {n} về "
    "đẩy mạnh chuyển đổi số trong hoạt động quản lý nhà nước, bảo đảm đồng bộ, hiệu quả, đúng tiến độ"
)
_DIFFICULTIES = (
    "Thiếu kinh phí để triển khai số hóa hồ sơ, tài liệu",
    "thiếu kinh phí để triển khai số hoá hồ sơ,  tài liệu.",
    "Thieu kinh phi de trien khai so hoa ho so, tai lieu",
    "Đội ngũ cán bộ làm công tác chuyên môn còn thiếu và phải kiêm nhiệm nhiều việc",
    "Đội ngũ cán bộ làm công tác chuyên môn còn thiếu, phải kiêm nhiệm nhiều việc",
    "Hạ tầng công nghệ thông tin chưa đáp ứng yêu cầu kết nối, chia sẻ dữ liệu giữa các hệ thống",
    "Văn bản hướng dẫn của cấp trên ban hành chậm",
)
_PROPOSALS = (
    "Đề nghị UBND tỉnh bố trí bổ sung kinh phí năm 2025",
    "đề nghị UBND tỉnh bố trí bổ sung kinh phí năm 2025",
    "Đề nghị Sở Nội vụ tổ chức tập huấn nghiệp vụ cho cán bộ cấp huyện",
    "Đề nghị nâng cấp đường truyền và trang thiết bị",
)


def big_plan() -> Plan:
    """40 tasks over 15 units: deadlines in March–August 2025, four purely recurring tasks."""
    units = tuple(Unit(f"DV{i:02d}", name) for i, name in enumerate(_UNIT_NAMES, start=1))
    deadlines = [dt.date(2025, 3, 31), dt.date(2025, 4, 30), dt.date(2025, 5, 15), dt.date(2025, 5, 31),
                 dt.date(2025, 6, 15), dt.date(2025, 6, 30), dt.date(2025, 7, 31), dt.date(2025, 8, 31)]  # fmt: skip
    tasks = []
    for i in range(TASKS):
        recurring = i % 10 == 9
        deadline = None if recurring else deadlines[i % len(deadlines)]
        tasks.append(Task(
            code=f"{i // 10 + 1}.{i % 10 + 1}",
            group=f"{i // 10 + 1}. Nhóm nhiệm vụ số {i // 10 + 1} về cải cách hành chính và chuyển đổi số",
            content=_CONTENT.format(n=i + 1),
            lead=units[i % UNITS].code,
            coordinating="Các phòng, đơn vị thuộc Sở",
            deadline=deadline,
            recurring=recurring,
            words="Thường xuyên" if recurring else deadline.strftime("%d/%m/%Y") if deadline else "",
        ))  # fmt: skip
    return replace(default_plan(), units=units, tasks=tuple(tasks))


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def _rows(plan: Plan, unit: str, month: int, seed: int) -> dict[str, dict[str, object]]:
    rows: dict[str, dict[str, object]] = {}
    for index, task in enumerate(plan.tasks_led_by(unit)):
        kind = (index + seed + month) % 4
        deadline = task.deadline
        if kind == 0 and deadline is not None:  # completed; late when after the deadline
            done = min(deadline + dt.timedelta(days=10), dt.date(2025, month, 10))
            row: dict[str, object] = {COL_STATUS: "Hoàn thành", COL_PROGRESS: 100, COL_DONE_ON: done}
        elif kind == 1:
            row = {COL_STATUS: "Chưa triển khai", COL_PROGRESS: 0}
        else:
            row = {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 30 + 10 * index}
        row[COL_RESULTS] = f"Đã triển khai các bước theo kế hoạch của nhiệm vụ {task.code}"
        row[COL_DIFFICULTIES] = _DIFFICULTIES[(index + seed) % len(_DIFFICULTIES)]
        row[COL_PROPOSALS] = _PROPOSALS[(index + seed) % len(_PROPOSALS)]
        rows[task.code] = row
    return rows


def make_big_workspace(folder: Path) -> Path:
    """The workspace with April and May collected; returns May's consolidated workbook."""
    init_workspace(folder)
    settings = Settings.load(folder)
    write_register(big_plan(), settings.register_path)
    plan = ensure_readable_plan(read_register(settings.register_path))
    day = settings.submit_before_day or plan.submit_before_day
    now = dt.datetime(2025, 5, 18, 1, 0, tzinfo=dt.UTC)
    for period, as_of in ((APRIL, "2025-04-19T08:00"), (MAY, "2025-05-18T08:00")):
        folder_out = settings.period_dir(period) / "mau"
        write_templates(plan, settings.master_path, folder_out, period, day, _at(f"{period}-01T08:00"))
        for number, unit in enumerate(plan.units):
            name = template_name(unit.code, period)
            target = settings.inbox_dir / unit.code / name
            if period == MAY and number >= 13:
                continue  # missing
            if period == MAY and number >= 11:  # invalid: a file cut off while copying
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(b"PK\x03\x04 cut off")
                stamp = _at("2025-05-14T10:00").timestamp()
                os.utime(target, (stamp, stamp))
                continue
            late = period == MAY and number >= 5
            when = f"{period}-{16 if late else 12}T{8 + number % 8:02d}:{number * 3 % 60:02d}"
            if late:
                when = f"{period}-{16 + number % 2}T{8 + number % 8:02d}:{number * 3 % 60:02d}"
            fill_template(folder_out / name, target, _rows(plan, unit.code, period.month, number),
                          received_at=_at(when))  # fmt: skip
        collect(settings, plan, period, _at(as_of), now=now)
    return settings.period_dir(MAY) / f"tong-hop_{MAY}.xlsx"
