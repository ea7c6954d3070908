"""Online speed and manners: a generated 1,000-entry list checked on a slow fake internet.

The list holds ~600 arXiv ids, 300 GitHub repositories and 300 other URLs on 60 hosts
(three of them slow). A child process serves the fake internet of ``tests/fakes``
with latency added to every answer (50-150 ms a page, 100 ms an API call, seconds on the
slow hosts); each fake web host listens on a port of its own, so listcheck's per-host
limits see 60 hosts as they would on the real web. This process runs the real
:func:`listcheck.run.run` twice, on a fresh cache and then on the warm one, with arXiv's
real pace (one call every 3 seconds), and prints:

- entries and unique targets per service, wall time, the floor and how it is computed
  (the slowest single URL, or arXiv's pacing, whichever is larger), and their ratio;
- requests by host, arXiv calls against ``ceil(ids / 100)``, requests to arxiv.org
  pages, URLs asked more than once and why, the gaps between arXiv calls as arXiv saw
  them; peak RSS of this process (the fake internet runs in the child);
- when each service finished, so a missed target can be traced to its service.

The fake arXiv API is addressed as ``localhost``, every other fake service as
``127.0.0.1``: the check stage limits the arXiv API's *host name* to one request in
flight (``host_limits`` in ``listcheck.online``), and the engine applies a host-name limit
to every port of that host, so an arXiv API on 127.0.0.1 would hold every fake web host
to one request at a time too (a slow host then costs five times its delay, not twice).

Run: ``python benchmarks/bench_online.py [--entries 1000] [--github graphql|rest]``.
Prints figures; asserts nothing (speed is measured here, not in the test suite).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import math
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.fakes, imported in the server process only
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import VENUES, WORDS  # noqa: E402

from listcheck.cache import ResultCache  # noqa: E402
from listcheck.config import ARXIV_MIN_INTERVAL, Config  # noqa: E402
from listcheck.models import Report  # noqa: E402
from listcheck.online import OnlineSettings, Progress  # noqa: E402
from listcheck.run import OnlineRequest, RunRequest, run  # noqa: E402

TOKEN = "ghs_benchmark_token"
API_LATENCY = 0.1
"""Seconds every arXiv, GitHub and Hugging Face API answer waits."""


# --------------------------------------------------------------------------- the list


@dataclass
class Spec:
    """What the generated list cites and how the fake internet treats each thing."""

    papers: dict[str, str] = field(default_factory=dict)
    """arXiv id -> its title on arXiv (ids cited but absent from arXiv are not here)."""
    cited_ids: list[str] = field(default_factory=list)
    repos: list[str] = field(default_factory=list)
    deleted_repos: set[str] = field(default_factory=set)
    renamed_repos: dict[str, str] = field(default_factory=dict)
    hosts: list[str] = field(default_factory=list)
    slow_hosts: set[str] = field(default_factory=set)
    pages: dict[str, float] = field(default_factory=dict)
    """Served URL -> seconds each answer waits."""
    missing_pages: set[str] = field(default_factory=set)
    flaky: str = ""
    """Answers 503 once, then 200."""
    rate_limited: str = ""
    """Answers 429 with Retry-After: 1 once, then 200."""
    slow_delay: float = 2.0
    latency: tuple[float, float] = (0.05, 0.15)

    @property
    def web_urls(self) -> list[str]:
        return [*self.pages, *sorted(self.missing_pages)]


def _title(rng: random.Random) -> str:
    head = rng.choice(WORDS).capitalize() + rng.choice(["", "Net", "Bench", "-X"])
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 11)))
    return f"{head}: {words[0].upper()}{words[1:]}"


def _misspell(title: str, rng: random.Random) -> str:
    """One realistic slip: two neighbouring letters of a long word swapped."""
    words = title.split()
    long = [i for i, word in enumerate(words) if len(word) >= 7 and word.isalpha()]
    i = rng.choice(long)
    w = words[i]
    j = rng.choice([k for k in range(1, len(w) - 2) if w[k] != w[k + 1]])
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def generate(
    entries: int = 1000, seed: int = 11, slow_hosts: int = 3, slow_delay: float = 2.0
) -> tuple[list[tuple[str, str, str]], Spec]:
    """The entries (kind, listed title, id-or-url) and the world they live in.

    3/5 of the entries cite an arXiv paper (a third of those also a repository), 1/10
    only a repository, 3/10 only a web page; every id, repository and page is cited
    once. A few things are wrong, as in a real list: two ids absent from arXiv, two
    repositories deleted and two renamed, a few pages gone, a few titles misspelt.
    """
    rng = random.Random(seed)
    spec = Spec(slow_delay=slow_delay)
    n_papers, n_repo_only = entries * 6 // 10, entries // 10
    n_web = entries - n_papers - n_repo_only
    n_hosts = max(1, n_web // 5)
    spec.hosts = [f"site{i:02d}.example.org" for i in range(n_hosts)]
    spec.slow_hosts = set(spec.hosts[:slow_hosts])
    ids: set[str] = set()
    while len(ids) < n_papers:
        ids.add(f"{rng.randint(18, 25):02d}{rng.randint(1, 12):02d}.{rng.randint(1, 19999):05d}")
    spec.cited_ids = sorted(ids)
    rng.shuffle(spec.cited_ids)
    n_repos = n_papers // 3 + n_repo_only
    spec.repos = [f"org{i % 97}/tool-{i}" for i in range(n_repos)]
    spec.deleted_repos = {spec.repos[5], spec.repos[250 % n_repos]}
    spec.renamed_repos = {
        spec.repos[7]: "neworg/tool-7",
        spec.repos[260 % n_repos]: f"{spec.repos[260 % n_repos]}-v2",
    }

    rows: list[tuple[str, str, str]] = []
    typos = set(rng.sample(range(n_papers), 5))
    for index, arxiv_id in enumerate(spec.cited_ids):
        title = _title(rng)
        if index not in (3, 400 % n_papers):  # two ids arXiv does not have
            spec.papers[arxiv_id] = title
        listed = _misspell(title, rng) if index in typos else title
        rows.append(("paper", listed, arxiv_id))
    for index, repo in enumerate(spec.repos):
        if index < n_papers // 3:
            kind, listed, cited = rows[index]
            rows[index] = (kind, listed, f"{cited} {repo}")
        else:
            rows.append(("repo", _title(rng), repo))
    for index in range(n_web):
        host = spec.hosts[index % n_hosts]
        url = f"https://{host}/projects/{index}/"
        if index in (11, 222 % n_web, 233 % n_web, 244 % n_web):
            spec.missing_pages.add(url)
        elif host in spec.slow_hosts:
            spec.pages[url] = slow_delay
        else:
            spec.pages[url] = round(rng.uniform(*spec.latency), 3)
        rows.append(("web", _title(rng), url))
    fast = [url for url, delay in spec.pages.items() if delay < 1]
    spec.flaky, spec.rate_limited = fast[len(fast) // 3], fast[2 * len(fast) // 3]
    rng.shuffle(rows)
    return rows, spec


def render(rows: list[tuple[str, str, str]], web_url: Mapping[str, str]) -> str:
    """The Markdown list in the corpus's shapes, plain-web URLs replaced by their fakes."""
    rng = random.Random(5)
    sections = max(1, len(rows) // 100)
    lines = ["# Awesome Generated Online List", "", "## Table of Contents"]
    lines += [f"- [Section {i}](#section-{i})" for i in range(sections)]
    per = math.ceil(len(rows) / sections)
    for section in range(sections):
        lines += ["", f"## Section {section}", ""]
        for kind, title, cited in rows[section * per : (section + 1) * per]:
            if kind == "paper":
                arxiv_id, _, repo = cited.partition(" ")
                form = rng.choice(["abs/{}", "pdf/{}", "pdf/{}.pdf", "abs/{}v1"])
                tag = f"【20{arxiv_id[:4]}】" if rng.random() < 0.6 else f"【{rng.choice(VENUES)}】"
                links = [f"[PDF](https://arxiv.org/{form.format(arxiv_id)})"]
                if repo:
                    links.append(f"[code](https://github.com/{repo})")
                lines.append(f"- {tag}{title} ({', '.join(links)})")
            elif kind == "repo":
                name = cited.split("/")[1].upper()
                lines.append(
                    f"- **{name}** [{rng.choice(VENUES)}] {title} "
                    f"([code](https://github.com/{cited}))"
                )
            else:
                lines.append(f"- {title} ([project]({web_url[cited]}))")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the fake internet


def serve(spec: Spec, conn: Connection) -> None:
    """The child process: the fake internet on ``spec`` until told to stop."""
    asyncio.run(_serve(spec, conn))


async def _serve(spec: Spec, conn: Connection) -> None:
    from tests.fakes import FakeInternet, World
    from tests.fakes import web as web_fake

    world = World()
    for arxiv_id, title in spec.papers.items():
        world.arxiv.add(arxiv_id, title)
    for repo in spec.repos:
        if repo not in spec.deleted_repos:
            world.github.add_repo(repo)
    for old, new in spec.renamed_repos.items():
        world.github.rename(old, new)
    world.github.tokens[TOKEN] = 5000
    world.github.anonymous_limit = 100_000  # --github rest: the REST path without a quota wall
    for url, delay in spec.pages.items():
        world.web.page(url, delay=delay)
    for url in spec.missing_pages:
        world.web.missing(url)
    world.web.unavailable_then_ok(spec.flaky)
    world.web.rate_limited_then_ok(spec.rate_limited, retry_after=1)
    for service in (world.arxiv, world.github, world.hf):
        service.latency = API_LATENCY

    async with FakeInternet(world) as internet:
        # One port per fake host (prefix mode works on any port of the web app), so the
        # client's per-host limits and first-contact rule see separate hosts. The fake
        # has no public hook for extra listeners; these two helpers are its own.
        app = internet._app("web", web_fake.make_app)
        ports = await internet._serve(app, count=len(spec.hosts))
        host_ports = dict(zip(spec.hosts, ports, strict=True))
        web_url = {}
        for url in spec.web_urls:
            host = url.split("/")[2]
            web_url[url] = internet.web_url(url).replace(
                internet.web_base, f"http://127.0.0.1:{host_ports[host]}", 1
            )
        # The arXiv API is addressed as "localhost": listcheck holds the arXiv API's host
        # name to one request at a time on every port, so as 127.0.0.1 it would also
        # hold every other fake host to one (see the module docstring).
        arxiv_api = internet.arxiv_api_url.replace("127.0.0.1", "localhost", 1)
        conn.send(
            {
                "arxiv_api": arxiv_api,
                "github_api": internet.github_api_url,
                "hf_endpoint": internet.hf_endpoint,
                "web_url": web_url,
                "names": {
                    **{f"127.0.0.1:{port}": host for host, port in host_ports.items()},
                    f"localhost:{internet.ports['arxiv']}": "arXiv API",
                    f"127.0.0.1:{internet.ports['github']}": "GitHub API",
                    f"127.0.0.1:{internet.ports['huggingface']}": "Hugging Face API",
                },
            }
        )
        loop = asyncio.get_running_loop()
        while True:
            command = await loop.run_in_executor(None, conn.recv)
            if command == "stop":
                break
            if command == "stats":
                conn.send(_stats(world, internet))
            elif command == "clear":
                internet.log.clear()
                world.arxiv.call_times.clear()
                world.web.hit_counts.clear()
                conn.send(None)


def _stats(world: Any, internet: Any) -> dict[str, Any]:
    log = internet.log
    return {
        "by_service": Counter(entry.service for entry in log),
        "web_by_host": Counter(entry.host for entry in log.of("web")),
        "arxiv_batches": [len(e.query.get("id_list", "").split(",")) for e in log.of("arxiv")],
        "arxiv_times": list(world.arxiv.call_times),
        "arxiv_max_in_flight": world.arxiv.max_in_flight,
        "repeated": {url: n for url, n in world.web.hit_counts.items() if n > 1},
        "arxiv_pages": [e.url for e in log if "arxiv.org" in e.host],
    }


# --------------------------------------------------------------------------- the run


class Timeline(Progress):
    """When each service's last target was done, in seconds from the check stage's start."""

    def __init__(self) -> None:
        self.started = 0.0
        self.totals: dict[str, int] = {}
        self.done: Counter[str] = Counter()
        self.finished: dict[str, float] = {}

    def start(self, totals: Mapping[str, int]) -> None:
        self.started = time.perf_counter()
        self.totals = dict(totals)

    def advance(self, service: str, count: int) -> None:
        self.done[service] += count
        if self.done[service] >= self.totals.get(service, 0):
            self.finished[service] = time.perf_counter() - self.started


def check(
    path: Path, cache: Path, addresses: Mapping[str, Any], token: str | None
) -> tuple[Report, float, Timeline]:
    config = Config.model_validate({"arxiv": {"api_url": addresses["arxiv_api"]}})
    assert config.arxiv.min_interval == ARXIV_MIN_INTERVAL  # arXiv's real pace
    timeline = Timeline()

    def settings() -> OnlineSettings:
        return OnlineSettings(
            config=config,
            environ={
                "GITHUB_API_URL": addresses["github_api"],
                "HF_ENDPOINT": addresses["hf_endpoint"],
            },
            cache=ResultCache(cache),
            tokens={"github": token},
            progress=timeline,
        )

    request = RunRequest(paths=(path,), config=config, online=OnlineRequest(settings))
    started = time.perf_counter()
    report = run(request)
    return report, time.perf_counter() - started, timeline


def _ask(conn: Connection, command: str) -> Any:
    """One request to the server process; a dead server is an error, not a hang."""
    conn.send(command)
    if not conn.poll(60):
        raise RuntimeError(f"the fake internet did not answer {command!r}")
    return conn.recv()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument(
        "--github",
        choices=["graphql", "rest"],
        default="graphql",
        help="graphql: with a token (CI); rest: anonymous REST (the fake lifts the 60/h quota)",
    )
    parser.add_argument("--slow-hosts", type=int, default=3)
    parser.add_argument("--slow-delay", type=float, default=2.0)
    args = parser.parse_args()

    rows, spec = generate(args.entries, slow_hosts=args.slow_hosts, slow_delay=args.slow_delay)
    parent, child = multiprocessing.get_context("fork").Pipe()
    server = multiprocessing.get_context("fork").Process(target=serve, args=(spec, child))
    server.start()
    try:
        if not parent.poll(60):
            raise RuntimeError("the fake internet did not start")
        addresses = parent.recv()
        folder = Path(tempfile.mkdtemp(prefix="listcheck-bench-"))
        path = folder / "README.md"
        path.write_text(render(rows, addresses["web_url"]), encoding="utf-8")
        token = TOKEN if args.github == "graphql" else None
        cache = folder / "cache.sqlite3"

        cold, wall, timeline = check(path, cache, addresses, token)
        cold_stats = _ask(parent, "stats")
        _ask(parent, "clear")
        warm, warm_wall, _ = check(path, cache, addresses, token)
        warm_stats = _ask(parent, "stats")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        parent.send("stop")
        server.join(10)

    print_figures(args, spec, cold, wall, timeline, cold_stats, addresses["names"])
    print()
    warm_sent = sum(warm.stats.requests.values())
    transient = sum(1 for link in cold.links if link.verdict.value == "transient")
    print(f"warm cache run:   {warm_wall:.2f} s, {warm_sent} requests sent")
    print(f"                  (links transient in the first run, so asked again: {transient})")
    if warm_sent:
        print(f"                  by host: {_named(warm.stats.requests, addresses['names'])}")
        print(f"                  server saw: {dict(warm_stats['by_service'])}")
    print(f"peak RSS:         {peak:.0f} MB   (target < 300 MB; both runs, this process)")


def _delays(spec: Spec, host: str) -> list[float]:
    return [delay for url, delay in spec.pages.items() if url.split("/")[2] == host]


def _named(requests: Mapping[str, int], names: Mapping[str, str]) -> dict[str, int]:
    return {names.get(host, host): n for host, n in sorted(requests.items())}


def print_figures(
    args: argparse.Namespace,
    spec: Spec,
    report: Report,
    wall: float,
    timeline: Timeline,
    stats: Mapping[str, Any],
    names: Mapping[str, str],
) -> None:
    ids = len(spec.cited_ids)
    calls = len(stats["arxiv_batches"])
    expected_calls = math.ceil(ids / 100)
    pacing = (expected_calls - 1) * ARXIV_MIN_INTERVAL + API_LATENCY
    slowest = max(spec.pages.values())
    floor = max(pacing, slowest)
    gaps = [b - a for a, b in itertools.pairwise(stats["arxiv_times"])]
    web_urls = len(spec.web_urls)
    print(
        f"list:             {report.stats.entries} entries, {report.stats.links} links, "
        f"{report.stats.unique_urls} unique URLs"
    )
    print(
        f"unique targets:   arXiv {ids} ids, GitHub {len(spec.repos)} repositories "
        f"({args.github}), web {web_urls} URLs on {len(spec.hosts)} hosts "
        f"({len(spec.slow_hosts)} slow: {spec.slow_delay:g} s an answer)"
    )
    print(
        f"latency:          web {spec.latency[0] * 1000:.0f}-{spec.latency[1] * 1000:.0f} ms "
        f"a page; APIs {API_LATENCY * 1000:.0f} ms a call"
    )
    print(f"wall time:        {wall:.2f} s  (report: {report.stats.wall_time_s:.2f} s)")
    print(
        f"floor:            {floor:.2f} s = max(arXiv pacing {pacing:.2f} s = "
        f"({expected_calls} calls - 1) x {ARXIV_MIN_INTERVAL:g} s + {API_LATENCY:g} s "
        f"for the last answer, slowest single URL {slowest:.2f} s)"
    )
    print(f"ratio:            {wall / floor:.2f}x   (target <= 1.3x)")
    per_host = Config().http.per_host
    urls_on = Counter(url.split("/")[2] for url in spec.pages)
    slow_host = max(spec.hosts, key=lambda h: (max(_delays(spec, h), default=0), urls_on[h]))
    delay, count = max(_delays(spec, slow_host)), urls_on[slow_host]
    print(
        f"slowest host:     {slow_host}, {count} URLs x {delay:g} s: the first alone "
        f"(first contact), then {per_host} at a time -> at least "
        f"{delay * (1 + math.ceil((count - 1) / per_host)):g} s"
    )
    print(
        "services done at: "
        + ", ".join(f"{name} {at:.2f} s" for name, at in sorted(timeline.finished.items()))
        + "  (from the start of the check stage)"
    )
    print(
        f"arXiv API calls:  {calls} (ids per call {stats['arxiv_batches']}); "
        f"ceil({ids}/100) = {expected_calls}; at most {stats['arxiv_max_in_flight']} in flight"
    )
    print(
        "arXiv gaps:       "
        + ", ".join(f"{gap:.2f}" for gap in gaps)
        + f" s as the API saw them (interval {ARXIV_MIN_INTERVAL:g} s)"
    )
    arxiv_pages = sum(n for host, n in report.stats.requests.items() if "arxiv.org" in host)
    print(f"arxiv.org pages:  {arxiv_pages} requests (server saw {len(stats['arxiv_pages'])})")
    sent = sum(report.stats.requests.values())
    print(f"requests:         {sent} sent, server saw {dict(stats['by_service'])}")
    named = _named(report.stats.requests, names)
    apis = {k: v for k, v in named.items() if k.endswith("API")}
    hosts = Counter({k: v for k, v in named.items() if not k.endswith("API")})
    print(f"  APIs:           {apis}")
    print(
        f"  web hosts:      {len(hosts)} hosts, {sum(hosts.values())} requests; "
        f"busiest {hosts.most_common(3)}"
    )
    print(
        f"  web URLs asked more than once: {stats['repeated']}  "
        "(the 503 and the 429 host, one honest retry each; 404s are confirmed with GET)"
    )
    verdicts = report.stats.verdicts
    rules = Counter(f.rule for f in report.findings if "/" in f.rule)
    print(f"verdicts:         {verdicts}")
    print(f"findings:         {dict(sorted(rules.items()))}")


if __name__ == "__main__":
    main()
