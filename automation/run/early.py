"""Judging while the inbox is still walked (SPEC §6): each new unit file is handed to the collect's worker
pool as soon as intake has read its bytes and fixed its received time, so that reading and validating a
thousand files overlaps with hashing and archiving them. Nothing is decided here: the verdicts still take
every judgement by its ``judge_key``, so a judgement made early is used only if the file is judged on
exactly the same terms; anything not judged early is judged as before.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import replace

from automation.domain.model import FileRecord, Plan
from automation.i18n.messages import current_language
from automation.intake.folder import Incoming
from automation.run.judge import Job, judge, judge_key, needs_reading, plan_fingerprint
from automation.run.verdicts import reader_limits
from automation.run.workers import WorkerPool, judge_batch, take_back
from automation.settings import Settings

_BATCH = 16

Judged = tuple[str, FileRecord, bool]  # (judge key, record, whether the file was read now)


class EarlyJudge:
    """Judgements of new files made in the pool during intake (only once the pool has started: intake
    never waits for it)."""

    def __init__(self, pool: WorkerPool, plan: Plan, settings: Settings) -> None:
        self._pool = pool
        self._fingerprint = plan_fingerprint(plan)
        self._accept = settings.accept_unknown_senders
        self._limits = reader_limits(settings)
        self._language = current_language()
        self._plan = plan
        self._queued: list[Job] = []
        self._futures: list[Future[list[Judged]]] = []
        self._batches: list[list[Job]] = []

    def add(self, item: Incoming) -> None:
        """Queue ``item`` (a spreadsheet intake has just read) for judging, sending full batches."""
        if not needs_reading(item) or item.data is None:
            return
        copy = replace(item)  # as it is now: its judgement is filed under this key
        self._queued.append((judge_key(copy, self._fingerprint, self._accept), copy, None))
        if len(self._queued) >= _BATCH and self._pool.ready() is not None:
            self._send()

    def _send(self) -> None:
        executor = self._pool.ready()
        if executor is None:
            return
        for start in range(0, len(self._queued), _BATCH):
            batch = self._queued[start : start + _BATCH]
            self._futures.append(executor.submit(judge_batch, batch, self._limits, language=self._language))
            self._batches.append(batch)
        self._queued = []

    def results(self) -> dict[str, Judged]:
        """Every judgement made early, by key. Files still queued are sent now if the pool has started
        (else they are left to the verdicts' own judging); those the pool has not begun are judged here
        (this process is done with intake), the same function on the same terms."""
        self._send()
        take_back(self._futures, self._batches, self._judge_here)
        found: dict[str, Judged] = {}
        for future in self._futures:
            for judged in future.result():  # a worker's failure is this run's failure
                found[judged[0]] = judged
        self._futures, self._batches = [], []
        return found

    def _judge_here(self, batch: list[Job]) -> list[Judged]:
        return judge(batch, self._plan, self._accept, self._limits)
