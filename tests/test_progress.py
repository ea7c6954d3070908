"""The progress observer: one bar per service that has work, advanced by the checkers."""

from __future__ import annotations

import io

from listcheck.progress import TerminalProgress


def test_bars_per_service_with_work() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream)
    progress.start({"arxiv": 3, "github": 2, "huggingface": 0, "web": 1})
    progress.advance("arxiv", 2)
    progress.advance("arxiv", 1)
    progress.advance("web", 1)
    progress.advance("huggingface", 5)  # a service without a bar is ignored
    tasks = {task.description: (task.completed, task.total) for task in progress._bar.tasks}
    progress.stop()
    assert tasks == {"arXiv": (3, 3), "GitHub": (0, 2), "web": (1, 1)}


def test_nothing_to_do_draws_nothing() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream)
    progress.start({"arxiv": 0, "web": 0})
    progress.stop()
    assert stream.getvalue() == ""
