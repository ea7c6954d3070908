"""The nightly tracking issue against a local fake of GitHub's issues REST API.

The fake (below) keeps issues, comments and labels in memory and answers the calls the
tracker makes the way GitHub documents them: issues listed by label and state, oldest or
most recently updated first, paginated with ``Link`` headers (pull requests included, as
the real endpoint does), created, edited, closed, commented, labelled. It runs in its own
thread so the tests drive the real command line (``run``), which owns its event loop.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from listcheck import nightly
from listcheck.errors import ExitCode, InputError, ListcheckError
from listcheck.models import (
    Finding,
    LinkKind,
    LinkResult,
    Place,
    Report,
    Severity,
    Stats,
    Verdict,
)
from listcheck.nightly import (
    DEFAULT_LABEL,
    MARKER,
    Problem,
    RunContext,
    Status,
    TrackingState,
    append_summary,
    compose_body,
    inert,
)
from listcheck.reporters.common import line_links
from listcheck.reporters.json import dumps

TOKEN = "ghs_nightly_test"
REPO = "octo/awesome"
DAY = 86_400.0
NIGHT_1 = 1_790_000_000.0  # 2026-09-21, 03:33 UTC

# -- the fake issues API --------------------------------------------------------------------


@dataclass
class Forced:
    """A one-off answer for the next request matching ``method`` and ``path``."""

    method: str
    path: str
    status: int = 502
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    after: bool = False
    """Do the real work first, then lose the answer (drop the connection)."""


class FakeIssues:
    def __init__(self) -> None:
        self.issues: dict[int, dict[str, Any]] = {}
        self.comments: dict[int, list[str]] = {}
        self.labels: set[str] = set()
        self.log: list[tuple[str, str, str | None]] = []
        self.forced: list[Forced] = []
        self.drop_labels_on_create = False
        self.clock = 0
        self.base = ""

    # helpers for the tests
    def add(self, *, body: str, labels: tuple[str, ...] = (DEFAULT_LABEL,), **extra: Any) -> int:
        number = len(self.issues) + 1
        self.clock += 1
        self.issues[number] = {
            "number": number,
            "title": extra.pop("title", f"issue {number}"),
            "body": body,
            "state": extra.pop("state", "open"),
            "state_reason": None,
            "labels": [{"name": name} for name in labels],
            "created": self.clock,
            "updated": self.clock,
            **extra,
        }
        self.comments[number] = []
        return number

    def tracking(self, state: str = "open") -> list[dict[str, Any]]:
        return [
            issue
            for issue in self.issues.values()
            if issue["state"] == state
            and MARKER in (issue["body"] or "")
            and "pull_request" not in issue
        ]

    def calls(self, method: str, pattern: str = "") -> list[str]:
        return [path for m, path, _ in self.log if m == method and re.search(pattern, path)]

    # the server
    def app(self, *outer: Any) -> web.Application:
        app = web.Application(middlewares=[*outer, self.middleware])
        repo = "/repos/{owner}/{name}"
        app.router.add_get(repo + "/issues", self.list_issues)
        app.router.add_post(repo + "/issues", self.create_issue)
        app.router.add_patch(repo + "/issues/{number}", self.edit_issue)
        app.router.add_post(repo + "/issues/{number}/comments", self.comment)
        app.router.add_post(repo + "/issues/{number}/labels", self.add_labels)
        app.router.add_get(repo + "/labels/{label}", self.get_label)
        app.router.add_post(repo + "/labels", self.create_label)
        return app

    @web.middleware
    async def middleware(
        self, request: web.Request, handler: Callable[[web.Request], Any]
    ) -> web.StreamResponse:
        self.log.append((request.method, request.path_qs, request.headers.get("Authorization")))
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response({"message": "Bad credentials"}, status=401)
        if f"{request.match_info.get('owner')}/{request.match_info.get('name')}" != REPO:
            return web.json_response({"message": "Not Found"}, status=404)
        for forced in self.forced:
            if forced.method == request.method and re.fullmatch(forced.path, request.path):
                self.forced.remove(forced)
                if forced.after:
                    await handler(request)
                    assert request.transport is not None
                    request.transport.close()
                    return web.Response(status=500)
                return web.json_response(
                    forced.body or {"message": "forced"},
                    status=forced.status,
                    headers=forced.headers,
                )
        response: web.StreamResponse = await handler(request)
        return response

    async def list_issues(self, request: web.Request) -> web.Response:
        query = request.query
        wanted = {name for name in query.get("labels", "").split(",") if name}
        state = query.get("state", "open")
        items = [
            issue
            for issue in self.issues.values()
            if (state == "all" or issue["state"] == state)
            and wanted <= {label["name"] for label in issue["labels"]}
        ]
        key = "updated" if query.get("sort") == "updated" else "created"
        items.sort(key=lambda issue: issue[key], reverse=query.get("direction") == "desc")
        per_page = int(query.get("per_page", "30"))
        page = int(query.get("page", "1"))
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        last = max(1, -(-len(items) // per_page))
        if page < last:
            url = request.url.update_query(page=str(page + 1))
            final = request.url.update_query(page=str(last))
            headers["Link"] = f'<{url}>; rel="next", <{final}>; rel="last"'
        return web.json_response([self._shown(i) for i in chunk], headers=headers)

    def _shown(self, issue: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in issue.items() if k not in ("created", "updated")}

    async def create_issue(self, request: web.Request) -> web.Response:
        data = await request.json()
        labels = [] if self.drop_labels_on_create else list(data.get("labels", []))
        number = self.add(body=data["body"], labels=tuple(labels), title=data["title"])
        return web.json_response(self._shown(self.issues[number]), status=201)

    def _issue(self, request: web.Request) -> dict[str, Any]:
        number = int(request.match_info["number"])
        if number not in self.issues:
            raise web.HTTPNotFound(text='{"message": "Not Found"}')
        return self.issues[number]

    async def edit_issue(self, request: web.Request) -> web.Response:
        issue = self._issue(request)
        data = await request.json()
        for key in ("title", "body", "state", "state_reason"):
            if key in data:
                issue[key] = data[key]
        self.clock += 1
        issue["updated"] = self.clock
        return web.json_response(self._shown(issue))

    async def comment(self, request: web.Request) -> web.Response:
        issue = self._issue(request)
        data = await request.json()
        self.comments[issue["number"]].append(data["body"])
        self.clock += 1
        issue["updated"] = self.clock
        return web.json_response({"body": data["body"]}, status=201)

    async def add_labels(self, request: web.Request) -> web.Response:
        issue = self._issue(request)
        data = await request.json()
        names = {label["name"] for label in issue["labels"]} | set(data["labels"])
        issue["labels"] = [{"name": name} for name in sorted(names)]
        return web.json_response(issue["labels"])

    async def get_label(self, request: web.Request) -> web.Response:
        name = request.match_info["label"]
        if name not in self.labels:
            return web.json_response({"message": "Not Found"}, status=404)
        return web.json_response({"name": name})

    async def create_label(self, request: web.Request) -> web.Response:
        data = await request.json()
        if data["name"] in self.labels:
            return web.json_response({"message": "Validation Failed"}, status=422)
        self.labels.add(data["name"])
        return web.json_response({"name": data["name"]}, status=201)


class Served:
    """An aiohttp app on 127.0.0.1 in a thread of its own, with its own event loop."""

    def __init__(self, app: web.Application) -> None:
        self._app = app
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner = web.AppRunner(app)
        self.url = ""

    def __enter__(self) -> Served:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    async def _start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()


@pytest.fixture
def github() -> Iterator[FakeIssues]:
    fake = FakeIssues()
    with Served(fake.app()) as served:
        fake.base = served.url
        yield fake


# -- reports ------------------------------------------------------------------------------

LIST = "README.md"


def finding(rule: str, line: int, url: str | None, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,
        path=LIST,
        line=line,
        column=5,
        message=f"{rule} at line {line}",
        url=url,
    )


def report(*findings: Finding, links: tuple[LinkResult, ...] = ()) -> Report:
    counts: dict[str, int] = {}
    for item in findings:
        counts[item.severity.value] = counts.get(item.severity.value, 0) + 1
    return Report(
        version="0.1.0",
        files=(LIST,),
        entries=(),
        links=links,
        findings=findings,
        stats=Stats(files=1, findings=counts, offline=False),
    )


BROKEN_A = finding("link/broken", 10, "https://example.org/a")
BROKEN_B = finding("github/not-found", 20, "https://github.com/gone/repo")
MOVED = finding("link/moved", 30, "https://example.org/old", Severity.WARNING)


@dataclass
class Night:
    code: int
    out: str
    err: str


def night(
    github: FakeIssues,
    tmp_path: Path,
    rep: Report,
    now: float,
    *extra: str,
    env: dict[str, str] | None = None,
    markdown: str | None = "# the full report\n",
) -> Night:
    """One nightly ``issue`` command against the fake, as the workflow runs it."""
    path = tmp_path / "report.json"
    path.write_text(dumps(rep), encoding="utf-8")
    argv = ["issue", "--report", str(path), *extra]
    if markdown is not None:
        (tmp_path / "report.md").write_text(markdown, encoding="utf-8")
        argv += ["--markdown", str(tmp_path / "report.md")]
    environ = {
        "GITHUB_API_URL": github.base,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_RUN_ID": "4242",
        "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
        **(env or {}),
    }
    out, err = io.StringIO(), io.StringIO()
    try:
        code = nightly.run(argv, environ, out, err, now=now)
    except ListcheckError as exc:  # what main() turns into one line
        err.write(f"listcheck nightly: error: {exc}\n")
        code = exc.exit_code
    return Night(code, out.getvalue(), err.getvalue())


def state_of(issue: dict[str, Any]) -> TrackingState:
    return TrackingState.decode(issue["body"])


# -- the tracking issue --------------------------------------------------------------------


def test_first_night_creates_one_labelled_issue(github: FakeIssues, tmp_path: Path) -> None:
    result = night(github, tmp_path, report(BROKEN_A, MOVED), NIGHT_1)
    assert result.code == 0, result.err
    assert result.out == "tracking issue #1 created\n"
    [issue] = github.tracking()
    assert {label["name"] for label in issue["labels"]} == {DEFAULT_LABEL}
    assert DEFAULT_LABEL in github.labels  # the label was missing, so it was made first
    body = issue["body"]
    assert body.startswith(MARKER)
    assert "**1 problem**" in body
    assert "`https://example.org/a`" in body
    assert "https://example.org/old" not in body.split("<details>")[0]  # a warning: not failing
    assert "[README.md:10](https://github.com/octo/awesome/blob/0123456789abcdef" in body
    assert "# the full report" in body
    assert "actions/runs/4242" in body
    assert state_of(issue).since == {nightly.problem_key(BROKEN_A): int(NIGHT_1)}
    assert github.comments[1] == []  # a new issue notifies by itself


SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    ("environ", "path", "expected"),
    [
        (
            {"GITHUB_REPOSITORY": REPO, "GITHUB_SHA": SHA},
            "README.md",
            f"https://github.com/{REPO}/blob/{SHA}/README.md?plain=1#L10",
        ),
        (  # a path that would end the Markdown link is percent-encoded
            {"GITHUB_REPOSITORY": REPO, "GITHUB_SHA": SHA},
            "papers (2024).md",
            f"https://github.com/{REPO}/blob/{SHA}/papers%20%282024%29.md?plain=1#L10",
        ),
        (
            {"GITHUB_REPOSITORY": REPO, "GITHUB_SHA": SHA, "GITHUB_WORKSPACE": "/w/awesome"},
            "/w/awesome/docs/list.md",
            f"https://github.com/{REPO}/blob/{SHA}/docs/list.md?plain=1#L10",
        ),
        (
            {"GITHUB_REPOSITORY": REPO, "GITHUB_SHA": SHA, "GITHUB_SERVER_URL": "https://x.io/)"},
            "README.md",
            f"https://github.com/{REPO}/blob/{SHA}/README.md?plain=1#L10",
        ),
        ({"GITHUB_REPOSITORY": REPO}, "README.md", None),
        ({"GITHUB_REPOSITORY": "not a repository", "GITHUB_SHA": SHA}, "README.md", None),
    ],
)
def test_the_issue_links_lines_as_the_job_summary_does(
    environ: dict[str, str], path: str, expected: str | None
) -> None:
    """The source view at the commit (a Markdown file's rendered view has no line
    anchors), the path encoded, and only for a repository and commit that look real."""
    assert RunContext.from_environ(environ).line_url(path, 10) == expected
    assert line_links(environ)(path, 10) == expected


def test_repeated_nights_update_in_place_and_keep_since(github: FakeIssues, tmp_path: Path) -> None:
    for n in range(4):
        result = night(github, tmp_path, report(BROKEN_A), NIGHT_1 + n * DAY)
        assert result.code == 0, result.err
    assert len(github.issues) == 1
    assert len(github.calls("POST", r"/issues$")) == 1
    assert len(github.calls("PATCH")) == 3
    [issue] = github.tracking()
    assert "2026-09-21 (3 days)" in issue["body"]
    assert state_of(issue).since == {nightly.problem_key(BROKEN_A): int(NIGHT_1)}
    assert github.comments[1] == []  # nothing new: body edits only, no notification spam


def test_a_moved_line_is_the_same_problem(github: FakeIssues, tmp_path: Path) -> None:
    night(github, tmp_path, report(BROKEN_A), NIGHT_1)
    moved_down = BROKEN_A.model_copy(update={"line": 14})
    night(github, tmp_path, report(moved_down), NIGHT_1 + DAY)
    [issue] = github.tracking()
    assert "2026-09-21 (1 day)" in issue["body"]
    assert "README.md:14" in issue["body"]
    assert github.comments[1] == []


def test_new_problem_is_announced_in_a_comment(github: FakeIssues, tmp_path: Path) -> None:
    night(github, tmp_path, report(BROKEN_A), NIGHT_1)
    night(github, tmp_path, report(BROKEN_A, BROKEN_B), NIGHT_1 + DAY)
    [issue] = github.tracking()
    [comment] = github.comments[issue["number"]]
    assert comment.startswith("New tonight: 1 problem.")
    assert "https://github.com/gone/repo" in comment
    assert "example.org/a" not in comment
    since = state_of(issue).since
    assert since[nightly.problem_key(BROKEN_A)] == int(NIGHT_1)
    assert since[nightly.problem_key(BROKEN_B)] == int(NIGHT_1 + DAY)


def test_clean_report_closes_the_issue_with_a_comment(github: FakeIssues, tmp_path: Path) -> None:
    night(github, tmp_path, report(BROKEN_A), NIGHT_1)
    result = night(github, tmp_path, report(MOVED), NIGHT_1 + DAY)
    assert result.out == "tracking issue #1 closed\n"
    issue = github.issues[1]
    assert (issue["state"], issue["state_reason"]) == ("closed", "completed")
    [comment] = github.comments[1]
    assert "clean" in comment
    assert state_of(issue).status is Status.CLEAN
    # another clean night: nothing to do, nothing sent but the lookup
    before = len(github.log)
    result = night(github, tmp_path, report(), NIGHT_1 + 2 * DAY)
    assert result.out.startswith("the list is clean and no tracking issue is open")
    assert [m for m, _, _ in github.log[before:]] == ["GET"]


def test_clean_list_never_creates_an_issue(github: FakeIssues, tmp_path: Path) -> None:
    result = night(github, tmp_path, report(MOVED), NIGHT_1)
    assert result.code == 0
    assert github.issues == {}
    assert github.calls("POST") == []


def test_problems_coming_back_reopen_the_closed_issue(github: FakeIssues, tmp_path: Path) -> None:
    night(github, tmp_path, report(BROKEN_A), NIGHT_1)
    night(github, tmp_path, report(), NIGHT_1 + DAY)
    result = night(github, tmp_path, report(BROKEN_B), NIGHT_1 + 5 * DAY)
    assert result.out == "tracking issue #1 reopened\n"
    assert len(github.issues) == 1
    issue = github.issues[1]
    assert issue["state"] == "open"
    assert state_of(issue).since == {nightly.problem_key(BROKEN_B): int(NIGHT_1 + 5 * DAY)}
    assert github.comments[1][-1].startswith("New tonight: 1 problem.")


def test_an_issue_closed_by_hand_is_not_reopened(github: FakeIssues, tmp_path: Path) -> None:
    night(github, tmp_path, report(BROKEN_A), NIGHT_1)
    github.issues[1]["state"] = "closed"  # a maintainer closed it with problems listed
    result = night(github, tmp_path, report(BROKEN_A), NIGHT_1 + DAY)
    assert result.out == "tracking issue #2 created\n"
    assert [i["number"] for i in github.tracking()] == [2]


def test_several_open_issues_update_the_oldest_and_say_so(
    github: FakeIssues, tmp_path: Path
) -> None:
    first = github.add(body=f"{MARKER}\nhand-made copy")
    second = github.add(body=f"{MARKER}\nanother")
    result = night(github, tmp_path, report(BROKEN_A), NIGHT_1)
    assert result.out == f"tracking issue #{first} updated\n"
    assert f"close #{second} by hand" in result.err
    assert len(github.issues) == 2
    assert f"Other open tracking issues found: #{second}" in github.issues[first]["body"]
    assert "hand-made copy" not in github.issues[first]["body"]
    assert github.issues[second]["body"] == f"{MARKER}\nanother"
    # once clean, none of them stays open
    result = night(github, tmp_path, report(), NIGHT_1 + DAY)
    assert github.tracking() == []
    assert "closed 2 open tracking issues" in result.err
    assert all(github.comments[n] for n in (first, second))


def test_issues_without_the_marker_or_pull_requests_are_not_taken_over(
    github: FakeIssues, tmp_path: Path
) -> None:
    github.add(body="someone used our label for their own issue")
    github.add(body=f"{MARKER} a pull request quoting it", pull_request={"url": "x"})
    github.add(body=f"{MARKER}\nright body, no label", labels=())
    night(github, tmp_path, report(BROKEN_A), NIGHT_1)
    assert [i["number"] for i in github.tracking() if i["labels"]] == [4]
    assert github.issues[1]["body"] == "someone used our label for their own issue"


def test_pagination_finds_the_issue_on_a_later_page(github: FakeIssues, tmp_path: Path) -> None:
    for n in range(120):  # older labelled issues that are not ours fill pages 1-3
        github.add(body=f"unrelated {n}")
    ours = github.add(body=f"{MARKER}\nold body")
    for _ in range(3):
        result = night(github, tmp_path, report(BROKEN_A), NIGHT_1)
        assert result.out == f"tracking issue #{ours} updated\n"
    assert len(github.tracking()) == 1
    assert github.calls("POST", r"/issues$") == []
    pages = [p for p in github.calls("GET", r"/issues\?") if "state=open" in p]
    assert len(pages) == 3 * 3  # 121 issues at 50 a page, every night
    assert all(auth == f"Bearer {TOKEN}" for _, _, auth in github.log)


def test_a_lost_answer_to_create_does_not_make_a_duplicate(
    github: FakeIssues, tmp_path: Path
) -> None:
    github.forced.append(Forced("POST", r"/repos/octo/awesome/issues", after=True))
    result = night(github, tmp_path, report(BROKEN_A), NIGHT_1)
    assert result.code == 0, result.err
    assert result.out == "tracking issue #1 created\n"
    assert "was lost" in result.err
    assert len(github.calls("POST", r"/issues$")) == 1  # never sent twice
    night(github, tmp_path, report(BROKEN_A), NIGHT_1 + DAY)
    assert len(github.issues) == 1


def test_a_failed_create_is_reported_and_not_retried(github: FakeIssues, tmp_path: Path) -> None:
    github.forced.append(Forced("POST", r"/repos/octo/awesome/issues", status=502))
    result = night(github, tmp_path, report(BROKEN_A), NIGHT_1)
    assert result.code == ExitCode.ISSUES_API
    assert result.err.count("\n") == 1
    assert "GitHub answered 502 to POST /repos/octo/awesome/issues" in result.err
    assert len(github.calls("POST", r"/issues$")) == 1
    assert github.issues == {}


def test_a_flaky_listing_is_retried(github: FakeIssues, tmp_path: Path) -> None:
    github.forced.append(
        Forced("GET", r"/repos/octo/awesome/issues", status=503, headers={"Retry-After": "0"})
    )
    result = night(github, tmp_path, report(BROKEN_A), NIGHT_1)
    assert result.code == 0, result.err
    assert github.forced == []  # the 503 was answered, and the listing asked again
    assert len(github.calls("GET", r"/issues\?.*state=open")) == 2
    assert len(github.issues) == 1


def test_a_refused_edit_names_the_permission(github: FakeIssues, tmp_path: Path) -> None:
    github.add(body=MARKER)
    github.forced.append(
        Forced(
            "PATCH",
            r"/repos/octo/awesome/issues/1",
            status=403,
            body={"message": "Resource not accessible by integration"},
        )
    )
    result = night(github, tmp_path, report(BROKEN_A), NIGHT_1)
    assert result.code == ExitCode.ISSUES_API
    assert result.err == (
        "listcheck nightly: error: GitHub answered 403 to PATCH /repos/octo/awesome/issues/1: "
        "Resource not accessible by integration: the token may not do this "
        "(does the job have `permissions: issues: write`?)\n"
    )


def test_a_bad_token_is_one_line(github: FakeIssues, tmp_path: Path) -> None:
    result = night(github, tmp_path, report(BROKEN_A), NIGHT_1, env={"GITHUB_TOKEN": "wrong"})
    assert result.code == ExitCode.ISSUES_API
    assert "GitHub answered 401" in result.err
    assert "Bad credentials" in result.err
    assert github.issues == {}


def test_a_dropped_label_is_put_back(github: FakeIssues, tmp_path: Path) -> None:
    github.drop_labels_on_create = True  # GitHub drops labels for callers without push
    night(github, tmp_path, report(BROKEN_A), NIGHT_1)
    assert github.calls("POST", r"/issues/1/labels$")
    night(github, tmp_path, report(BROKEN_A), NIGHT_1 + DAY)
    assert len(github.issues) == 1


def test_an_existing_label_is_not_created_again(github: FakeIssues, tmp_path: Path) -> None:
    github.labels.add(DEFAULT_LABEL)
    night(github, tmp_path, report(BROKEN_A), NIGHT_1)
    assert github.calls("POST", r"/labels$") == []


def test_a_custom_label_is_encoded_in_the_path(github: FakeIssues, tmp_path: Path) -> None:
    night(github, tmp_path, report(BROKEN_A), NIGHT_1, "--label", "links/nightly check")
    assert github.calls("GET", r"/labels/links%2Fnightly%20check$")
    assert "links/nightly check" in github.labels
    night(github, tmp_path, report(BROKEN_A), NIGHT_1 + DAY, "--label", "links/nightly check")
    assert len(github.issues) == 1


def test_fail_on_warning_tracks_warnings(github: FakeIssues, tmp_path: Path) -> None:
    night(github, tmp_path, report(MOVED), NIGHT_1, "--fail-on", "warning")
    [issue] = github.tracking()
    assert "`https://example.org/old`" in issue["body"]


def test_unconfirmed_links_are_listed_apart(github: FakeIssues, tmp_path: Path) -> None:
    flaky = LinkResult(
        url="https://slow.example/paper",
        kind=LinkKind.WEB,
        verdict=Verdict.TRANSIENT,
        detail="timed out after 10 s",
        places=(Place(path=LIST, line=40, column=3),),
    )
    night(github, tmp_path, report(BROKEN_A, links=(flaky,)), NIGHT_1)
    night(github, tmp_path, report(BROKEN_A, links=(flaky,)), NIGHT_1 + 2 * DAY)
    body = github.tracking()[0]["body"]
    unconfirmed = body.split("### Could not be confirmed")[1].split("<details>")[0]
    assert "https://slow.example/paper" in unconfirmed
    assert "timed out after 10 s" in unconfirmed
    assert "2026-09-21 (2 days)" in unconfirmed
    assert "**1 problem**" in body
    # alone, an unconfirmed link opens nothing
    github.issues.clear()
    night(github, tmp_path, report(links=(flaky,)), NIGHT_1)
    assert github.issues == {}


def test_pagination_never_follows_a_link_off_the_api(github: FakeIssues, tmp_path: Path) -> None:
    elsewhere = FakeIssues()
    with Served(elsewhere.app()) as other:

        @web.middleware
        async def foreign_next(
            request: web.Request, handler: Callable[[web.Request], Any]
        ) -> web.StreamResponse:
            response: web.StreamResponse = await handler(request)
            if request.method == "GET" and request.path.endswith("/issues"):
                response.headers["Link"] = f'<{other.url}{request.path_qs}&page=2>; rel="next"'
            return response

        with Served(github.app(foreign_next)) as served:
            github.base = served.url
            result = night(github, tmp_path, report(BROKEN_A), NIGHT_1)
    assert result.code == ExitCode.ISSUES_API
    assert "pagination link leaves the API" in result.err
    assert elsewhere.log == []
    assert github.issues == {}


# -- command line errors --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"GITHUB_TOKEN": ""}, "set GITHUB_TOKEN"),
        ({"GITHUB_REPOSITORY": ""}, "set GITHUB_REPOSITORY"),
        ({"GITHUB_REPOSITORY": "no-slash"}, "set GITHUB_REPOSITORY"),
        ({"GITHUB_API_URL": "ftp://x"}, "not an http(s) API address"),
    ],
)
def test_settings_errors_exit_2(
    github: FakeIssues, tmp_path: Path, env: dict[str, str], message: str
) -> None:
    result = night(github, tmp_path, report(BROKEN_A), NIGHT_1, env=env)
    assert result.code == 2
    assert message in result.err
    assert result.err.count("\n") == 1
    assert github.log == []


def test_a_report_that_is_not_a_report_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "report.json"
    bad.write_text('{"version": "0.1.0", "files": []}', encoding="utf-8")
    code, err = _main(["issue", "--report", str(bad)])
    assert code == 2
    assert err.startswith("listcheck nightly: error: ")
    assert "not a listcheck JSON report" in err
    code, err = _main(["issue", "--report", str(tmp_path / "missing.json")])
    assert (code, err.count("\n")) == (2, 1)
    assert "no such report" in err
    bad.write_text("{not json", encoding="utf-8")
    code, err = _main(["render", "--report", str(bad), "--output", str(tmp_path / "r.md")])
    assert code == 2
    assert "not a JSON report" in err


def test_usage_errors_exit_2() -> None:
    code, err = _main(["issue"])
    assert code == 2
    assert "--report" in err
    code, err = _main(["issue", "--report", "r.json", "--label", "a,b"])
    assert code == 2


def _main(argv: list[str]) -> tuple[int, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "listcheck.nightly", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.stdout == ""
    return proc.returncode, proc.stderr


# -- the body and the state ---------------------------------------------------------------


def broken_problems(count: int, *, padding: str = "", repeat: int = 5) -> list[Problem]:
    """``count`` broken links, one a line, with messages ``repeat`` times as long as one
    404 and URLs made longer by ``padding``: a body too big for one issue."""
    return [
        Problem(
            key=f"link/broken\tREADME.md\thttps://example.org/{n}",
            rule="link/broken",
            severity=Severity.ERROR,
            path=LIST,
            lines=(n + 1,),
            url=f"https://example.org/{n}" + padding,
            message="404 Not Found " * repeat,
            suggestion=None,
        )
        for n in range(count)
    ]


def test_the_body_always_fits_an_issue() -> None:
    problems = broken_problems(3000, repeat=5)
    state = TrackingState().advance(problems, NIGHT_1)
    body = compose_body(
        failing=problems,
        unconfirmed=(),
        state=state,
        markdown="| a | b |\n" * 200_000,
        now=NIGHT_1,
        context=RunContext(repository=REPO, run_id="1"),
    )
    assert len(body) <= nightly.ISSUE_BODY_LIMIT
    assert body.startswith(MARKER)
    assert "…and 2800 more" in body
    assert "cut to fit an issue" in body
    kept = TrackingState.decode(body).since
    assert 0 < len(kept) <= len(problems)
    assert kept == {key: int(NIGHT_1) for key in kept}


def test_state_survives_the_round_trip_and_keeps_the_oldest_when_cut() -> None:
    since = {f"k{n}": 1_700_000_000 + n for n in range(5000)}
    state = TrackingState(since=since)
    assert TrackingState.decode("x\n" + state.encode(limit=10**9) + "\ny").since == since
    small = TrackingState.decode(state.encode(limit=2000))
    assert 0 < len(small.since) < len(since)
    assert min(small.since.values()) == 1_700_000_000  # the oldest entries are kept
    assert set(small.since.items()) <= set(since.items())


@pytest.mark.parametrize(
    "body",
    [
        None,
        "",
        "no state",
        "<!-- listcheck:nightly-state !!! -->",
        MARKER + "<!-- listcheck:nightly-state e30= -->",
    ],
)
def test_an_unreadable_state_is_a_fresh_start(body: str | None) -> None:
    assert TrackingState.decode(body) == TrackingState()


def test_a_url_cannot_end_the_hidden_state_early() -> None:
    key = "link/broken\tREADME.md\thttps://evil.example/--><img src=x>"
    encoded = TrackingState(since={key: 5}).encode()
    assert encoded.count("-->") == 1
    assert TrackingState.decode(encoded).since == {key: 5}


def test_text_from_the_list_pings_nobody() -> None:
    assert inert("thanks @octocat, see #12") == "thanks @\u200boctocat, see #\u200b12"
    assert inert("mail a@b.org, https://medium.com/@user, C#") == (
        "mail a@b.org, https://medium.com/@user, C#"
    )


def test_table_cells_hold_any_text(github: FakeIssues, tmp_path: Path) -> None:
    nasty = Finding(
        rule="arxiv/title-mismatch",
        severity=Severity.ERROR,
        path=LIST,
        line=3,
        column=1,
        message="title | with <b>html</b>\nand a new line, cc @octocat",
        url="https://example.org/`tick`|pipe",
    )
    night(github, tmp_path, report(nasty), NIGHT_1, markdown=None)
    body = github.tracking()[0]["body"]
    row = next(line for line in body.splitlines() if "title-mismatch" in line)
    assert row.count(" | ") == 3  # four cells, escaped pipes do not split them
    assert "&lt;b&gt;html&lt;/b&gt;" in row
    assert "@\u200boctocat" in row
    assert "``https://example.org/`tick`\\|pipe``" in row
    assert "<details>" not in body  # no Markdown report given


# -- render -----------------------------------------------------------------------------------


def test_render_writes_markdown_and_the_job_summary(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text(dumps(report(BROKEN_A, MOVED)), encoding="utf-8")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step output\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = nightly.run(
        ["render", "--report", str(path), "--output", str(tmp_path / "report.md"), "--summary"],
        {"GITHUB_STEP_SUMMARY": str(summary)},
        out,
        err,
    )
    assert code == 0, err.getvalue()
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "link/broken at line 10" in markdown  # the project's markdown format of the report
    assert markdown.endswith("\n")
    assert summary.read_text(encoding="utf-8") == "earlier step output\n" + markdown


def test_render_without_a_summary_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text(dumps(report()), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    args = ["render", "--report", str(path), "--output", str(tmp_path / "r.md"), "--summary"]
    assert nightly.run(args, {}, out, err) == 0
    assert "GITHUB_STEP_SUMMARY is not set" in err.getvalue()


@pytest.mark.parametrize("planted", ["output", "summary"])
def test_render_never_writes_through_a_planted_symlink(tmp_path: Path, planted: str) -> None:
    """A symlink where the report or the job summary goes (pointing at the list, say) is
    refused in one line and the file it points to stays as it was."""
    path = tmp_path / "report.json"
    path.write_text(dumps(report(BROKEN_A)), encoding="utf-8")
    victim = tmp_path / "README.md"
    victim.write_text("# the list\n", encoding="utf-8")
    output, summary = tmp_path / "report.md", tmp_path / "summary.md"
    (output if planted == "output" else summary).symlink_to(victim)
    out, err = io.StringIO(), io.StringIO()
    args = ["render", "--report", str(path), "--output", str(output), "--summary"]
    with pytest.raises(InputError, match="symbolic link"):
        nightly.run(args, {"GITHUB_STEP_SUMMARY": str(summary)}, out, err)
    assert victim.read_text(encoding="utf-8") == "# the list\n"


def test_main_says_one_line_through_the_cli_funnel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = nightly.main(["render", "--report", str(tmp_path / "none.json"), "--output", "x.md"])
    out, err = capsys.readouterr()
    assert code == 2
    assert (out, err.count("\n")) == ("", 1)
    assert err.startswith("listcheck nightly: error: ")


def test_the_summary_stays_within_the_step_limit(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_bytes(b"x" * 300 + b"\n")
    append_summary(summary, "line \u00e9\n" * 1000, limit=1000)
    data = summary.read_bytes()
    assert len(data) <= 1000
    text = data.decode("utf-8")  # never cut inside a character
    assert text.endswith(
        "*(cut to fit a job summary; the whole report is in the run's artifacts)*\n"
    )
    full = tmp_path / "full.md"
    full.write_bytes(b"x" * 990)
    append_summary(full, "too much\n" * 10, limit=1000)
    assert full.read_bytes() == b"x" * 990  # not even the note fits: nothing is added


def test_a_report_with_a_null_wall_time_loads(tmp_path: Path) -> None:
    data = json.loads(dumps(report(BROKEN_A)))
    data["stats"]["wall_time_s"] = None
    path = tmp_path / "report.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert nightly.load_report(path).findings == (BROKEN_A,)


def test_render_reads_broken_since_from_the_cache(tmp_path: Path) -> None:
    """The JSON contract has no history; the nightly render takes it from the cache."""
    import io

    from listcheck.cache import ResultCache
    from listcheck.checkers.base import CheckResult
    from listcheck.models import (
        Finding,
        LinkKind,
        LinkResult,
        Place,
        Report,
        Severity,
        Stats,
        Verdict,
    )
    from listcheck.nightly import render_markdown, with_history
    from listcheck.plan import check_key

    url = "https://gone.example.org/paper"
    key = check_key(url)
    assert key == f"web:{url}"
    cache_path = tmp_path / "results.sqlite3"
    first_night = 1_763_000_000.0
    with ResultCache(cache_path) as cache:
        for night in range(3):
            cache.put_many(
                [
                    CheckResult(
                        key=key,
                        verdict=Verdict.BROKEN,
                        status=404,
                        detail="404 Not Found",
                        checked_at=first_night + night * 86_400,
                    )
                ]
            )
    report = Report(
        version="0.1.0",
        files=("README.md",),
        entries=(),
        links=(
            LinkResult(
                url=url,
                kind=LinkKind.WEB,
                verdict=Verdict.BROKEN,
                status=404,
                detail="404 Not Found",
                places=(Place(path="README.md", line=7, column=12),),
            ),
        ),
        findings=(
            Finding(
                rule="link/broken",
                severity=Severity.ERROR,
                path="README.md",
                line=7,
                column=12,
                message="404 Not Found",
                url=url,
            ),
        ),
        stats=Stats(files=1, links=1, unique_urls=1),
    )
    enriched = with_history(report, cache_path, io.StringIO())
    assert [(h.url, h.consecutive_failures) for h in enriched.history] == [(url, 3)]
    markdown = render_markdown(enriched)
    assert "3 runs in a row" in markdown
    assert "2025-11-13" in markdown  # first_night, as a UTC date
    assert with_history(report, tmp_path / "none.sqlite3", io.StringIO()).history == ()
