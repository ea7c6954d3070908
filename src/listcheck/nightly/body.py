"""What the tracking issue says: its body and its comments, in Markdown escaped with the
reporters' helpers, pinging nobody."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from listcheck.nightly.model import DAY, Problem
from listcheck.nightly.state import TrackingState
from listcheck.nightly.trend import chart
from listcheck.reporters.common import (
    cell_text,
    code_cell,
    cut_to_fit,
    github_server,
    line_links,
    utc_day,
)

MARKER: Final = "<!-- listcheck:nightly -->"
"""Identifies a tracking issue together with the label; a hidden comment, so it survives
anyone's edits to the visible text."""


ISSUE_BODY_LIMIT: Final = 65_536
"""GitHub refuses an issue body longer than this many characters (HTTP 422)."""


MAX_ROWS: Final = 200
"""Problems listed in the body's table; the full report holds the rest."""


MAX_NEW_IN_COMMENT: Final = 20


_MENTION: Final = re.compile(r"(?<![\w.`/])@(?=[A-Za-z0-9])")


_ISSUE_REF: Final = re.compile(r"(?<![\w&/])#(?=\d)")


@dataclass(frozen=True)
class RunContext:
    """Where tonight's run lives, for links in the issue (all optional outside Actions)."""

    server_url: str = "https://github.com"
    repository: str | None = None
    sha: str | None = None
    run_id: str | None = None
    workspace: str | None = None

    @property
    def run_url(self) -> str | None:
        if self.repository and self.run_id:
            return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"
        return None

    def line_url(self, path: str, line: int) -> str | None:
        """The line on GitHub, linked as the job summary links it (the source view at
        the exact commit, the path percent-encoded), or None without repository and
        commit."""
        environ = {
            "GITHUB_SERVER_URL": self.server_url,
            "GITHUB_REPOSITORY": self.repository or "",
            "GITHUB_SHA": self.sha or "",
            "GITHUB_WORKSPACE": self.workspace or "",
        }
        return line_links(environ)(path, line)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> RunContext:
        return cls(
            server_url=github_server(environ),
            repository=environ.get("GITHUB_REPOSITORY") or None,
            sha=environ.get("GITHUB_SHA") or None,
            run_id=environ.get("GITHUB_RUN_ID") or None,
            workspace=environ.get("GITHUB_WORKSPACE") or None,
        )


def inert(text: str) -> str:
    """Text from the list made harmless inside an issue: a PR author must not be able to
    make the nightly issue ping ``@someone`` or cross-reference ``#123`` every night.
    A zero-width space after the sign keeps the text readable and the link dead."""
    text = _MENTION.sub("@\u200b", text)
    return _ISSUE_REF.sub("#\u200b", text)


def _cell(text: str) -> str:
    """One Markdown table cell that reads exactly as written (the reporters' escaping:
    no column or row breaks, no HTML, no markup) and pings nobody."""
    return inert(cell_text(" ".join(text.split())))


def _age(stamp: int, now: float) -> str:
    days = max(0, math.floor((now - stamp) / DAY))
    if days == 0:
        return f"{utc_day(stamp)} (new)"
    return f"{utc_day(stamp)} ({days} day{'s' if days != 1 else ''})"


def _where(problem: Problem, context: RunContext) -> str:
    shown = []
    for line in problem.lines[:3]:
        label = _cell(f"{problem.path}:{line}")
        url = context.line_url(problem.path, line)
        shown.append(f"[{label}]({url})" if url else label)
    more = len(problem.lines) - len(shown)
    return ", ".join(shown) + (f" (+{more})" if more > 0 else "")


def _table(problems: Sequence[Problem], state: TrackingState, now: float, ctx: RunContext) -> str:
    rows = ["| Rule | Where | What | Since |", "|---|---|---|---|"]
    for problem in problems[:MAX_ROWS]:
        what = code_cell(problem.url) + " — " if problem.url else ""
        what += _cell(problem.message)
        if problem.suggestion:
            what += " → " + code_cell(problem.suggestion)
        since = state.since.get(problem.key, int(now))
        rows.append(f"| `{problem.rule}` | {_where(problem, ctx)} | {what} | {_age(since, now)} |")
    if len(problems) > MAX_ROWS:
        rows.append(f"\n…and {len(problems) - MAX_ROWS} more (see the full report).")
    return "\n".join(rows)


def compose_body(
    *,
    failing: Sequence[Problem],
    unconfirmed: Sequence[Problem],
    state: TrackingState,
    markdown: str | None,
    now: float,
    context: RunContext,
    others: Sequence[int] = (),
    limit: int = ISSUE_BODY_LIMIT,
) -> str:
    """The whole issue body, never longer than ``limit``: the marker, the last nights'
    trend, what is failing and since when, what could not be confirmed, the full Markdown
    report folded away (cut to fit, with a pointer to the run), and the hidden state."""
    run = context.run_url
    checked = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%d %H:%M UTC")
    count = len(failing)
    head = [
        MARKER,
        f"**{count} problem{'s' if count != 1 else ''}** in the list as of {checked}"
        + (f" ([run]({run}))." if run else "."),
        "",
        "This issue is kept up to date by the nightly listcheck workflow: it is edited "
        "in place each night and closed when the list is clean. Fix the entries below "
        "(or suppress a finding with a `listcheck-disable` comment).",
    ]
    if others:
        numbers = ", ".join(f"#{n}" for n in others)
        head += [
            "",
            f"> Other open tracking issues found: {numbers}. Close them; this one is kept.",
        ]
    # Before the tables: when a huge table is cut to fit, the cut falls after the chart,
    # never inside its fenced block.
    head += ["", chart(state.nights, now)]
    if failing:
        head += ["", "### Failing", "", _table(failing, state, now, context)]
    if unconfirmed:
        head += [
            "",
            "### Could not be confirmed",
            "",
            "Not failures (yet): timeouts, rate limits, bot walls. A link that stays "
            "unconfirmed for `transient_error_after` runs becomes an error.",
            "",
            _table(unconfirmed, state, now, context),
        ]
    state_comment = state.encode()
    top = "\n".join(head) + "\n"
    tail = "\n" + state_comment + "\n"
    if markdown and markdown.strip():
        opening = "\n<details><summary>Full report</summary>\n\n"
        closing = "\n\n</details>\n"
        where = f": {run}" if run else ""
        note = f"*(cut to fit an issue; the whole report is in the run's artifacts{where})*"
        budget = limit - len(top) - len(tail) - len(opening) - len(closing)
        if budget > len(note) + 100:
            report = cut_to_fit(inert(markdown.strip()), budget, note)
            top += opening + (report or "") + closing
    body = top + tail
    if len(body) > limit:  # only a huge table can get here: keep the marker and state
        body = (cut_to_fit(top, limit - len(tail), "*(cut to fit an issue)*") or MARKER) + tail
    return body


def compose_new_comment(new: Sequence[Problem], run_url: str | None) -> str:
    """The note that tells subscribers something new broke (a body edit notifies nobody)."""
    lines = [f"New tonight: {len(new)} problem{'s' if len(new) != 1 else ''}."]
    for problem in new[:MAX_NEW_IN_COMMENT]:
        target = code_cell(problem.url) if problem.url else _cell(problem.message)
        lines.append(f"- `{problem.rule}` {target} ({_cell(problem.path)}:{problem.lines[0]})")
    if len(new) > MAX_NEW_IN_COMMENT:
        lines.append(f"- …and {len(new) - MAX_NEW_IN_COMMENT} more")
    if run_url:
        lines.append(f"\n[Run]({run_url})")
    return "\n".join(lines)


def compose_clean_comment(run_url: str | None) -> str:
    where = f" ([run]({run_url}))" if run_url else ""
    return (
        f"The list is clean tonight{where}: nothing at or above the failing severity. "
        "Closing; listcheck reopens this issue if problems come back."
    )
