"""Both cores for the heavy, independent work of a collect: reading the files and writing the feedback files.

Worker processes start with "spawn" (what Windows does) and cost about half a second to start, so the pool
is used only for a large inbox and is started at the beginning of the run, warming up while the inbox is
walked. Each task carries the language: a worker's messages must be those of the run.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from automation import messages
from automation.model import FileRecord, ParsedReport, RunResult
from automation.read import ReadLimits, read_report, read_report_bytes

# Measured on 2 cores: starting the pool costs ~0.5 s and reading a unit file ~1.1 ms, so the pool pays
# from about a thousand files.
PARALLEL_FROM = 800


def start_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes, already starting (a no-op task makes them spawn now)."""
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    for _ in range(workers):
        pool.submit(messages.set_language, messages.current_language())
    return pool


def parse_batch(
    batch: list[tuple[str, str | bytes, str]], limits: ReadLimits | None = None, language: str = "vi"
) -> list[tuple[str, ParsedReport]]:
    """Read (sha256, archive path or the bytes themselves, display name) items; return (sha256, ParsedReport)."""
    messages.set_language(language)
    return [
        (sha, read_report_bytes(source, name, limits=limits) if isinstance(source, bytes)
         else read_report(Path(source), name, limits=limits))
        for sha, source, name in batch
    ]  # fmt: skip


FeedbackJob = tuple[FileRecord, str, RunResult, str]


def feedback_batch(batch: list[FeedbackJob], language: str = "vi") -> int:
    """Write the feedback files of (record, unit name, the run's result for it, path) jobs."""
    from automation.write_feedback import write_feedback

    messages.set_language(language)
    for record, unit_name, result, path in batch:
        write_feedback(record, unit_name, result, Path(path))
    return len(batch)


def run_batches(pool: ProcessPoolExecutor, function, items: list, parts: int, **kwargs) -> list[Future]:
    """Submit ``items`` to ``pool`` in about ``parts`` batches of ``function``."""
    size = max(1, -(-len(items) // parts))
    return [pool.submit(function, items[i : i + size], **kwargs) for i in range(0, len(items), size)]
