"""The tracking issue's trend chart: the per-night series in the issue's state, the Mermaid
block drawn from it, and the nightly commands writing it into the issue (against the local
fake of GitHub's issues API from ``test_nightly``)."""

from __future__ import annotations

import base64
import io
import json
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from listcheck import cli, nightly
from listcheck.models import LinkKind, LinkResult, Place, Report, Stats, Verdict
from listcheck.nightly import MARKER, RunContext, TrackingState, compose_body
from listcheck.nightly.state import STATE_PREFIX
from listcheck.nightly.trend import WINDOW, Night, chart, day_of, record, tonight
from listcheck.reporters.json import dumps
from tests.test_nightly import (
    LIST,
    NIGHT_1,
    REPO,
    TOKEN,
    FakeIssues,
    Served,
    broken_problems,
    finding,
)

DAY = 86_400
TODAY = day_of(NIGHT_1)  # 2026-09-21 (NIGHT_1 is 14:13 UTC)
SOON = "*Broken, moved and transient links per night are charted here from the second night on.*"


@pytest.fixture
def github() -> Iterator[FakeIssues]:
    fake = FakeIssues()
    with Served(fake.app()) as served:
        fake.base = served.url
        yield fake


def link(n: int, verdict: Verdict) -> LinkResult:
    return LinkResult(
        url=f"https://example.org/{verdict.value}/{n}",
        kind=LinkKind.WEB,
        verdict=verdict,
        places=(Place(path=LIST, line=n + 1, column=3),),
    )


def linked(broken: int, moved: int, transient: int, *, offline: bool = False) -> Report:
    """A report whose links have these verdicts (plus one that is fine), each broken link
    also a failing finding, as the judge makes them."""
    links = (
        *(link(n, Verdict.BROKEN) for n in range(broken)),
        *(link(100 + n, Verdict.MOVED) for n in range(moved)),
        *(link(200 + n, Verdict.TRANSIENT) for n in range(transient)),
        link(300, Verdict.OK),
    )
    findings = tuple(
        finding("link/broken", item.places[0].line, item.url)
        for item in links
        if item.verdict is Verdict.BROKEN
    )
    return Report(
        version="0.1.0",
        files=(LIST,),
        entries=(),
        links=links,
        findings=findings,
        stats=Stats(files=1, findings={"error": len(findings)}, offline=offline),
    )


def old_body(data: object) -> str:
    """An issue body as listcheck wrote it before the trend chart (or with ``data``)."""
    blob = base64.b64encode(zlib.compress(json.dumps(data).encode("utf-8"))).decode("ascii")
    return f"{MARKER}\n**1 problem**\n{STATE_PREFIX}{blob} -->\n"


# -- the series --------------------------------------------------------------------------------


def test_tonight_counts_unique_links_by_verdict() -> None:
    assert tonight(linked(2, 1, 3), NIGHT_1) == Night(TODAY, 2, 1, 3)
    assert tonight(linked(0, 0, 0), NIGHT_1) == Night(TODAY, 0, 0, 0)
    # an offline report checked no link: its zeros would read as a clean night
    assert tonight(linked(2, 1, 3, offline=True), NIGHT_1) is None


def test_a_second_run_on_the_same_utc_day_replaces_its_point() -> None:
    first = record((), tonight(linked(1, 0, 0), NIGHT_1))
    morning = (TODAY + 1) * DAY + 3 * 3600  # 03:00 and 23:59 UTC on the next day
    second = record(first, tonight(linked(2, 1, 0), morning))
    again = record(second, tonight(linked(5, 0, 4), morning + 20 * 3600 + 59 * 60))
    assert again == (Night(TODAY, 1, 0, 0), Night(TODAY + 1, 5, 0, 4))
    assert record(again, None) == again  # no count tonight (offline): nothing changes


def test_the_series_keeps_the_last_30_nights_only() -> None:
    series: tuple[Night, ...] = ()
    for n in range(45):
        series = record(series, Night(TODAY + n, n, 0, 0))
    assert len(series) == WINDOW
    assert [p.day for p in series] == list(range(TODAY + 15, TODAY + 45))
    # a point 30 nights old falls out even when there are gaps between
    sparse = record((Night(TODAY - 30, 9, 9, 9), Night(TODAY - 29, 1, 1, 1)), Night(TODAY, 0, 0, 0))
    assert [p.day for p in sparse] == [TODAY - 29, TODAY]
    # a point after tonight (a clock gone wrong) is not kept either
    assert record((Night(TODAY + 3, 1, 1, 1),), Night(TODAY, 0, 0, 0)) == (Night(TODAY, 0, 0, 0),)


# -- the state ---------------------------------------------------------------------------------


def test_the_state_round_trips_with_its_series() -> None:
    nights = tuple(Night(TODAY - 29 + n, n, n % 3, 7) for n in range(WINDOW))
    state = TrackingState(since={"link/broken\tREADME.md\thttps://a": 1_700_000_000}, nights=nights)
    assert TrackingState.decode("text\n" + state.encode() + "\nmore") == state


def test_an_old_body_without_a_series_decodes_and_starts_one() -> None:
    body = old_body({"v": 1, "status": "open", "since": {"k": 1_700_000_000}})
    old = TrackingState.decode(body)
    assert old == TrackingState(since={"k": 1_700_000_000})
    assert old.with_night(Night(TODAY, 1, 2, 3)).nights == (Night(TODAY, 1, 2, 3),)
    # and a state without nights is written as before: absent, not an empty list
    blob = TrackingState(since={"k": 5}).encode()[len(STATE_PREFIX) : -len(" -->")]
    assert "nights" not in json.loads(zlib.decompress(base64.b64decode(blob)))


@pytest.mark.parametrize(
    ("stored", "kept"),
    [
        ("not a list", ()),
        ({"20717": [1, 2, 3]}, ()),
        ([[TODAY, 1, 2]], ()),
        ([[TODAY, -1, 0, 0], [TODAY + 1, 1, 0, 0]], (Night(TODAY + 1, 1, 0, 0),)),
        ([[TODAY, True, 0, 0], [TODAY, 2, 0, 0]], (Night(TODAY, 2, 0, 0),)),
        (
            [[TODAY + 1, 0, 0, 0], [TODAY, 3, 0, 0]],
            (Night(TODAY, 3, 0, 0), Night(TODAY + 1, 0, 0, 0)),
        ),
    ],
)
def test_a_damaged_series_loses_only_its_bad_points(
    stored: object, kept: tuple[Night, ...]
) -> None:
    body = old_body({"v": 1, "status": "open", "since": {"k": 9}, "nights": stored})
    state = TrackingState.decode(body)
    assert state.since == {"k": 9}  # "since when" survives a hand-edited series
    assert state.nights == kept


# -- the chart ---------------------------------------------------------------------------------

SMALL = (Night(TODAY - 3, 3, 1, 0), Night(TODAY - 2, 4, 1, 2), Night(TODAY, 2, 12, 0))

SMALL_CHART = """\
### Last 30 nights

```mermaid
%%{init: {"xyChart": {"width": 1000, "height": 320, "xAxis": {"labelFontSize": 11}}, \
"themeVariables": {"xyChart": {"plotColorPalette": "#cf222e, #0969da, #bf8700"}}}}%%
xychart-beta
    x-axis "night (UTC)" ["09-18", "09-19", "09-21"]
    y-axis "links" 0 --> 12
    line [3, 4, 2]
    line [1, 1, 12]
    line [0, 2, 0]
```

Links broken (red), moved (blue) and transient (yellow), one point per night, \
2026-09-18 to 2026-09-21 (UTC). No record for 1 night (09-20): left off the axis, \
not drawn as zero."""


def test_the_chart_of_a_small_series() -> None:
    assert chart(SMALL, NIGHT_1) == SMALL_CHART


def test_small_counts_keep_a_ten_link_axis_and_no_gap_means_no_gap_note() -> None:
    text = chart((Night(TODAY - 1, 0, 0, 0), Night(TODAY, 1, 0, 0)), NIGHT_1)
    assert '    y-axis "links" 0 --> 10' in text
    assert '["09-20", "09-21"]' in text
    assert "No record" not in text


@pytest.mark.parametrize(
    "series",
    [
        (),
        (Night(TODAY, 1, 2, 3),),
        (Night(TODAY - WINDOW, 1, 1, 1), Night(TODAY, 1, 2, 3)),  # the older one is out
    ],
)
def test_fewer_than_two_nights_draw_no_chart(series: tuple[Night, ...]) -> None:
    assert chart(series, NIGHT_1) == SOON


def test_the_body_keeps_the_chart_within_the_limit() -> None:
    """A full window and thousands of problems with long messages: the tables and the
    report are cut, the chart stays whole (before the tables) and so does the series."""
    problems = broken_problems(3000, padding="/" + "x" * 200, repeat=20)
    nights = tuple(Night(TODAY - 29 + n, 3000 + n, 500, 40) for n in range(WINDOW))
    state = TrackingState(nights=nights).advance(problems, NIGHT_1)
    body = compose_body(
        failing=problems,
        unconfirmed=problems[:200],
        state=state,
        markdown="| a | b |\n" * 200_000,
        now=NIGHT_1,
        context=RunContext(repository=REPO, run_id="1"),
    )
    assert len(body) <= nightly.ISSUE_BODY_LIMIT
    assert chart(nights, NIGHT_1) in body
    assert body.count("```") == 2  # the chart's fence is closed
    assert body.index("xychart-beta") < body.index("### Failing")
    assert TrackingState.decode(body).nights == nights


# -- the nightly commands ----------------------------------------------------------------------


def command_night(github: FakeIssues, tmp_path: Path, rep: Report, now: float) -> str:
    """One night as the workflow runs it: ``listcheck nightly render`` (JSON report to
    Markdown, the literal command line), then ``nightly issue`` with that Markdown at a
    set time. Returns the tracking issue's body."""
    report_json, report_md = tmp_path / "report.json", tmp_path / "report.md"
    report_json.write_text(dumps(rep), encoding="utf-8")
    argv = ["nightly", "render", "--report", str(report_json), "--output", str(report_md)]
    assert cli.main(argv) == 0
    environ = {"GITHUB_API_URL": github.base, "GITHUB_REPOSITORY": REPO, "GITHUB_TOKEN": TOKEN}
    out, err = io.StringIO(), io.StringIO()
    args = ["issue", "--report", str(report_json), "--markdown", str(report_md)]
    assert nightly.run(args, environ, out, err, now=now) == 0, err.getvalue()
    body: str = github.issues[1]["body"]
    return body


def test_render_then_issue_draw_the_trend_night_after_night(
    github: FakeIssues, tmp_path: Path
) -> None:
    first = command_night(github, tmp_path, linked(3, 1, 0), NIGHT_1 - 3 * DAY)
    assert SOON in first
    assert "xychart-beta" not in first
    command_night(github, tmp_path, linked(9, 9, 9), NIGHT_1 - 2 * DAY)
    command_night(github, tmp_path, linked(4, 1, 2), NIGHT_1 - 2 * DAY + 3600)  # replaces
    body = command_night(github, tmp_path, linked(2, 12, 0), NIGHT_1)  # no run the night before
    assert SMALL_CHART in body
    assert "**2 problems**" in body  # the rest of the body as ever
    assert body.count("| `link/broken` |") == 2
    assert TrackingState.decode(body).nights == SMALL


def test_the_trend_goes_on_through_a_clean_night_and_a_reopened_issue(
    github: FakeIssues, tmp_path: Path
) -> None:
    command_night(github, tmp_path, linked(1, 0, 0), NIGHT_1 - 2 * DAY)
    clean = command_night(github, tmp_path, linked(0, 2, 0), NIGHT_1 - DAY)
    assert github.issues[1]["state"] == "closed"
    assert "    line [1, 0]\n    line [0, 2]\n    line [0, 0]" in clean
    reopened = command_night(github, tmp_path, linked(1, 0, 1), NIGHT_1)
    assert github.issues[1]["state"] == "open"
    assert '["09-19", "09-20", "09-21"]' in reopened
    assert "    line [1, 0, 1]\n    line [0, 2, 0]\n    line [0, 0, 1]" in reopened
    # the clocks of a reopened issue start again; its trend does not
    assert set(TrackingState.decode(reopened).since.values()) == {int(NIGHT_1)}


def test_the_readme_example_is_drawn_as_the_issue_draws_it() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("```mermaid\n", 1)[1].split("\n```", 1)[0]
    drawn = chart(
        (
            Night(TODAY - 6, 5, 2, 1),
            Night(TODAY - 5, 5, 2, 0),
            Night(TODAY - 4, 6, 2, 3),
            Night(TODAY - 2, 4, 3, 1),
            Night(TODAY - 1, 4, 3, 0),
            Night(TODAY, 3, 3, 0),
        ),
        NIGHT_1,
    )
    assert f"```mermaid\n{block}\n```" in drawn
