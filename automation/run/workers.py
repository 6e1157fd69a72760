"""Both cores for the heavy, independent work of a collect: judging the files (reading, identifying,
validating) and writing the feedback files.

Worker processes start with "spawn" (what Windows does) and cost about half a second to start, so the pool
is used only for a large inbox and is started at the beginning of the run, warming up while the inbox is
walked. Each task carries the language: a worker's messages must be those of the run.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

from automation.domain.model import FileRecord, Plan, RunResult
from automation.i18n import messages
from automation.read.report import ReadLimits
from automation.run.judge import Job, judge

# Measured on 2 cores: starting the pool costs ~0.5 s and reading a unit file ~1.1 ms, so the pool pays
# from about a thousand files.
PARALLEL_FROM = 800


_context: tuple[Plan, bool] | None = None  # in a worker: the register and ACCEPT_UNKNOWN_SENDERS


def _start_worker(language: str, plan: Plan, accept_unknown_senders: bool) -> None:
    global _context
    messages.set_language(language)
    _context = (plan, accept_unknown_senders)
    threading.Thread(target=_exit_with_parent, daemon=True).start()


def _exit_with_parent() -> None:
    """End this worker when the collect that started it is gone (killed alone, e.g. by the OOM killer):
    a worker must never outlive its run, blocked forever on a queue nobody reads."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)


def start_pool(workers: int, plan: Plan, accept_unknown_senders: bool) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes that judge files against ``plan``, already starting."""
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(messages.current_language(), plan, accept_unknown_senders),
    )
    for _ in range(workers):
        pool.submit(int)  # makes every worker spawn (and import) now, while the inbox is walked
    return pool


class WorkerPool:
    """The pool of a large collect, started on first use or ahead of time (``warm``) in a background
    thread: spawning blocks until each worker has started, and the run has other work meanwhile."""

    def __init__(self, workers: int, plan: Plan, accept_unknown_senders: bool) -> None:
        self._args = (workers, plan, accept_unknown_senders)
        self._starter: ThreadPoolExecutor | None = None
        self._pool: Future[ProcessPoolExecutor] | None = None

    def warm(self) -> None:
        if self._pool is None:
            self._starter = ThreadPoolExecutor(1, thread_name_prefix="baocao-pool")
            self._pool = self._starter.submit(start_pool, *self._args)

    def for_jobs(self, jobs: int) -> ProcessPoolExecutor | None:
        """The pool, if ``jobs`` pieces of work make it pay: from PARALLEL_FROM // 2 when it is already
        starting, from PARALLEL_FROM when it must be started now."""
        if jobs < PARALLEL_FROM // 2 or (self._pool is None and jobs < PARALLEL_FROM):
            return None
        self.warm()
        assert self._pool is not None
        return self._pool.result()

    def ready(self) -> ProcessPoolExecutor | None:
        """The pool if it was asked to warm up and has started; never waits."""
        if self._pool is None or not self._pool.done():
            return None
        return self._pool.result()

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.result().shutdown(cancel_futures=True)
        if self._starter is not None:
            self._starter.shutdown()


def judge_batch(
    batch: list[Job], limits: ReadLimits, language: str = "vi"
) -> list[tuple[str, FileRecord, bool]]:
    """``judge.judge`` in a worker, with the register the pool was started with."""
    assert _context is not None, "judge_batch runs in a pool made by start_pool"
    messages.set_language(language)
    return judge(batch, *_context, limits)


FeedbackJob = tuple[FileRecord, str, RunResult, str]


def feedback_batch(batch: list[FeedbackJob], language: str = "vi") -> int:
    """Write the feedback files of (record, unit name, the run's result for it, path) jobs."""
    from automation.write.feedback import write_feedback

    messages.set_language(language)
    for record, unit_name, result, path in batch:
        write_feedback(record, unit_name, result, Path(path))
    return len(batch)


def batches_of(items: list, parts: int) -> list[list]:
    """``items`` in about ``parts`` batches, in order."""
    size = max(1, -(-len(items) // parts))
    return [items[i : i + size] for i in range(0, len(items), size)]


def run_batches(pool: ProcessPoolExecutor, function, items: list, parts: int, **kwargs) -> list[Future]:
    """Submit ``items`` to ``pool`` in about ``parts`` batches of ``function``."""
    return [pool.submit(function, batch, **kwargs) for batch in batches_of(items, parts)]


def take_back(futures: list[Future], batches: list, run_here) -> None:
    """Run here the batches the pool has not started yet (the last first), each cancelled in the pool:
    this process, done with its own work, shares the rest instead of waiting. ``batches[i]`` is what
    ``futures[i]`` was given; ``run_here(batch)`` returns what the worker would have, which becomes the
    cancelled future's result."""
    for index in reversed(range(len(futures))):
        if futures[index].cancel():
            replacement: Future = Future()
            replacement.set_result(run_here(batches[index]))
            futures[index] = replacement
