"""The terminal at the CLI edge: ``rich`` consoles for tables, and the progress of long work.

Only the CLI uses this module (the library never prints). On a terminal, tables fit its width and long work
shows a ``rich.progress`` bar on stderr; when the output goes to a file, a pipe or the scheduler's log,
nothing here writes an escape code: tables are plain text and progress is a plain line every ~10%.
Imports the language and the write stage's texts only.
"""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.text import Text

from automation.domain.model import RunResult
from automation.i18n.messages import t
from automation.write.text import status_head, status_lines, status_table

# Below this many items the work is quick: no progress is shown.
MIN_ITEMS = 50


def is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def console(stream: TextIO) -> Console:
    """A console on ``stream`` that draws only when ``stream`` is a terminal (FORCE_COLOR is not obeyed)."""
    terminal = is_terminal(stream)
    return Console(
        file=stream,
        force_terminal=terminal,
        color_system="auto" if terminal else None,
        highlight=False,
        soft_wrap=False,
    )


def print_status(result: RunResult, stream: TextIO) -> None:
    """``baocao status``: the head line and the table, fitted to the terminal or plain for a file."""
    out = console(stream)
    if out.is_terminal:
        out.print(Text(status_head(result)))
        out.print(status_table(result, terminal=True))
        return
    for line in status_lines(result, width=out.width):
        stream.write(line + "\n")
    stream.flush()


def _stage_label(stage: str) -> str:
    labels = {
        "read": t("collect.stage.read"),
        "intake": t("collect.stage.intake"),
        "mail": t("collect.stage.mail"),
    }
    return labels.get(stage, stage)


class ProgressDisplay:
    """The ``progress(stage, done, total)`` callback of collect, status, remind and fetch-mail.

    On a terminal: a ``rich`` bar per stage on stderr, removed when its stage is done. Otherwise (a file,
    the scheduler's log): one plain catalogue line each time another tenth of the stage is done.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._stage: tuple[str, int] | None = None
        self._tenths = -1

    @property
    def stream(self) -> TextIO:
        return self._stream if self._stream is not None else sys.stderr  # resolved late: tests swap it

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total < MIN_ITEMS:
            return
        label = _stage_label(stage)
        if self._stage != (stage, total):
            self.close()
            self._stage, self._tenths = (stage, total), -1
        if is_terminal(self.stream):
            self._draw(label, done, total)
        else:
            tenths = done * 10 // total
            if tenths > self._tenths or done == total:
                self._tenths = tenths
                self.stream.write(t("collect.progress", stage=label, done=done, total=total) + "\n")
                self.stream.flush()
        if done >= total:
            self.close()

    def _draw(self, label: str, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console(self.stream),
                transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task(label, total=total)
        if self._task is not None:
            self._bar.update(self._task, completed=done)

    def close(self) -> None:
        """Stop a bar still drawn (work interrupted, or a new stage); harmless when none is."""
        if self._bar is not None:
            self._bar.stop()
        self._bar, self._task, self._stage = None, None, None
