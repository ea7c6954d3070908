"""The nightly run's memory: one GitHub issue that says what is broken in the list, and since when.

A scheduled check that only fails a workflow run is noise: the red cross goes to whoever
last edited the workflow, says nothing about what rotted, and is gone the next night.
Maintainers read issues, so the nightly workflow keeps exactly **one** tracking issue:

* found by a fixed label (``listcheck-nightly``) *and* a marker comment in its body
  (``<!-- listcheck:nightly -->``), so an issue someone else labelled is never taken over;
* created when the list has problems and none is open; a tracking issue that listcheck
  itself closed earlier is reopened instead, so the history stays in one thread;
* updated in place every night (body edits notify nobody, so a comment is added only
  when new problems appear);
* closed with a comment when the report has no finding at or above ``--fail-on``;
* never duplicated: when several are open (a race, a hand-made copy), the oldest is
  updated and the others are named, never joined by another.

"Since when" survives without the result cache (which GitHub evicts after a week
unused): the issue body carries its own state, a hidden comment mapping each problem to
the night it was first seen. The JSON report (the README's contract) says what is
wrong now; the state says for how long.

HTTP goes through the project's :class:`~listcheck.net.engine.Engine` rather than
``urllib``: it binds the token to the API origin on every redirect hop (urllib forwards
``Authorization`` to wherever a redirect points), bounds every read and every wait, and
retries 429/5xx honouring ``Retry-After``. Creating an issue or a comment is *not*
idempotent, so those go through a second engine that never retries: a POST whose answer
was lost may have worked, and is checked by listing again rather than sent twice.

Two commands, one per workflow job, so only the job that talks to the issues API needs
``issues: write``::

    python -m listcheck.nightly render --report report.json --output report.md --summary
    python -m listcheck.nightly issue --report report.json --markdown report.md

``render`` turns the JSON report into Markdown with the project's ``markdown`` reporter
(no second network run: a second run would count every failing link's streak twice).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import binascii
import json
import math
import os
import re
import sys
import time
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Final, TextIO
from urllib.parse import quote

from pydantic import ValidationError
from yarl import URL

from listcheck import safe_write
from listcheck.errors import ConfigError, ExitCode, InputError, ListcheckError
from listcheck.models import Finding, Report, Severity, Verdict
from listcheck.net.engine import Engine, HttpResponse, Sleep
from listcheck.net.errors import FetchError
from listcheck.reporters.common import cell_text, code_cell

PROG: Final = "listcheck.nightly"
MARKER: Final = "<!-- listcheck:nightly -->"
"""Identifies a tracking issue together with the label; a hidden comment, so it survives
anyone's edits to the visible text."""
STATE_PREFIX: Final = "<!-- listcheck:nightly-state "
DEFAULT_LABEL: Final = "listcheck-nightly"
DEFAULT_TITLE: Final = "listcheck nightly: problems in the list"
LABEL_COLOR: Final = "d73a4a"

ISSUE_BODY_LIMIT: Final = 65_536
"""GitHub refuses an issue body longer than this many characters (HTTP 422)."""
SUMMARY_LIMIT: Final = 1024 * 1024
"""GitHub keeps at most 1 MiB of job summary per step (DESIGN: where GitHub draws lines)."""
STATE_LIMIT: Final = 24_000
"""Characters the hidden state may take of the body; the visible report gets the rest."""
MAX_ROWS: Final = 200
"""Problems listed in the body's table; the full report holds the rest."""
MAX_NEW_IN_COMMENT: Final = 20
MAX_PAGES: Final = 50
"""Pages of issues read before giving up: a label filter never yields thousands."""
PER_PAGE: Final = 50
MAX_BODY: Final = 32 * 1024 * 1024
"""A page of 50 issues with 64 K-character bodies fits with room to spare."""
API_VERSION: Final = "2022-11-28"
DAY: Final = 86_400

_REPO: Final = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_NEXT_LINK: Final = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')
_MENTION: Final = re.compile(r"(?<![\w.`/])@(?=[A-Za-z0-9])")
_ISSUE_REF: Final = re.compile(r"(?<![\w&/])#(?=\d)")


class NightlyError(ListcheckError):
    """The issues API refused or failed: nothing was tracked this night."""

    exit_code = ExitCode.FINDINGS


# -- what is wrong ---------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing to fix: a failing rule on one URL (or message) in one file, wherever
    in that file it is cited. Line numbers are not part of its identity: an edit above
    it moves it without making it a new problem."""

    key: str
    rule: str
    severity: Severity
    path: str
    lines: tuple[int, ...]
    url: str | None
    message: str
    suggestion: str | None


def problem_key(finding: Finding) -> str:
    """What makes two findings the same problem, night after night."""
    what = finding.url if finding.url else finding.message
    return f"{finding.rule}\t{finding.path}\t{what}"


def failing_problems(report: Report, fail_on: Severity) -> list[Problem]:
    """Findings at or above ``fail_on``, one :class:`Problem` per key, in file order."""
    grouped: dict[str, list[Finding]] = {}
    for finding in report.findings:
        if finding.severity.rank >= fail_on.rank:
            grouped.setdefault(problem_key(finding), []).append(finding)
    problems = [
        Problem(
            key=key,
            rule=items[0].rule,
            severity=items[0].severity,
            path=items[0].path,
            lines=tuple(sorted({item.line for item in items})),
            url=items[0].url,
            message=items[0].message,
            suggestion=items[0].suggestion,
        )
        for key, items in grouped.items()
    ]
    return sorted(problems, key=lambda p: (p.path, p.lines[0], p.rule))


def unconfirmed_links(report: Report, failing: Iterable[Problem]) -> list[Problem]:
    """Links whose verdict is transient and that no failing problem already names."""
    named = {p.url for p in failing if p.url}
    out = []
    for link in report.links:
        if link.verdict is not Verdict.TRANSIENT or link.url in named or not link.places:
            continue
        first = link.places[0]
        out.append(
            Problem(
                key=f"transient\t{link.url}",
                rule="link/transient",
                severity=Severity.WARNING,
                path=first.path,
                lines=tuple(sorted({p.line for p in link.places if p.path == first.path})),
                url=link.url,
                message=link.detail or "could not be confirmed",
                suggestion=None,
            )
        )
    return sorted(out, key=lambda p: (p.path, p.lines[0]))


# -- the state kept in the issue ---------------------------------------------------------


class Status(StrEnum):
    OPEN = "open"
    CLEAN = "clean"
    """listcheck closed the issue because the list was clean; it may reopen it."""


@dataclass(frozen=True)
class TrackingState:
    """What the issue remembers between nights: since when each problem has been seen."""

    since: Mapping[str, int] = field(default_factory=dict)
    """Problem key -> Unix time (whole seconds) of the first night it was seen."""
    status: Status = Status.OPEN

    def encode(self, limit: int = STATE_LIMIT) -> str:
        """The hidden comment, compressed (keys are mostly URLs) and base64-encoded, so no
        URL can close the comment early. Past ``limit``, the most recent entries are
        dropped first: they lose least (a day of "since"), the oldest matter most."""
        entries = sorted(self.since.items(), key=lambda item: (item[1], item[0]))
        while True:
            payload = json.dumps(
                {"v": 1, "status": self.status.value, "since": dict(entries)},
                separators=(",", ":"),
                sort_keys=True,
            )
            blob = base64.b64encode(zlib.compress(payload.encode("utf-8"), 9)).decode("ascii")
            comment = f"{STATE_PREFIX}{blob} -->"
            if len(comment) <= limit or not entries:
                return comment
            entries = entries[: max(0, len(entries) - max(1, len(entries) // 10))]

    @classmethod
    def decode(cls, body: str | None) -> TrackingState:
        """The state found in an issue body; an absent or unreadable one is a fresh start
        (someone edited the body by hand): the worst outcome is "since tonight"."""
        if not body:
            return cls()
        start = body.rfind(STATE_PREFIX)
        end = body.find("-->", start)
        if start < 0 or end < 0:
            return cls()
        blob = body[start + len(STATE_PREFIX) : end].strip()
        try:
            data = json.loads(zlib.decompress(base64.b64decode(blob, validate=True)))
            since = {
                str(key): int(value)
                for key, value in data["since"].items()
                if isinstance(value, int) and not isinstance(value, bool) and value >= 0
            }
            return cls(since=since, status=Status(data.get("status", Status.OPEN)))
        except (ValueError, TypeError, KeyError, AttributeError, zlib.error, binascii.Error):
            return cls()

    def advance(self, problems: Iterable[Problem], now: float) -> TrackingState:
        """Tonight's state: known problems keep their night, new ones start now, fixed
        ones are forgotten (if one comes back, its clock starts again)."""
        stamp = int(now)
        return TrackingState(
            since={p.key: self.since.get(p.key, stamp) for p in problems}, status=Status.OPEN
        )


# -- what the issue says -------------------------------------------------------------------


@dataclass(frozen=True)
class RunContext:
    """Where tonight's run lives, for links in the issue (all optional outside Actions)."""

    server_url: str = "https://github.com"
    repository: str | None = None
    sha: str | None = None
    run_id: str | None = None

    @property
    def run_url(self) -> str | None:
        if self.repository and self.run_id:
            return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"
        return None

    def line_url(self, path: str, line: int) -> str | None:
        if self.repository and self.sha:
            return f"{self.server_url}/{self.repository}/blob/{self.sha}/{path}#L{line}"
        return None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> RunContext:
        return cls(
            server_url=(environ.get("GITHUB_SERVER_URL") or "https://github.com").rstrip("/"),
            repository=environ.get("GITHUB_REPOSITORY") or None,
            sha=environ.get("GITHUB_SHA") or None,
            run_id=environ.get("GITHUB_RUN_ID") or None,
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


def _code(text: str) -> str:
    """A code span that holds any text, as the reporters write one."""
    return code_cell(text)


def _day(stamp: int) -> str:
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d")


def _age(stamp: int, now: float) -> str:
    days = max(0, math.floor((now - stamp) / DAY))
    if days == 0:
        return f"{_day(stamp)} (new)"
    return f"{_day(stamp)} ({days} day{'s' if days != 1 else ''})"


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
        what = _code(problem.url) + " — " if problem.url else ""
        what += _cell(problem.message)
        if problem.suggestion:
            what += " → " + _code(problem.suggestion)
        since = state.since.get(problem.key, int(now))
        rows.append(f"| `{problem.rule}` | {_where(problem, ctx)} | {what} | {_age(since, now)} |")
    if len(problems) > MAX_ROWS:
        rows.append(f"\n…and {len(problems) - MAX_ROWS} more (see the full report).")
    return "\n".join(rows)


def _truncate(text: str, budget: int, note: str) -> str:
    """``text`` cut at a line boundary to at most ``budget`` characters, ``note`` included."""
    if len(text) <= budget:
        return text
    room = max(0, budget - len(note) - 1)
    cut = text.rfind("\n", 0, room)
    return text[: cut if cut > 0 else room] + "\n" + note


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
    """The whole issue body, never longer than ``limit``: the marker, what is failing and
    since when, what could not be confirmed, the full Markdown report folded away (cut to
    fit, with a pointer to the run), and the hidden state."""
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
            report = _truncate(inert(markdown.strip()), budget, note)
            top += opening + report + closing
    body = top + tail
    if len(body) > limit:  # only a huge table can get here: keep the marker and state
        body = _truncate(top, limit - len(tail), "*(cut to fit an issue)*") + tail
    return body


def compose_new_comment(new: Sequence[Problem], run_url: str | None) -> str:
    """The note that tells subscribers something new broke (a body edit notifies nobody)."""
    lines = [f"New tonight: {len(new)} problem{'s' if len(new) != 1 else ''}."]
    for problem in new[:MAX_NEW_IN_COMMENT]:
        target = _code(problem.url) if problem.url else _cell(problem.message)
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


# -- the issues API ------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    number: int
    body: str
    state: str
    labels: frozenset[str]

    @classmethod
    def from_json(cls, data: Any) -> Issue:
        labels = frozenset(
            str(item.get("name", "")) if isinstance(item, dict) else str(item)
            for item in data.get("labels") or ()
        )
        return cls(
            number=int(data["number"]),
            body=str(data.get("body") or ""),
            state=str(data.get("state") or "open"),
            labels=labels,
        )


class GitHubIssues:
    """The few calls of GitHub's issues REST API the tracker needs, on two engines:
    one retrying idempotent calls (GET, PATCH), one never retrying POSTs.

    Use as ``async with``. ``api_url`` may carry a path (GitHub Enterprise's
    ``/api/v3``); the token goes only to its origin."""

    def __init__(
        self,
        api_url: str,
        repository: str,
        token: str,
        *,
        timeout: float = 30.0,
        retries: int = 3,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._base = URL(api_url.rstrip("/"))
        self._repository = repository
        self._headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
        }
        common: dict[str, Any] = {
            "timeout": timeout,
            "max_redirects": 3,
            "per_host": 1,
            "total": 1,
            "sleep": sleep,
        }
        self._reads = Engine(retries=retries, **common)
        self._writes = Engine(retries=0, **common)

    async def __aenter__(self) -> GitHubIssues:
        await self._reads.open()
        await self._writes.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._reads.aclose()
        await self._writes.aclose()

    def _url(self, *segments: str) -> URL:
        """``{api}/repos/{owner}/{name}/...``, each segment percent-encoded whole (a label
        may hold a space or a slash)."""
        parts = ["repos", *self._repository.split("/", 1), *segments]
        path = "/".join(quote(part, safe="") for part in parts)
        return URL(f"{self._base}/{path}", encoded=True)

    async def _call(
        self, method: str, url: URL, payload: Any = None, *, ok: Iterable[int] = (200,)
    ) -> HttpResponse:
        engine = self._writes if method == "POST" else self._reads
        try:
            response = await engine.request(
                method,
                str(url),
                headers=self._headers,
                json=payload,
                max_body=MAX_BODY,
                secret_headers_for=str(self._base),
            )
        except FetchError as exc:
            raise NightlyError(f"{method} {url.path}: {exc.message}") from None
        if response.status not in set(ok):
            raise NightlyError(_refusal(method, url, response))
        if response.truncated:
            raise NightlyError(f"{method} {url.path}: answer larger than {MAX_BODY} bytes")
        return response

    async def tracking_issues(self, label: str, state: str) -> list[Issue]:
        """Issues (not pull requests) carrying ``label`` and the marker, oldest first for
        open ones, most recently updated first for closed ones; every page is read."""
        order = {"sort": "created", "direction": "asc"}
        if state == "closed":
            order = {"sort": "updated", "direction": "desc"}
        url: URL | None = self._url("issues").with_query(
            {"labels": label, "state": state, "per_page": str(PER_PAGE), **order}
        )
        found: list[Issue] = []
        pages = 0
        while url is not None:
            pages += 1
            if pages > MAX_PAGES:
                raise NightlyError(f"more than {MAX_PAGES} pages of issues labelled {label!r}")
            response = await self._call("GET", url)
            items = _json(response, url)
            if not isinstance(items, list):
                raise NightlyError(f"GET {url.path}: expected a list of issues")
            found += [
                Issue.from_json(item)
                for item in items
                if isinstance(item, dict)
                and "pull_request" not in item
                and MARKER in str(item.get("body") or "")
            ]
            url = self._next_page(response)
        return found

    def _next_page(self, response: HttpResponse) -> URL | None:
        """The ``rel="next"`` link, only if it stays at the API's origin (the token
        would not follow it elsewhere anyway; a page from elsewhere is not trusted)."""
        found = _NEXT_LINK.search(response.headers.get("Link", ""))
        if found is None:
            return None
        target = URL(found.group(1))
        if (target.scheme, target.host, target.port) != (
            self._base.scheme,
            self._base.host,
            self._base.port,
        ):
            raise NightlyError(f"pagination link leaves the API: {target}")
        return target

    async def ensure_label(self, label: str) -> None:
        """Creates the label if the repository lacks it: GitHub drops unknown labels
        from a new issue for some callers, and an unlabelled tracking issue would not
        be found tomorrow (a duplicate would follow)."""
        response = await self._call("GET", self._url("labels", label), ok=(200, 404))
        if response.status == 200:
            return
        await self._call(
            "POST",
            self._url("labels"),
            {
                "name": label,
                "color": LABEL_COLOR,
                "description": "Tracking issue kept by the nightly listcheck run",
            },
            ok=(201, 422),  # 422: created meanwhile by someone else
        )

    async def create(self, title: str, body: str, label: str) -> Issue:
        response = await self._call(
            "POST",
            self._url("issues"),
            {"title": title, "body": body, "labels": [label]},
            ok=(201,),
        )
        return Issue.from_json(_json(response, self._url("issues")))

    async def update(self, number: int, **fields: Any) -> Issue:
        url = self._url("issues", str(number))
        response = await self._call("PATCH", url, fields)
        return Issue.from_json(_json(response, url))

    async def add_labels(self, number: int, labels: Sequence[str]) -> None:
        url = self._url("issues", str(number), "labels")
        await self._call("POST", url, {"labels": list(labels)})

    async def comment(self, number: int, body: str) -> None:
        url = self._url("issues", str(number), "comments")
        await self._call("POST", url, {"body": body}, ok=(201,))


def _json(response: HttpResponse, url: URL) -> Any:
    try:
        return response.json()
    except ValueError:
        raise NightlyError(f"{url.path}: the answer is not JSON") from None


_HINTS: Final = {
    401: "the token was refused (is GITHUB_TOKEN set?)",
    403: "the token may not do this (does the job have `permissions: issues: write`?)",
    404: "no such repository, or the token cannot see it",
    410: "issues are disabled in this repository",
}


def _refusal(method: str, url: URL, response: HttpResponse) -> str:
    message = ""
    try:
        data = response.json()
        if isinstance(data, dict):
            message = str(data.get("message") or "")
    except ValueError:
        pass
    hint = _HINTS.get(response.status)
    parts = [f"GitHub answered {response.status} to {method} {url.path}"]
    if message:
        parts.append(" ".join(message.split())[:200])
    if hint:
        parts.append(hint)
    return ": ".join(parts)


# -- one night ---------------------------------------------------------------------------


class Action(StrEnum):
    CREATED = "created"
    REOPENED = "reopened"
    UPDATED = "updated"
    CLOSED = "closed"
    NOTHING = "nothing"


@dataclass(frozen=True)
class Outcome:
    action: Action
    number: int | None = None
    notes: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.number is None:
            return "the list is clean and no tracking issue is open: nothing to do"
        return f"tracking issue #{self.number} {self.action.value}"


@dataclass(frozen=True)
class TrackOptions:
    label: str = DEFAULT_LABEL
    title: str = DEFAULT_TITLE
    fail_on: Severity = Severity.ERROR
    context: RunContext = field(default_factory=RunContext)


async def track(
    api: GitHubIssues,
    report: Report,
    markdown: str | None,
    options: TrackOptions,
    now: float,
) -> Outcome:
    """Brings the tracking issue in line with tonight's report; see the module docstring."""
    failing = failing_problems(report, options.fail_on)
    unconfirmed = unconfirmed_links(report, failing)
    open_issues = await api.tracking_issues(options.label, "open")
    notes: list[str] = []
    current = open_issues[0] if open_issues else None
    others = [issue.number for issue in open_issues[1:]]
    run_url = options.context.run_url

    if not failing:
        if current is None:
            return Outcome(Action.NOTHING)
        if others:
            notes.append(f"closed {len(open_issues)} open tracking issues, not one")
        body = compose_body(
            failing=(),
            unconfirmed=unconfirmed,
            state=TrackingState(status=Status.CLEAN),
            markdown=markdown,
            now=now,
            context=options.context,
        )
        for issue in open_issues:  # all is well: no tracking issue stays open
            await api.comment(issue.number, compose_clean_comment(run_url))
            await api.update(issue.number, body=body, state="closed", state_reason="completed")
        return Outcome(Action.CLOSED, current.number, tuple(notes))

    if others:
        notes.append(
            f"several open tracking issues: kept #{open_issues[0].number}, "
            f"close {', '.join(f'#{n}' for n in others)} by hand"
        )
    action = Action.UPDATED
    if current is None:
        closed = await api.tracking_issues(options.label, "closed")
        reopen = next(
            (i for i in closed if TrackingState.decode(i.body).status is Status.CLEAN), None
        )
        if reopen is not None:
            current, action = reopen, Action.REOPENED
    previous = TrackingState.decode(current.body) if current is not None else TrackingState()
    if previous.status is Status.CLEAN:
        previous = TrackingState()  # a reopened issue starts its clocks again
    state = previous.advance([*failing, *unconfirmed], now)
    body = compose_body(
        failing=failing,
        unconfirmed=unconfirmed,
        state=state,
        markdown=markdown,
        now=now,
        context=options.context,
        others=others,
    )

    if current is None:
        return await _create(api, options, body, notes)
    if action is Action.REOPENED:
        await api.update(current.number, body=body, state="open")
        await api.comment(current.number, compose_new_comment(failing, run_url))
        return Outcome(action, current.number, tuple(notes))
    await api.update(current.number, body=body)
    new = [p for p in failing if p.key not in previous.since]
    if new:
        await api.comment(current.number, compose_new_comment(new, run_url))
    return Outcome(action, current.number, tuple(notes))


async def _create(api: GitHubIssues, options: TrackOptions, body: str, notes: list[str]) -> Outcome:
    """A new tracking issue, created at most once: a POST whose answer was lost may still
    have created it, so the open issues are listed again before anything is said."""
    await api.ensure_label(options.label)
    try:
        issue = await api.create(options.title, body, options.label)
    except NightlyError:
        appeared = await api.tracking_issues(options.label, "open")
        if not appeared:
            raise
        notes.append(f"the answer to creating #{appeared[0].number} was lost; it exists")
        return Outcome(Action.CREATED, appeared[0].number, tuple(notes))
    if options.label not in issue.labels:
        await api.add_labels(issue.number, [options.label])
    return Outcome(Action.CREATED, issue.number, tuple(notes))


# -- inputs --------------------------------------------------------------------------------


def load_report(path: Path) -> Report:
    """The JSON report (README: JSON output) as a :class:`Report`; one line if it is not."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such report (run listcheck --format json first)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the report: {exc}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"{path}: not a JSON report: {exc}") from None
    stats = data.get("stats") if isinstance(data, dict) else None
    if isinstance(stats, dict) and stats.get("wall_time_s") is None:
        stats["wall_time_s"] = 0.0  # the JSON reporter writes null for a non-finite time
    try:
        return Report.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(f"{path}: not a listcheck JSON report: {where}: {first['msg']}") from None


def read_markdown(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such Markdown report") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the Markdown report: {exc}") from None


def with_history(
    report: Report, cache_path: Path, stderr: TextIO, environ: Mapping[str, str] | None = None
) -> Report:
    """The report with each failing link's streak, read from the run's result cache (the
    JSON contract has no room for it). A missing or damaged cache only loses the dates.
    The API addresses come from the environment and the list's configuration, as in the
    run that filled the cache, so an enterprise API's answers are found."""
    from listcheck.cache import ResultCache
    from listcheck.config import load_config
    from listcheck.models import LinkHistory, Verdict
    from listcheck.plan import check_key

    def warn(line: str) -> None:
        stderr.write(f"{PROG}: warning: {line}\n")

    if not cache_path.is_file():
        warn(f"{cache_path}: no result cache; the report shows no dates")
        return report
    history: list[LinkHistory] = []
    scopes = load_config(None, Path.cwd()).api_scopes(environ or {})
    with ResultCache(cache_path, on_problem=warn, scopes=scopes) as cache:
        for link in report.links:
            if link.verdict not in (Verdict.BROKEN, Verdict.TRANSIENT):
                continue
            streak = cache.history(check_key(link.url))
            if streak is not None and streak.consecutive_failures:
                history.append(
                    LinkHistory(
                        url=link.url,
                        consecutive_failures=streak.consecutive_failures,
                        first_failed_at=streak.first_failed_at,
                    )
                )
    return report.model_copy(update={"history": tuple(history)})


def render_markdown(report: Report) -> str:
    """The project's ``markdown`` format of ``report``, as ``--format markdown`` writes it
    (with "broken since" when :func:`with_history` added the cache's streaks)."""
    from listcheck.reporters import get_reporter

    text = get_reporter("markdown").render(report)
    return text if text.endswith("\n") else text + "\n"


def append_summary(path: Path, markdown: str, limit: int = SUMMARY_LIMIT) -> None:
    """Adds ``markdown`` to the job summary so that the step's whole summary stays within
    GitHub's limit (UTF-8 bytes; what earlier commands of the step wrote counts too): cut
    at a line boundary, with a note. If not even the note fits, nothing is added: a
    summary over the limit is refused whole."""
    note = "\n*(cut to fit a job summary; the whole report is in the run's artifacts)*\n"
    try:
        used = path.stat().st_size
    except FileNotFoundError:
        used = 0
    except OSError as exc:
        raise InputError(f"{path}: cannot read the job summary: {exc.strerror}") from None
    budget = limit - used
    data = markdown.encode("utf-8")
    if len(data) > budget:
        room = budget - len(note.encode("utf-8"))
        if room < 0:
            return
        cut = data.rfind(b"\n", 0, room)
        head = data[: cut if cut > 0 else room].decode("utf-8", errors="ignore")
        data = (head + note).encode("utf-8")
    try:
        safe_write.append_text(path, data.decode("utf-8"))
    except safe_write.RefusedTarget as exc:
        raise InputError(f"{path}: the job summary {exc}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot write the job summary: {exc.strerror}") from None


# -- command line -------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise ConfigError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=f"python -m {PROG}",
        description="Nightly listcheck: render the report, keep one tracking issue.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    render = commands.add_parser("render", help="JSON report -> Markdown (no network)")
    render.add_argument("--report", type=Path, required=True, help="listcheck --format json output")
    render.add_argument("--output", type=Path, required=True, help="Markdown file to write")
    render.add_argument(
        "--summary",
        action="store_true",
        help="also append it to $GITHUB_STEP_SUMMARY (cut to 1 MiB)",
    )
    render.add_argument(
        "--cache",
        type=Path,
        help="the run's result cache: shows since when each failing link has failed",
    )
    issue = commands.add_parser("issue", help="create, update, reopen or close the tracking issue")
    issue.add_argument("--report", type=Path, required=True, help="listcheck --format json output")
    issue.add_argument("--markdown", type=Path, help="Markdown report folded into the issue")
    issue.add_argument("--label", default=DEFAULT_LABEL, help=f"default: {DEFAULT_LABEL}")
    issue.add_argument("--title", default=DEFAULT_TITLE, help="title of a new tracking issue")
    issue.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        default=Severity.ERROR.value,
        help="lowest severity that counts as a problem (default: error)",
    )
    issue.add_argument("--repo", help="owner/name (default: $GITHUB_REPOSITORY)")
    issue.add_argument("--api-url", help="default: $GITHUB_API_URL, else https://api.github.com")
    return parser


def _issue_settings(args: argparse.Namespace, environ: Mapping[str, str]) -> tuple[str, str, str]:
    repository = args.repo or environ.get("GITHUB_REPOSITORY") or ""
    if not _REPO.match(repository):
        raise ConfigError("set GITHUB_REPOSITORY (or --repo) to owner/name")
    token = environ.get("GITHUB_TOKEN") or ""
    if not token.strip():
        raise ConfigError("set GITHUB_TOKEN to a token that may write issues")
    if not args.label.strip() or "," in args.label or len(args.label) > 50:
        raise ConfigError(
            f"--label: {args.label!r} is not a usable label (1-50 characters, no comma)"
        )
    api_url = args.api_url or environ.get("GITHUB_API_URL") or "https://api.github.com"
    base = URL(api_url)
    if base.scheme not in ("http", "https") or not base.host:
        raise ConfigError(f"not an http(s) API address: {api_url!r}")
    return repository, token.strip(), api_url


def run(
    argv: Sequence[str] | None,
    environ: Mapping[str, str],
    stdout: TextIO,
    stderr: TextIO,
    now: float | None = None,
) -> int:
    """One command; raises :class:`ListcheckError` for anything that ends it early."""
    args = build_parser().parse_args(argv)
    report = load_report(args.report)
    if args.command == "render":
        if args.cache is not None:
            report = with_history(report, args.cache, stderr, environ)
        markdown = render_markdown(report)
        try:
            safe_write.write_text(args.output, markdown)
        except safe_write.RefusedTarget as exc:
            raise InputError(f"{args.output} {exc}") from None
        except OSError as exc:
            raise InputError(f"{args.output}: cannot write: {exc.strerror}") from None
        summary = environ.get("GITHUB_STEP_SUMMARY")
        if args.summary and summary:
            append_summary(Path(summary), markdown)
        elif args.summary:
            stderr.write(f"{PROG}: note: GITHUB_STEP_SUMMARY is not set; no job summary\n")
        return ExitCode.CLEAN
    markdown_text = read_markdown(args.markdown)
    repository, token, api_url = _issue_settings(args, environ)
    context = RunContext.from_environ({**environ, "GITHUB_REPOSITORY": repository})
    options = TrackOptions(
        label=args.label, title=args.title, fail_on=Severity(args.fail_on), context=context
    )

    async def night() -> Outcome:
        async with GitHubIssues(api_url, repository, token) as api:
            return await track(api, report, markdown_text, options, now or time.time())

    outcome = asyncio.run(night())
    for note in outcome.notes:
        stderr.write(f"{PROG}: warning: {note}\n")
    stdout.write(f"{outcome.describe()}\n")
    return ExitCode.CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    """Exit codes as the CLI's: 0 done, 1 the issues API failed, 2 usage or input, 3 a bug;
    through the CLI's own error funnel."""
    from listcheck.cli import funnel

    stdout, stderr = sys.stdout, sys.stderr
    return funnel(PROG, lambda: run(argv, os.environ, stdout, stderr), stdout, stderr)


if __name__ == "__main__":
    sys.exit(main())
