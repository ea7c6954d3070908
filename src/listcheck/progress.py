"""A progress bar per service on standard error, for people watching a terminal.

The check stage only calls the :class:`~listcheck.online.Progress` observer methods;
this is the one implementation that draws anything, so the core never knows about
terminals (and JSON or CI runs simply use the silent default).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichBar

from listcheck.checkers import registry
from listcheck.online import Progress


class TerminalProgress(Progress):
    def __init__(self, stream: TextIO) -> None:
        self._bar = RichBar(
            TextColumn("{task.description:<13}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=stream),
            transient=True,
        )
        self._tasks: dict[str, TaskID] = {}

    def start(self, totals: Mapping[str, int]) -> None:
        services = registry.by_name()
        for service, total in totals.items():
            if total:
                label = services[service].title if service in services else service
                self._tasks[service] = self._bar.add_task(label, total=total)
        if self._tasks:
            self._bar.start()

    def advance(self, service: str, count: int) -> None:
        task = self._tasks.get(service)
        if task is not None:
            self._bar.advance(task, count)

    def stop(self) -> None:
        if self._tasks:
            self._bar.stop()
