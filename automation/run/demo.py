"""`baocao demo`: the product end to end on example data, in seconds.

A fresh workspace on the default register; the templates of April and May 2025; unit files typed the way
units type them (on time, late after a correction, missing, broken, with typing variants, a lock file);
the April collect, then the May collect (on the 18th, a re-collect day, so the late file is taken);
then a short summary and where to look.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from automation.domain.dates import Period
from automation.domain.model import CollectOutput
from automation.errors import InputError
from automation.i18n.messages import t
from automation.plan.register import ensure_readable_plan, read_register
from automation.run.collect import collect
from automation.run.workspace import init_workspace
from automation.settings import Settings
from automation.templates.generate import (
    COL_CODE,
    COL_DIFFICULTIES,
    COL_DONE_ON,
    COL_EVIDENCE,
    COL_PROGRESS,
    COL_PROPOSALS,
    COL_RESULTS,
    COL_STATUS,
    template_name,
    write_templates,
)
from automation.templates.sample_files import fill_template
from automation.write.text import summary_lines

# The default plan's tasks fall due in March–July 2025; April and May 2025 show every kind of verdict.
DEMO_PERIOD = Period(2025, 5)
PREVIOUS_PERIOD = Period(2025, 4)
DEMO_MARK = ".baocao-demo"
_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=_TZ)


def _row(
    status: object, progress: object = None, done: object = None, results: str = "", **more: str
) -> dict:
    row = {COL_STATUS: status, COL_PROGRESS: progress, COL_DONE_ON: done, COL_RESULTS: results or None}
    labels = {"difficulties": COL_DIFFICULTIES, "proposals": COL_PROPOSALS, "evidence": COL_EVIDENCE}
    row.update({labels[k]: v for k, v in more.items()})
    return row


@dataclass
class DemoResult:
    workspace: Path
    period: Period
    output: CollectOutput | None = None
    templates: list[Path] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [t("demo.done", path=self.workspace, period=self.period.label), ""]
        if self.output is not None:
            workbook = self.output.workbook
            assert workbook is not None, "the demo's collect writes its workbook"
            lines += summary_lines(self.output.result)
            lines += [
                "",
                t("demo.workbook", path=workbook),
                t("demo.report", path=self.output.report_doc),
                t("demo.feedback", path=workbook.parent / "phan-hoi"),
                t("demo.inbox", path=self.workspace / "inbox"),
                t("demo.templates", path=self.workspace / "outbox" / str(self.period) / "mau"),
            ]
        return lines


def _prepare(folder: Path) -> Path:
    """An empty folder for the demo; a previous demo in it is replaced, anything else is refused."""
    folder = folder.expanduser().resolve()
    if folder.exists():
        if not folder.is_dir():
            raise InputError(t("workspace.not_a_dir", path=folder))
        if any(folder.iterdir()):
            if not (folder / DEMO_MARK).exists():
                raise InputError(t("demo.folder_not_empty", path=folder))
            shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / DEMO_MARK).write_text("baocao demo\n", encoding="utf-8")
    return folder


def _april(templates: Path, inbox: Path) -> None:
    def send(unit: str, when: str, rows: dict) -> None:
        fill_template(
            templates / template_name(unit, PREVIOUS_PERIOD),
            inbox / unit / template_name(unit, PREVIOUS_PERIOD),
            rows,
            received_at=_at(when),
        )

    send(
        "TDKT",
        "2025-04-10T09:15",
        {
            "1.1": _row(
                "Hoàn thành",
                100,
                dt.datetime(2025, 3, 28),
                "Đã ban hành Kế hoạch phát động phong trào thi đua",
            ),
            "1.2": _row("Đang thực hiện", 40, results="Đang tổng hợp danh sách đề xuất khen thưởng quý I"),
        },
    )
    send(
        "TCBC",
        "2025-04-14T15:30",
        {
            "2.1": _row(
                "Đang thực hiện",
                80,
                results="Đã trình dự thảo phương án sắp xếp tổ chức bộ máy",
                difficulties="Chờ hướng dẫn của Bộ Nội vụ về chức năng, nhiệm vụ",
            ),
        },
    )
    send(
        "VP",
        "2025-04-15T16:40",
        {
            "2.2": _row("Đang thực hiện", 60, results="Đã rà soát 12/20 quy trình nội bộ"),
            "3.1": _row("Đang thực hiện", 30, results="Đang khảo sát dữ liệu dân cư đã số hóa"),
            "3.2": _row("Đang thực hiện", 50, results="70% thủ tục hành chính đã trực tuyến toàn trình"),
            "3.4": _row("Chưa triển khai", 0),
        },
    )
    send(
        "CCVC",
        "2025-04-17T10:05",
        {
            "3.3": _row("Đang thực hiện", 40, results="Đã số hóa 40% hồ sơ cán bộ, công chức"),
            "4.1": _row("Chưa triển khai", 0),
            "4.2": _row("Chưa triển khai", 0),
            "4.3": _row(
                "Đang thực hiện", 20, results="Đã rà soát tỷ lệ cán bộ có chuyên môn khoa học kỹ thuật"
            ),
        },
    )


def _may(templates: Path, inbox: Path) -> None:
    def name(unit: str) -> str:
        return template_name(unit, DEMO_PERIOD)

    # TDKT: on time and clean
    fill_template(
        templates / name("TDKT"),
        inbox / "TDKT" / name("TDKT"),
        {
            "1.1": _row(
                "Hoàn thành",
                100,
                dt.datetime(2025, 3, 28),
                "Đã ban hành Kế hoạch phát động phong trào thi đua",
            ),
            "1.2": _row(
                "Đang thực hiện",
                70,
                results="Đã trình khen thưởng 5 tập thể, 12 cá nhân",
                evidence="Tờ trình số 35/TTr-TĐKT",
            ),
        },
        received_at=_at("2025-05-12T08:30"),
    )
    # TCBC: on time, typed the way people type (variants, text dates, "100%"), plus a contribution
    fill_template(
        templates / name("TCBC"),
        inbox / "TCBC" / "bao cao thang 5 TCBC.xlsx",
        {
            "2.1": _row(
                "đã hoàn thành ",
                "100%",
                "05/05/2025",
                "Đã trình UBND tỉnh phương án sắp xếp",
                proposals="Đề nghị Sở sớm ban hành quy chế làm việc mới",
            ),
        },
        support_rows=[
            {
                COL_CODE: "3.3",
                COL_STATUS: "đang triển khai",
                COL_RESULTS: "Phối hợp cung cấp dữ liệu biên chế",
            }
        ],
        received_at=_at("2025-05-15T17:05"),
    )
    # VP: a first file with the status forgotten (rejected), then the corrected file after the deadline
    fill_template(
        templates / name("VP"),
        inbox / "VP" / name("VP"),
        {
            "2.2": _row(None, 80, results="Đã rà soát 18/20 quy trình"),
        },
        received_at=_at("2025-05-14T10:00"),
    )
    fill_template(
        templates / name("VP"),
        inbox / "VP" / f"VP_{DEMO_PERIOD}_sua.xlsx",
        {
            "2.2": _row("Hoàn thành", 100, "12/05/2025", "Đã rà soát, điều chỉnh 20/20 quy trình nội bộ"),
            "3.1": _row(
                "Đang thực hiện",
                70,
                results="Đã tái cấu trúc 15 quy trình về cư trú",
                difficulties="Dữ liệu dân cư của một số xã chưa đồng bộ",
            ),
            "3.2": _row("HT", 100, results="100% thủ tục hành chính liên quan doanh nghiệp đã trực tuyến"),
            "3.4": _row(
                "Đang thực hiện",
                50,
                results="Đã điều chỉnh 6 quy trình nghiệp vụ",
                proposals="Đề nghị bổ sung kinh phí ký số",
            ),
        },
        received_at=_at("2025-05-17T09:20"),
    )
    # CCVC sends nothing this month. A broken file and a lock file land in the folder too.
    for path, data, when in (
        (
            inbox / "scan_bao_cao_thang5.xlsx",
            b"PK\x03\x04 this file was cut off during copying",
            "2025-05-13T11:00",
        ),
        (inbox / "VP" / f"~$VP_{DEMO_PERIOD}.xlsx", b"\x00lock", "2025-05-17T09:10"),
    ):
        path.write_bytes(data)
        stamp = _at(when).timestamp()
        os.utime(path, (stamp, stamp))


def run_demo(folder: Path, now: dt.datetime) -> DemoResult:
    """Create the demo workspace in ``folder``, simulate two months of unit files, collect both."""
    folder = _prepare(folder)
    init_workspace(folder)
    settings = Settings.load(folder)
    plan = ensure_readable_plan(read_register(settings.register_path))
    day = settings.submit_before_day or plan.submit_before_day
    templates = []
    for period in (PREVIOUS_PERIOD, DEMO_PERIOD):
        generated = _at(f"{period}-01T08:00")
        templates += write_templates(
            plan,
            settings.master_path,
            settings.period_dir(period) / "mau",
            period,
            day,
            generated,
            how_to_send=settings.how_to_send(),
        )
    _april(settings.period_dir(PREVIOUS_PERIOD) / "mau", settings.inbox_dir)
    collect(settings, plan, PREVIOUS_PERIOD, _at("2025-04-19T08:00"), now=now)
    _may(settings.period_dir(DEMO_PERIOD) / "mau", settings.inbox_dir)
    output = collect(settings, plan, DEMO_PERIOD, _at("2025-05-18T08:00"), now=now)
    return DemoResult(folder, DEMO_PERIOD, output, templates)
