"""Benchmark of `baocao collect` against a naive baseline and the reading floor, measured in one run.

    python benchmarks/bench_collect.py [--units N] [--workdir DIR]

Builds a workspace with a generated register of N units (each leading two tasks), writes every unit's
template, fills each one the way a unit types (automation.templates.sample_files.fill_template, via openpyxl), then times,
each in a fresh process (interpreter start-up and imports included):

- collect:  `python -m automation collect` on a fresh ledger (first run of the month);
- rerun:    the same command again with no new files;
- naive:    pandas.read_excel(engine="openpyxl") of every file, concat, to_excel;
- floor:    python-calamine reading every cell of every sheet of every file, nothing else.

and prints wall time, peak memory (largest process, workers included) and the ratios the targets use:
collect ≤ 2× floor, naive ≥ 5× collect, rerun ≤ ⅓ collect, peak ≤ 500 MB at 5,000 files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from automation.domain.dates import Period  # noqa: E402
from automation.domain.model import Plan, Task, Unit  # noqa: E402
from automation.plan.register_write import write_register  # noqa: E402
from automation.run.workspace import init_workspace  # noqa: E402
from automation.settings import Settings  # noqa: E402
from automation.templates.generate import (  # noqa: E402
    COL_DONE_ON,
    COL_PROGRESS,
    COL_RESULTS,
    COL_STATUS,
    template_name,
    write_templates,
)
from automation.templates.sample_files import fill_template  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PERIOD = Period(2025, 5)
AS_OF = "2025-05-18T08:00"

MEASURE = textwrap.dedent(
    """
    import json, resource, subprocess, sys, time
    start = time.perf_counter()
    done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_kb / 1024, "rc": done.returncode,
                      "stderr": done.stderr[-2000:]}))
    """
)

NAIVE = textwrap.dedent(
    """
    import sys, pandas as pd
    frames = [pd.read_excel(path, engine="openpyxl", sheet_name=0, header=None) for path in sys.argv[2:]]
    pd.concat(frames, ignore_index=True).to_excel(sys.argv[1], index=False)
    """
)

FLOOR = textwrap.dedent(
    """
    import sys
    from python_calamine import CalamineWorkbook
    cells = 0
    for path in sys.argv[1:]:
        workbook = CalamineWorkbook.from_path(path)
        for name in workbook.sheet_names:
            cells += sum(len(row) for row in workbook.get_sheet_by_name(name).to_python())
    print(cells)
    """
)


def generated_plan(units: int) -> Plan:
    unit_list = tuple(Unit(f"U{i:04d}", f"Phòng thử nghiệm số {i}") for i in range(1, units + 1))
    tasks = []
    for i, unit in enumerate(unit_list, start=1):
        tasks.append(
            Task(
                f"{i}.1",
                f"{i}. Nhóm {i}",
                f"Nhiệm vụ thứ nhất của {unit.name}",
                unit.code,
                deadline=dt.date(2025, 3 + i % 5, 28),
                words=f"Trước ngày 28/{3 + i % 5}/2025",
            )
        )
        tasks.append(
            Task(
                f"{i}.2",
                f"{i}. Nhóm {i}",
                f"Nhiệm vụ thường xuyên của {unit.name}",
                unit.code,
                recurring=True,
                words="Thực hiện thường xuyên",
            )
        )
    return Plan(
        id="KH-BENCH",
        title="Kế hoạch đo hiệu năng",
        issuer="Sở Thử nghiệm",
        submit_before_day=16,
        ubnd_before_day=18,
        coordinator="U0001",
        units=unit_list,
        tasks=tuple(tasks),
    )


def _fill(job: tuple[str, str, str, int]) -> None:
    template, out, code, i = job
    status = ("Hoàn thành", "Đang thực hiện", "Chưa triển khai", "đang triển khai")[i % 4]
    first = {
        COL_STATUS: status,
        COL_PROGRESS: 100 if status == "Hoàn thành" else (i * 7) % 100,
        COL_RESULTS: f"Kết quả thực hiện của đơn vị {code}: đã tổ chức {i % 9 + 1} hội nghị",
    }
    if status == "Hoàn thành":
        first[COL_DONE_ON] = f"{1 + i % 28:02d}/04/2025"
    rows = {f"{i}.1": first, f"{i}.2": {COL_STATUS: "Đang thực hiện", COL_RESULTS: "Thực hiện đều đặn"}}
    day = 5 + i % 13  # days 5–17: most on time, some late
    received = dt.datetime(2025, 5, day, 8 + i % 9, i % 60, tzinfo=TZ)
    fill_template(Path(template), Path(out), rows, received_at=received)


def build(workdir: Path, units: int) -> tuple[Path, list[Path]]:
    workspace = workdir / "ws"
    init_workspace(workspace)
    settings = Settings.load(workspace)
    plan = generated_plan(units)
    write_register(plan, settings.register_path)
    mau = settings.period_dir(PERIOD) / "mau"
    write_templates(plan, settings.master_path, mau, PERIOD, 16, dt.datetime(2025, 5, 1, tzinfo=TZ))
    jobs = [
        (
            str(mau / template_name(u.code, PERIOD)),
            str(settings.inbox_dir / f"{u.code}_{PERIOD}.xlsx"),
            u.code,
            i,
        )
        for i, u in enumerate(plan.units, start=1)
    ]
    with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        list(pool.map(_fill, jobs, chunksize=32))
    return workspace, sorted(settings.inbox_dir.glob("*.xlsx"))


# Every command runs as an installed program would: with its modules' bytecode compiled (``compile_package``)
# and allowed to use it. An environment with PYTHONDONTWRITEBYTECODE (as CI images set) would otherwise make
# the collect and each of its worker processes compile about a hundred modules on every start.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def compile_package() -> None:
    import compileall

    compileall.compile_dir(ROOT / "automation", quiet=1)


def measure(command: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True, env=ENV
    )
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"{command[:4]} failed: {result['stderr']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--skip-naive", action="store_true", help="skip the (slow) naive baseline")
    parser.add_argument("--reuse", action="store_true", help="reuse the files already built in --workdir")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="baocao-bench-"))
    started = time.perf_counter()
    if args.reuse and (workdir / "ws" / "inbox").is_dir():
        workspace = workdir / "ws"
        files = sorted((workspace / "inbox").glob("*.xlsx"))
    else:
        workspace, files = build(workdir, args.units)
    print(f"{len(files)} unit files ready in {time.perf_counter() - started:.1f} s under {workdir}")
    compile_package()
    # the first run is a first run: no ledger, no archive, no earlier outputs
    shutil.rmtree(workspace / ".baocao", ignore_errors=True)
    shutil.rmtree(workspace / "outbox" / str(PERIOD) / "phan-hoi", ignore_errors=True)

    collect = [
        sys.executable,
        "-m",
        "automation",
        "collect",
        "-w",
        str(workspace),
        "-p",
        str(PERIOD),
        "--as-of",
        AS_OF,
    ]
    results = {"collect": measure(collect), "rerun": measure(collect)}
    results["floor"] = measure([sys.executable, "-c", FLOOR, *map(str, files)])
    if not args.skip_naive:
        results["naive"] = measure(
            [sys.executable, "-c", NAIVE, str(workdir / "naive.xlsx"), *map(str, files)]
        )

    print(
        f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )
    print(f"{'run':<10}{'seconds':>10}{'peak MB':>10}")
    for name, r in results.items():
        print(f"{name:<10}{r['seconds']:>10.2f}{r['peak_mb']:>10.0f}")
    c, f = results["collect"]["seconds"], results["floor"]["seconds"]
    print(f"\ncollect / floor  = {c / f:.2f}   (target ≤ 2)")
    if "naive" in results:
        print(f"naive / collect  = {results['naive']['seconds'] / c:.2f}   (target ≥ 5)")
    print(f"rerun / collect  = {results['rerun']['seconds'] / c:.2f}   (target ≤ 0.33)")
    print(f"collect peak     = {results['collect']['peak_mb']:.0f} MB (target ≤ 500 MB at 5,000 files)")


if __name__ == "__main__":
    main()
