"""A real list on a fake internet: the corpus list, checked end to end.

The world is built from the list itself (``tests/fixtures/corpus/``): every arXiv id it
cites exists, titled as arXiv titles it where ``titles_corpus.json`` knows the title
(otherwise as listed), a few papers carry the earlier title the list still shows;
every repository and dataset exists and every other page answers. Then a few things
are broken on purpose: two repositories deleted, two renamed, one dataset deleted, one
arXiv id mistyped in the copy, one host that does not resolve, one host that answers
503 once and one that answers 429 with ``Retry-After`` once.

The tests assert the exact online findings (rule and line), so every broken link and
every rename is reported and nothing else is: no false alarm among the ~150 correct
titles, no transient warning for the hosts that recover. They also assert the
manners: arXiv asked in ``ceil(ids / 100)`` paced calls plus one round for earlier
titles, never two at once; no arXiv page fetched; one request per unique target
elsewhere, plus the retries the flaky hosts asked for.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from listcheck.cache import ResultCache
from listcheck.checkers.arxiv.checker import ArxivChecker
from listcheck.checkers.base import ArxivTarget, GithubTarget, HfTarget, WebTarget
from listcheck.config import Config
from listcheck.models import ArxivId, Document, Report, Verdict
from listcheck.net.engine import Engine
from listcheck.online import OnlineSettings
from listcheck.parse import parse_document
from listcheck.plan import Plan, plan_checks
from listcheck.rules.base import CATALOGUE
from listcheck.run import OnlineRequest, RunRequest, run
from tests.fakes import FakeInternet, World
from tests.online_run import run_online as shared_run_online
from tests.online_run import targets_of

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "corpus" / "awesome-genai-unlearning.md"
TITLES = FIXTURES / "titles_corpus.json"

INTERVAL = 0.2
"""Seconds between arXiv calls in these tests (the CLI enforces 3.0)."""

DELETED_REPOS = ("RUCAIBox/HaluEval", "OPTML-Group/Unlearn-Saliency")
RENAMED_REPOS = {
    # cited five times, plain repository links
    "kevinyaobytedance/llm_unlearn": "kevinyao/llm_unlearn",
    # cited twice as /tree/main: the suggestion keeps the path
    "guangyaodou/SSU": "guangyaodou/SSU-copyright",
}
DELETED_DATASET = "azhx/counterfact"
MISTYPED_ID = ("2503.21088", "2503.21880")
"""(id as listed, id written in the copy instead): valid-looking, and not on arXiv."""
DEAD_HOST = ("https://www.wmdp.ai/", "https://www.wmdp.invalid/")
"""(URL as listed, URL in the copy): ``.invalid`` never resolves (RFC 6761)."""
FLAKY = "https://pile.eleuther.ai/"
RATE_LIMITED = "https://jmcauley.ucsd.edu/data/amazon/"
RETRY_AFTER = 1
LISTED_AS_V1 = ("2311.12047", "2401.05779", "2404.11577", "2406.10952", "2408.06621")
RETITLED = ("2303.05699", *LISTED_AS_V1)
"""Papers arXiv knows under two titles (v1 and the current one). Every one but
2303.05699 is listed under its v1 title (title-outdated); 2303.05699 is listed under
its current title (no finding). UnlearnCanvas (2402.11846) was retitled too, but it is
served as arXiv knew it before, so that its misspelling ("Dataaset") is a typo."""
TYPO_IDS = ("2402.11846", "2410.03523")
"""Real misspellings in the list: "Dataaset", "Probalisitic"."""

KNOWN = ("known title", "known title, wrapped", "known retitle")
ONLINE_RULES = frozenset(rule for rule, spec in CATALOGUE.items() if spec.needs_network)


# --------------------------------------------------------------------------- the world


@dataclass
class Scenario:
    """The list as the test writes it, and what the world holds for it."""

    path: Path
    text: str
    plan: Plan
    """Planned on the original copy (real URLs), for counting unique targets."""
    titles: dict[str, str] = field(default_factory=dict)
    """arXiv id -> its current title in the world."""
    earlier: dict[str, str] = field(default_factory=dict)
    """arXiv id -> its v1 title, for the retitled papers."""
    from_fixture: set[str] = field(default_factory=set)
    """arXiv ids titled as ``titles_corpus.json`` knows arXiv titles them."""
    web_urls: list[str] = field(default_factory=list)
    """Every served plain-web URL (real form)."""


def _arxiv_titles() -> dict[str, dict[str, Any]]:
    """arXiv id -> the fixture case giving its real title, chosen as the module says."""
    chosen: dict[str, dict[str, Any]] = {}
    cases = json.loads(TITLES.read_text(encoding="utf-8"))["cases"]
    for case in cases:
        if case["how"] not in KNOWN or case["expected"] not in ("same", "typo", "outdated"):
            continue
        arxiv_id = case["arxiv_id"]
        retitle = bool(case["earlier_titles"])
        if retitle != (arxiv_id in RETITLED):
            continue
        if retitle and "source" not in case:
            continue  # a constructed listing of a retitled paper; the list's own is wanted
        chosen.setdefault(arxiv_id, case)
    return chosen


def arxiv_targets(plan: Plan) -> dict[str, ArxivTarget]:
    return targets_of(plan, "arxiv", ArxivTarget)


def _listed_titles(doc: Document, plan: Plan) -> dict[str, str]:
    """arXiv id -> the first title the list gives it."""
    out: dict[str, str] = {}
    for index, entry in enumerate(doc.entries):
        if not entry.title:
            continue
        ids = [ref.id for i in entry.links if (ref := doc.links[i].arxiv) is not None]
        tagged = arxiv_targets(plan)
        tag_ids = [tagged[key].id for key in plan.entry_keys.get((0, index), ())]
        for arxiv_id in [*ids, *tag_ids]:
            out.setdefault(str(arxiv_id), entry.title)
    return out


def _rewrite(doc: Document, plan: Plan, server: FakeInternet) -> str:
    """The copy the run reads: plain-web URLs served by the fake (prefix mode), the dead
    host and the mistyped id put in; arXiv, GitHub and Hugging Face URLs stay real (they
    are checked through APIs that the configuration points at the fakes)."""
    lines = list(doc.lines)
    edits: dict[int, list[tuple[int, str, str]]] = {}
    for key, refs in plan.places.items():
        if key not in plan.of("web"):
            continue
        for ref in refs:
            link = doc.links[ref.link]
            new = DEAD_HOST[1] if link.url == DEAD_HOST[0] else server.web_url(link.url)
            edits.setdefault(link.line, []).append((link.column, link.url, new))
    for line_no, items in edits.items():
        text = lines[line_no - 1]
        for column, old, new in sorted(items, reverse=True):
            start = column - 1
            assert text[start : start + len(old)] == old, (line_no, column, old)
            text = text[:start] + new + text[start + len(old) :]
        lines[line_no - 1] = text
    rewritten = "\n".join(lines) + "\n"
    listed, typed = MISTYPED_ID
    assert rewritten.count(listed) == 1
    assert typed not in rewritten
    return rewritten.replace(listed, typed)


def build(world: World, server: FakeInternet, folder: Path) -> Scenario:
    """Declares the world for the corpus list and writes the copy the run reads."""
    original = CORPUS.read_text(encoding="utf-8")
    doc = parse_document(original, str(CORPUS))
    plan = plan_checks([doc], Config())
    scenario = Scenario(path=folder / "README.md", text="", plan=plan)

    known = _arxiv_titles()
    listed = _listed_titles(doc, plan)
    world.arxiv.wrap_titles = True  # long titles come back wrapped, as the API sends them
    for target in arxiv_targets(plan).values():
        arxiv_id = str(target.id)
        case = known.get(arxiv_id)
        current = " ".join(case["arxiv_title"].split()) if case else listed.get(arxiv_id)
        if case:
            scenario.from_fixture.add(arxiv_id)
        if case and case["earlier_titles"]:
            first = case["earlier_titles"]["1"]
            assert current is not None
            world.arxiv.add(arxiv_id, versions=[first, current])
            scenario.earlier[arxiv_id] = first
        else:
            world.arxiv.add(arxiv_id, current)
        scenario.titles[arxiv_id] = world.arxiv.papers[arxiv_id].versions[-1].title

    deleted = {slug.lower() for slug in DELETED_REPOS}
    repos: dict[str, tuple[str, set[str]]] = {}
    for github_target in targets_of(plan, "github", GithubTarget).values():
        name, files = repos.setdefault(
            github_target.slug.lower(), (github_target.slug, {"README.md"})
        )
        if github_target.path:
            files.add(github_target.path)
    for key, (name, files) in repos.items():
        if key in deleted:
            continue
        world.github.add_repo(name, files=sorted(files))
    for old, new in RENAMED_REPOS.items():
        world.github.rename(old, new)

    for hf_target in targets_of(plan, "huggingface", HfTarget).values():
        if hf_target.repo_id != DELETED_DATASET:
            assert hf_target.repo_type == "datasets"
            world.hf.add_dataset(hf_target.repo_id)

    for web_target in targets_of(plan, "web", WebTarget).values():
        if web_target.url == DEAD_HOST[0]:
            continue
        if web_target.url == FLAKY:
            world.web.unavailable_then_ok(FLAKY, times=1)
        elif web_target.url == RATE_LIMITED:
            world.web.rate_limited_then_ok(RATE_LIMITED, retry_after=RETRY_AFTER, times=1)
        else:
            world.web.page(web_target.url)
        scenario.web_urls.append(web_target.url)

    scenario.text = _rewrite(doc, plan, server)
    scenario.path.write_text(scenario.text, encoding="utf-8")
    return scenario


# --------------------------------------------------------------------------- expectations


def _lines(text: str, pattern: str) -> set[int]:
    found = re.compile(pattern)
    return {n for n, line in enumerate(text.splitlines(), 1) if found.search(line)}


def _citing_id(text: str, arxiv_id: str) -> set[int]:
    return _lines(text, rf"(?<![\d.]){re.escape(arxiv_id)}(?!\d)")


def _citing_repo(text: str, slug: str) -> set[int]:
    return _lines(text, rf"github\.com/{re.escape(slug)}(?=[/)\s\]])")


def expected_findings(scenario: Scenario) -> set[tuple[str, int]]:
    """What a correct run reports, written from the world's description."""
    text = scenario.text
    out: set[tuple[str, int]] = set()

    def add(rule: str, lines: Iterable[int]) -> None:
        found = set(lines)
        assert found, f"the list cites nothing for {rule}"
        out.update((rule, line) for line in found)

    for slug in DELETED_REPOS:
        add("github/not-found", _citing_repo(text, slug))
    for slug in RENAMED_REPOS:
        add("github/renamed", _citing_repo(text, slug))
    add("hf/not-found", _lines(text, re.escape(f"huggingface.co/datasets/{DELETED_DATASET})")))
    add("arxiv/not-found", _citing_id(text, MISTYPED_ID[1]))
    add("link/broken", _lines(text, re.escape(DEAD_HOST[1])))
    for arxiv_id in TYPO_IDS:
        add("arxiv/title-typo", _citing_id(text, arxiv_id))
    for arxiv_id in LISTED_AS_V1:
        add("arxiv/title-outdated", _citing_id(text, arxiv_id))
    return out


# --------------------------------------------------------------------------- the run


class SleepLog:
    """The engine's pauses, recorded instead of waited (retries cost no time here)."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


async def run_online(
    server: FakeInternet,
    path: Path,
    cache_path: Path,
    token: str | None = None,
    sleep: SleepLog | None = None,
) -> Report:
    return await shared_run_online(
        server,
        path,
        cache_path,
        token=token,
        interval=INTERVAL,
        timeout=5.0,
        sleep=sleep or SleepLog(),
    )


def online_findings(report: Report) -> set[tuple[str, int]]:
    return {(f.rule, f.line) for f in report.findings if f.rule in ONLINE_RULES}


@pytest.fixture
def scenario(fake_world: World, fake_server: FakeInternet, tmp_path: Path) -> Scenario:
    return build(fake_world, fake_server, tmp_path)


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize("token", [None, "ghs_corpus_token"], ids=["rest", "graphql"])
async def test_every_broken_link_and_rename_and_no_false_alarm(
    fake_world: World,
    fake_server: FakeInternet,
    scenario: Scenario,
    tmp_path: Path,
    token: str | None,
) -> None:
    if token:
        fake_world.github.tokens[token] = 5000
    report = await run_online(fake_server, scenario.path, tmp_path / "cache.sqlite3", token)

    assert online_findings(report) == expected_findings(scenario)
    # the titles are arXiv's own for nearly every paper, so "no title-mismatch" means
    # ~150 real (listed, arXiv) pairs judged without a false alarm
    assert len(scenario.from_fixture) >= 150

    suggestions = {(f.rule, f.line): f.suggestion for f in report.findings}
    lines = scenario.text.splitlines()
    for old, new in RENAMED_REPOS.items():
        for line in _citing_repo(scenario.text, old):
            cited = re.search(rf"https://github\.com/{re.escape(old)}[^)\s\]]*", lines[line - 1])
            assert cited is not None
            want = cited.group(0).replace(old, new, 1)
            assert suggestions["github/renamed", line] == want
    for arxiv_id in TYPO_IDS:
        for line in _citing_id(scenario.text, arxiv_id):
            assert suggestions["arxiv/title-typo", line] == scenario.titles[arxiv_id]
    for arxiv_id in LISTED_AS_V1:
        for line in _citing_id(scenario.text, arxiv_id):
            assert suggestions["arxiv/title-outdated", line] == scenario.titles[arxiv_id]

    verdicts = {link.url: link.verdict for link in report.links}
    assert verdicts[fake_server.web_url(FLAKY)] is Verdict.OK
    assert verdicts[fake_server.web_url(RATE_LIMITED)] is Verdict.OK
    assert verdicts[DEAD_HOST[1]] is Verdict.BROKEN
    assert verdicts[f"https://arxiv.org/abs/{MISTYPED_ID[1]}"] is Verdict.BROKEN
    assert not report.stats.offline


async def test_arxiv_is_paced_and_every_other_target_asked_once(
    fake_world: World, fake_server: FakeInternet, scenario: Scenario, tmp_path: Path
) -> None:
    sleep = SleepLog()
    report = await run_online(fake_server, scenario.path, tmp_path / "cache.sqlite3", sleep=sleep)
    log = fake_server.log

    # arXiv: every id in batches of at most 100 (max_results set to the batch), then one
    # round for the v1 titles of the retitled papers whose listed title is not current
    ids = {str(target.id) for target in arxiv_targets(scenario.plan).values()}
    ids = ids - {MISTYPED_ID[0]} | {MISTYPED_ID[1]}
    calls = log.of("arxiv")
    batches = [request.query["id_list"].split(",") for request in calls]
    assert all(
        len(b) <= 100 and request.query["max_results"] == str(len(b))
        for b, request in zip(batches, calls, strict=True)
    )
    first_round = math.ceil(len(ids) / 100)
    assert len(calls) == first_round + 1
    assert sorted(i for b in batches[:first_round] for i in b) == sorted(ids)
    assert sorted(batches[first_round]) == sorted(f"{i}v1" for i in LISTED_AS_V1)
    assert fake_world.arxiv.max_in_flight == 1

    # no arXiv page: every arXiv link was confirmed through the API
    assert not [r for r in log if "arxiv.org" in r.host or "arxiv.org" in r.url.split("?")[0]]
    assert not [host for host in report.stats.requests if "arxiv" in host]

    # GitHub REST: one request per repository, one more for each rename's redirect hop,
    # one per cited /tree/ or /blob/ path
    repos = {
        target.slug.lower() for target in targets_of(scenario.plan, "github", GithubTarget).values()
    }
    paths = [
        t
        for t in targets_of(scenario.plan, "github", GithubTarget).values()
        if t.path_kind in ("tree", "blob")
    ]
    assert len(log.of("github")) == len(repos) + len(RENAMED_REPOS) + len(paths)
    assert len(log.of("huggingface")) == len(scenario.plan.of("huggingface"))

    # the web: one request per URL; the flaky and the rate-limited host once more each,
    # after the pause the 429 asked for; the dead host never reached a server
    for url in scenario.web_urls:
        assert fake_world.web.hits(url) == (2 if url in (FLAKY, RATE_LIMITED) else 1), url
    assert len(log.of("web")) == len(scenario.web_urls) + 2
    assert RETRY_AFTER in sleep.waits

    # the report counts what the servers saw
    by_port = {f"127.0.0.1:{port}": service for service, port in fake_server.ports.items()}
    counted = {by_port[host]: n for host, n in report.stats.requests.items()}
    assert counted == {
        service: len(log.of(service)) for service in ("arxiv", "github", "huggingface", "web")
    }


async def test_token_goes_to_the_github_api_only(
    fake_world: World, fake_server: FakeInternet, scenario: Scenario, tmp_path: Path
) -> None:
    fake_world.github.tokens["ghs_corpus_token"] = 5000
    await run_online(fake_server, scenario.path, tmp_path / "cache.sqlite3", "ghs_corpus_token")
    assert {r.service for r in fake_server.log.with_authorization()} == {"github"}
    # GraphQL batches the repositories: far fewer requests than repositories
    assert len(fake_server.log.of("github")) < len(scenario.plan.of("github")) // 2


async def test_a_second_run_on_the_warm_cache_sends_nothing(
    fake_world: World, fake_server: FakeInternet, scenario: Scenario, tmp_path: Path
) -> None:
    cache = tmp_path / "cache.sqlite3"
    first = await run_online(fake_server, scenario.path, cache)
    before = len(fake_server.log)
    second = await run_online(fake_server, scenario.path, cache)
    assert fake_server.log.entries[before:] == []
    assert second.stats.requests == {}
    assert online_findings(second) == online_findings(first) == expected_findings(scenario)


# --------------------------------------------------------------------------- arXiv's pace


async def test_arxiv_calls_arrive_at_least_the_interval_apart(
    fake_world: World, fake_server: FakeInternet, scenario: Scenario, tmp_path: Path
) -> None:
    """The whole run, timed at the fake API: the pacer measures from the moment a call's
    headers are on the wire (an engine trace hook), not from when it was queued."""
    await run_online(fake_server, scenario.path, tmp_path / "cache.sqlite3")
    assert fake_world.arxiv.calls >= 2
    # The pacer spaces the moments calls leave; the server times the moment its handler
    # runs, which on a busy machine can start one call late and so show the next gap a
    # few milliseconds short. Unpaced calls would arrive back to back (gaps near 0).
    assert min(fake_world.arxiv.gaps()) >= INTERVAL - 0.02


async def test_a_call_delayed_by_the_engine_does_not_shorten_the_next_gap(
    fake_world: World, fake_server: FakeInternet
) -> None:
    """101 ids (two calls) while a slow page holds the engine's only slot: the first call
    waits a second for it, and the second still keeps the interval from the moment the
    first one left (it was timed from the queue before, and followed within ms)."""
    interval = 0.5
    ids = [ArxivId(f"2401.{n:05d}") for n in range(1, 102)]
    for arxiv_id in ids:
        fake_world.arxiv.add(arxiv_id, f"Paper {arxiv_id}")
    fake_world.web.slow("https://slow.example.org/", 1.0)
    async with Engine(timeout=5.0, max_redirects=0, per_host=1, total=1) as engine:
        checker = ArxivChecker(engine, api_url=fake_server.arxiv_api_url, min_interval=interval)
        busy = asyncio.create_task(
            engine.request("GET", fake_server.web_url("https://slow.example.org/"))
        )
        while fake_world.web.in_flight == 0:
            await asyncio.sleep(0.01)
        results = await checker.check_all([ArxivTarget(id=arxiv_id) for arxiv_id in ids])
        await busy
    assert {result.verdict for result in results} == {Verdict.OK}
    assert fake_world.arxiv.calls == 2
    assert min(fake_world.arxiv.gaps()) >= interval


# --------------------------------------------------------------------------- per-host limits


async def _run_with_api_host(server: FakeInternet, path: Path, cache: Path, host: str) -> Report:
    """A run whose arXiv API is addressed by ``host`` (the fake listens on 127.0.0.1)."""
    api_url = server.arxiv_api_url.replace("127.0.0.1", host, 1)
    config = Config.model_validate({"arxiv": {"api_url": api_url}})

    def settings() -> OnlineSettings:
        return OnlineSettings(
            config=config,
            environ={"GITHUB_API_URL": server.github_api_url, "HF_ENDPOINT": server.hf_endpoint},
            cache=ResultCache(cache),
            checker_options={"arxiv": {"min_interval": INTERVAL}},
        )

    request = RunRequest(paths=(path,), config=config, online=OnlineRequest(settings))
    return await asyncio.to_thread(run, request)


def _one_slow_host(world: World, server: FakeInternet, folder: Path) -> Path:
    """One paper and five pages of one host, each answering after 0.3 s."""
    world.arxiv.add("2401.00001", "Sparse Attention for Long Documents")
    lines = [
        "# List",
        "",
        "## Papers",
        "- Sparse Attention for Long Documents ([PDF](https://arxiv.org/abs/2401.00001))",
    ]
    for n in range(5):
        url = f"https://slow.example.org/page/{n}"
        world.web.page(url, delay=0.3)
        lines.append(f"- **Page {n}** ([site]({server.web_url(url)}))")
    path = folder / "README.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def test_a_host_gets_per_host_requests_at_once(
    fake_world: World, fake_server: FakeInternet, tmp_path: Path
) -> None:
    """The first page of a host alone (first contact), then ``per_host`` at once; the
    arXiv API is named ``localhost`` here, so its limit of one cannot reach the pages."""
    path = _one_slow_host(fake_world, fake_server, tmp_path)
    report = await _run_with_api_host(fake_server, path, tmp_path / "c.sqlite3", "localhost")
    assert {link.verdict for link in report.links} == {Verdict.OK}
    assert fake_world.arxiv.calls == 1
    assert fake_world.web.max_in_flight == Config().http.per_host


async def test_the_arxiv_limit_of_one_stays_on_the_arxiv_api(
    fake_world: World, fake_server: FakeInternet, tmp_path: Path
) -> None:
    """The same run with the API at 127.0.0.1, as in every end-to-end test: the pages
    (127.0.0.1, another port) go one at a time."""
    path = _one_slow_host(fake_world, fake_server, tmp_path)
    report = await _run_with_api_host(fake_server, path, tmp_path / "c.sqlite3", "127.0.0.1")
    assert {link.verdict for link in report.links} == {Verdict.OK}
    assert fake_world.web.max_in_flight == Config().http.per_host
