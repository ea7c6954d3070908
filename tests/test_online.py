"""The whole online run against the fake internet: plan -> check -> judge -> report.

One list holds one case of every online finding next to links that are fine; the test
asserts the exact findings (rule and line), that nothing fine is flagged, how many
requests each service got, that arXiv's pace held, that the token stayed on the GitHub
API, and that a second run on a warm cache sends nothing.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from yarl import URL

from listcheck.checkers.github.service import SERVICE as GITHUB
from listcheck.checkers.huggingface.service import SERVICE as HUGGINGFACE
from listcheck.checkers.service import Service
from listcheck.models import Report, Severity, Verdict
from listcheck.net.urls import Origin, host_key
from listcheck.online import token_for
from tests.fakes import FakeInternet, World
from tests.online_run import run_online as shared_run_online

INTERVAL = 0.2  # seconds between arXiv calls in tests (the CLI enforces 3.0)


async def _no_wait(_: float) -> None:
    await asyncio.sleep(0)


def build_world(world: World) -> None:
    arxiv = world.arxiv
    arxiv.add("2401.00001", "Sparse Attention for Long Documents")
    arxiv.add("2401.00002", "Efficient Transformers: A Survey of Methods")
    arxiv.add("2401.00003", "Machine Unlearning for Large Language Models")
    arxiv.add(
        "2401.00004",
        versions=["Who Forgets What: Unlearning Benchmarks", "UnlearnBench: A Benchmark Suite"],
    )
    arxiv.add("2401.00005", "A Result That Did Not Hold", withdrawn="error in Lemma 2")
    arxiv.add("2401.00006", "Retrieval Heads in Language Models", versions=2)
    arxiv.wrap_titles = True
    github = world.github
    github.add_repo("org/fine", files=["README.md", "src/main.py"])
    github.add_repo("org/oldname")
    github.rename("org/oldname", "org/newname")
    github.add_repo("org/frozen", archived=True)
    world.hf.add_dataset("org/data")
    world.hf.redirect("model", "bert-base-uncased", "google-bert/bert-base-uncased")
    world.hf.add_model("google-bert/bert-base-uncased")
    web = world.web
    web.page("https://example.com/ok", "<html>ok</html>")
    web.missing("https://example.com/gone", 404)
    web.redirect("https://example.com/old", "https://example.com/new", 301)
    web.page("https://example.com/new", "<html>new</html>")
    web.unavailable_then_ok("https://flaky.example.org/paper", times=1)
    web.slow("https://slow.example.org/paper", 30)


def build_list(server: FakeInternet) -> str:
    w = server.web_url
    return f"""# Awesome Test List

## Papers
- 【202401】Sparse Attention for Long Documents ([PDF](https://arxiv.org/abs/2401.00001), [code](https://github.com/org/fine))
- 【202401】Efficient Transformers: A Survy of Methods ([PDF](https://arxiv.org/abs/2401.00002))
- 【202401】Diffusion Models Beat GANs on Everything ([PDF](https://arxiv.org/abs/2401.00003))
- 【202401】Who Forgets What: Unlearning Benchmarks ([PDF](https://arxiv.org/pdf/2401.00004))
- 【202401】A Result That Did Not Hold ([PDF](https://arxiv.org/abs/2401.00005))
- 【202401】Retrieval Heads in Language Models ([PDF](https://arxiv.org/abs/2401.00006v3))
- 【202401】A Paper With a Mistyped Id ([PDF](https://arxiv.org/abs/2401.99999))

## Code and data
- **Renamed** ([code](https://github.com/org/oldname/tree/main))
- **Deleted** ([code](https://github.com/org/deleted))
- **Frozen** ([code](https://github.com/org/frozen))
- **Path** ([code](https://github.com/org/fine/blob/main/src/missing.py))
- **Data** ([data](https://huggingface.co/datasets/org/data), [gone](https://huggingface.co/datasets/org/nothing))
- **Legacy** ([model](https://huggingface.co/bert-base-uncased))

## Elsewhere
- **Fine** ([site]({w("https://example.com/ok")}))
- **Gone** ([site]({w("https://example.com/gone")}))
- **Moved** ([site]({w("https://example.com/old")}))
- **Flaky** ([site]({w("https://flaky.example.org/paper")}))
- **Slow** ([site]({w("https://slow.example.org/paper")}))
- **Dead host** ([site](https://no-such-host.invalid/paper))
"""


EXPECTED = {
    ("arxiv/title-typo", 5),
    ("arxiv/title-mismatch", 6),
    ("arxiv/title-outdated", 7),
    ("arxiv/withdrawn", 8),
    ("arxiv/version-not-found", 9),
    ("arxiv/not-found", 10),
    ("github/renamed", 13),
    ("github/not-found", 14),
    ("github/archived", 15),
    ("github/path-not-found", 16),
    ("hf/not-found", 17),
    ("link/moved", 18),
    ("link/broken", 22),
    ("link/moved", 23),
    ("link/transient", 25),
    ("link/broken", 26),
}


async def run_online(
    server: FakeInternet, path: Path, cache_path: Path, token: str | None = None
) -> Report:
    return await shared_run_online(
        server, path, cache_path, token=token, interval=INTERVAL, timeout=0.5, sleep=_no_wait
    )


@pytest.fixture
def world_list(fake_world: World, fake_server: FakeInternet, tmp_path: Path) -> Path:
    build_world(fake_world)
    path = tmp_path / "README.md"
    path.write_text(build_list(fake_server), encoding="utf-8")
    return path


@pytest.mark.parametrize("token", [None, "ghs_test_token"], ids=["rest", "graphql"])
async def test_every_online_finding_and_no_false_alarm(
    fake_world: World,
    fake_server: FakeInternet,
    world_list: Path,
    tmp_path: Path,
    token: str | None,
) -> None:
    if token:
        fake_world.github.tokens[token] = 5000
    report = await run_online(fake_server, world_list, tmp_path / "cache.sqlite3", token)
    got = {(f.rule, f.line) for f in report.findings if f.rule != "arxiv/tag-month"}
    assert got == EXPECTED
    assert not report.stats.offline
    by_rule = {f.rule: f for f in report.findings}
    assert by_rule["github/renamed"].suggestion == "https://github.com/org/newname/tree/main"
    assert by_rule["arxiv/title-typo"].suggestion == "Efficient Transformers: A Survey of Methods"
    assert by_rule["arxiv/title-outdated"].suggestion == "UnlearnBench: A Benchmark Suite"
    assert by_rule["link/transient"].severity is Severity.WARNING
    verdicts = {link.url: link.verdict for link in report.links}
    assert verdicts["https://arxiv.org/abs/2401.00001"] is Verdict.OK
    assert verdicts["https://arxiv.org/abs/2401.99999"] is Verdict.BROKEN
    assert verdicts[fake_server.web_url("https://flaky.example.org/paper")] is Verdict.OK


async def test_requests_are_few_and_polite(
    fake_world: World, fake_server: FakeInternet, world_list: Path, tmp_path: Path
) -> None:
    await run_online(fake_server, world_list, tmp_path / "cache.sqlite3")
    arxiv = fake_world.arxiv
    # one batch for the latest versions, one for the version the list cites that does not
    # exist, one for the earlier titles of the papers whose listed title does not match
    assert arxiv.calls <= 3
    assert arxiv.max_in_flight == 1
    assert (arxiv.min_gap() or INTERVAL) >= INTERVAL * 0.95
    assert not [r for r in fake_server.log.entries if "arxiv.org" in r.path]
    assert fake_world.web.hits("https://example.com/ok") == 1


async def test_token_stays_on_the_github_api(
    fake_world: World, fake_server: FakeInternet, world_list: Path, tmp_path: Path
) -> None:
    fake_world.github.tokens["ghs_secret"] = 5000
    await run_online(fake_server, world_list, tmp_path / "cache.sqlite3", "ghs_secret")
    assert {r.service for r in fake_server.log.with_authorization()} == {"github"}


def _trusted(service: Service, environ: dict[str, str]) -> Origin:
    trusted = service.token_origin(environ)
    assert trusted is not None
    return trusted


@pytest.mark.parametrize(
    ("environ", "configured", "sent"),
    [
        ({}, "https://api.github.com", True),
        ({}, "https://api.github.com/", True),
        ({}, "http://api.github.com", False),
        ({}, "https://api.github.com:8443", False),
        ({}, "https://ghe.example.com/api/v3", False),
        (
            {"GITHUB_API_URL": "https://ghe.example.com/api/v3"},
            "https://ghe.example.com/api/v3",
            True,
        ),
        (
            {"GITHUB_API_URL": "https://GHE.example.com/api/v3/"},
            "https://ghe.example.com/api/v3",
            True,
        ),
        ({"GITHUB_API_URL": "https://ghe.example.com/api/v3"}, "https://api.github.com", False),
        (
            {"GITHUB_API_URL": "https://ghe.example.com/api/v3"},
            "https://evil.example/api/v3",
            False,
        ),
    ],
)
def test_a_github_token_goes_only_to_its_own_origin(
    environ: dict[str, str], configured: str, sent: bool
) -> None:
    notes: list[str] = []
    token = token_for(configured, "ghs_x", _trusted(GITHUB, environ), notes)
    assert (token == "ghs_x") is sent
    assert bool(notes) is not sent


@pytest.mark.parametrize(
    ("environ", "configured", "sent"),
    [
        ({}, "https://huggingface.co", True),
        ({}, "https://hf-mirror.example", False),
        ({"HF_ENDPOINT": "https://hf-mirror.example"}, "https://hf-mirror.example", True),
        ({"HF_ENDPOINT": "https://hf-mirror.example"}, "https://huggingface.co", False),
    ],
)
def test_a_hub_token_goes_only_to_its_own_origin(
    environ: dict[str, str], configured: str, sent: bool
) -> None:
    token = token_for(configured, "hf_x", _trusted(HUGGINGFACE, environ), [])
    assert (token == "hf_x") is sent


async def test_warm_cache_sends_nothing(
    fake_world: World, fake_server: FakeInternet, world_list: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache.sqlite3"
    first = await run_online(fake_server, world_list, cache)
    before = len(fake_server.log.entries)
    second = await run_online(fake_server, world_list, cache)
    sent_again = fake_server.log.entries[before:]
    # transient answers are never cached: only the slow page is asked again (the dead
    # host has no server to log it)
    assert {r.service for r in sent_again} <= {"web"}
    assert all("slow.example.org" in r.path for r in sent_again)
    stable = {(f.rule, f.line) for f in first.findings if f.rule != "link/transient"}
    assert stable <= {(f.rule, f.line) for f in second.findings}


async def test_a_cached_answer_serves_only_the_api_address_it_came_from(
    fake_server: FakeInternet, world_list: Path, tmp_path: Path
) -> None:
    """Same cache, same list, the GitHub API named another way: the second run asks it."""
    cache = tmp_path / "cache.sqlite3"
    await shared_run_online(
        fake_server, world_list, cache, interval=INTERVAL, timeout=0.5, sleep=_no_wait
    )
    first = len(fake_server.log.of("github"))
    assert first
    other = fake_server.github_api_url.replace("127.0.0.1", "localhost", 1)
    assert other != fake_server.github_api_url
    await shared_run_online(
        fake_server,
        world_list,
        cache,
        interval=INTERVAL,
        timeout=0.5,
        sleep=_no_wait,
        github_api_url=other,
    )
    assert len(fake_server.log.of("github")) >= 2 * first


def _names_resolve(monkeypatch: pytest.MonkeyPatch, *, anywhere: bool) -> list[str]:
    """The engine's resolver, made to answer like a machine with DNS (``anywhere``: every
    name but ``dead.example.org`` resolves) or like a sandbox without it (no name does);
    IP literals resolve either way, as they do. Returns the names asked."""
    import ipaddress
    import socket

    from listcheck.net import resolver as resolver_module

    asked: list[str] = []

    async def resolve(
        self: object, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[dict[str, object]]:
        asked.append(host)
        try:
            ipaddress.ip_address(host)
        except ValueError:
            if not anywhere or host == "dead.example.org":
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None
        return [
            {
                "hostname": host,
                "host": "127.0.0.1",
                "port": port,
                "family": family,
                "proto": 0,
                "flags": 0,
            }
        ]

    monkeypatch.setattr(resolver_module.Resolver, "resolve", resolve)
    return asked


async def test_without_dns_one_warning_and_no_request_for_unresolvable_names(
    fake_world: World, fake_server: FakeInternet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No name resolves (a sandbox): the APIs at IP addresses are still asked, the three
    web links are transient under one reason, said once, and none of them costs a request."""
    fake_world.arxiv.add("2401.00001", "Sparse Attention for Long Documents")
    asked = _names_resolve(monkeypatch, anywhere=False)
    path = tmp_path / "README.md"
    path.write_text(
        "# L\n"
        "- Sparse Attention for Long Documents [paper](https://arxiv.org/abs/2401.00001)\n"
        "- A [page](https://paper.example.org/a) and [another](https://paper.example.org/b)\n"
        "- A [third](https://dead.example.org/x)\n",
        encoding="utf-8",
    )
    report = await run_online(fake_server, path, tmp_path / "cache.sqlite3")
    transient = [f for f in report.findings if f.rule == "link/transient"]
    assert [(f.line, f.message) for f in transient] == [
        (
            3,
            "3 links could not be checked online: name resolution does not work on this "
            "machine (example.com does not resolve); run where names resolve, or with --offline",
        )
    ]
    verdicts = {link.url: link.verdict for link in report.links}
    assert verdicts["https://arxiv.org/abs/2401.00001"] is Verdict.OK
    assert {verdicts[u] for u in verdicts if "example.org" in u} == {Verdict.TRANSIENT}
    assert {link.reason for link in report.links if "example.org" in link.url} == {"no-dns"}
    assert set(report.stats.requests) == {host_key(URL(fake_server.arxiv_api_url))}
    assert sorted(set(asked) - {"127.0.0.1"}) == [
        "dead.example.org",
        "example.com",
        "paper.example.org",
    ]
    again = await run_online(fake_server, path, tmp_path / "cache.sqlite3")
    assert [f.rule for f in again.findings].count("link/transient") == 1, "nothing was cached"


async def test_with_dns_a_name_that_does_not_exist_is_still_broken(
    fake_world: World, fake_server: FakeInternet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _names_resolve(monkeypatch, anywhere=True)
    path = tmp_path / "README.md"
    path.write_text("# L\n- A [third](https://dead.example.org/x)\n", encoding="utf-8")
    report = await run_online(fake_server, path, tmp_path / "cache.sqlite3")
    assert [f.rule for f in report.findings] == ["link/broken"]
    assert "example.com" in asked


async def test_a_run_prunes_what_the_cache_can_no_longer_serve(
    fake_server: FakeInternet, world_list: Path, tmp_path: Path
) -> None:
    """Each online run deletes expired answers and forgotten streaks, so the cache file
    of a nightly job does not grow without bound."""
    import sqlite3
    import time

    from listcheck.cache import ResultCache
    from listcheck.checkers.base import CheckResult

    path = tmp_path / "cache.sqlite3"
    long_ago = time.time() - 400 * 24 * 3600
    with ResultCache(path) as cache:
        cache.put_many(
            [
                CheckResult(
                    key="web:https://gone.example/x", verdict=Verdict.BROKEN, checked_at=long_ago
                )
            ]
        )

    def keys() -> set[str]:
        with sqlite3.connect(path) as conn:
            return {
                row[0]
                for row in conn.execute("SELECT key FROM results UNION SELECT key FROM history")
            }

    assert "web:https://gone.example/x" in keys()
    await run_online(fake_server, world_list, path)
    remaining = keys()
    assert "web:https://gone.example/x" not in remaining
    assert "arxiv:2401.00001" in remaining


async def _bounded_run(
    server: FakeInternet, path: Path, tmp_path: Path, *, timeout: float, **settings: object
) -> Report:
    """One run with the given request timeout and settings, itself bounded: a test of a
    time bound must fail, not hang, when the bound breaks."""
    run = shared_run_online(
        server,
        path,
        tmp_path / "c.sqlite3",
        interval=INTERVAL,
        timeout=timeout,
        sleep=_no_wait,
        settings_extra=settings,
    )
    return await asyncio.wait_for(run, timeout=30)


async def test_a_host_that_stopped_answering_is_said_once(
    fake_world: World, fake_server: FakeInternet, tmp_path: Path
) -> None:
    """Five hung pages on one host: once three different ones are left unanswered, the
    host gets no more requests, and the pages cut off share one warning naming it."""
    pages = [f"https://hung.example.org/p{n}" for n in range(5)]
    for page in pages:
        fake_world.web.slow(page, 30)
    path = tmp_path / "README.md"
    path.write_text(
        "# L\n" + "".join(f"- [p]({fake_server.web_url(page)})\n" for page in pages),
        encoding="utf-8",
    )
    report = await _bounded_run(fake_server, path, tmp_path, timeout=0.3)
    # The first page is asked alone (a host's first contact) and times out on each
    # attempt (one URL: one failure); the next pages stop the host. (On a slow machine
    # the first page's last attempt may find the host stopped too: then it is one of them.)
    [stopped] = [f for f in report.findings if "stopped answering" in f.message]
    alone = [f for f in report.findings if f is not stopped]
    assert stopped.rule == "link/transient"
    assert "stopped answering (3 links in a row timed out" in stopped.message
    assert int(stopped.message.split()[0]) + len(alone) == 5
    assert [(f.rule, f.line) for f in alone] in ([], [("link/transient", 2)])
    assert {link.verdict for link in report.links} == {Verdict.TRANSIENT}
    # the first page's 4 attempts, then one each for the next four (without the breaker:
    # 4 attempts for each of the five pages)
    assert sum(report.stats.requests.values()) < 12


async def test_the_run_deadline_skips_what_is_left_in_one_notice(
    fake_world: World, fake_server: FakeInternet, tmp_path: Path
) -> None:
    """max_time reached while one page still hangs: the page is skipped (one notice says
    how many and why), the answers already in are kept, the report is written."""
    fake_world.web.slow("https://hung.example.org/p", 30)
    fake_world.web.page("https://fine.example.org/p", "<html>ok</html>")
    fake_world.arxiv.add("2401.00001", "Sparse Attention for Long Documents")
    path = tmp_path / "README.md"
    path.write_text(
        "# L\n"
        "- Sparse Attention for Long Documents [paper](https://arxiv.org/abs/2401.00001)\n"
        f"- [hung]({fake_server.web_url('https://hung.example.org/p')})\n"
        f"- [fine]({fake_server.web_url('https://fine.example.org/p')})\n",
        encoding="utf-8",
    )
    report = await _bounded_run(fake_server, path, tmp_path, timeout=20, max_time=3.0)
    assert [(f.rule, f.line, f.message) for f in report.findings] == [
        (
            "check/skipped",
            3,
            "1 link not checked: the run reached its time limit of 3 s; "
            "raise max_time (--max-time) to check them",
        )
    ]
    verdicts = {link.url: link.verdict for link in report.links}
    assert verdicts[fake_server.web_url("https://hung.example.org/p")] is Verdict.SKIPPED
    reasons = {link.url: link.reason for link in report.links}
    assert reasons[fake_server.web_url("https://hung.example.org/p")] == "deadline"
    assert reasons[fake_server.web_url("https://fine.example.org/p")] is None
    assert verdicts[fake_server.web_url("https://fine.example.org/p")] is Verdict.OK
    assert verdicts["https://arxiv.org/abs/2401.00001"] is Verdict.OK


async def test_a_spent_github_quota_is_one_notice_said_once(
    fake_world: World, fake_server: FakeInternet, tmp_path: Path
) -> None:
    """Two anonymous requests an hour: the third repository is skipped, and the one
    check/skipped notice counts the links and says why in one sentence (the checker
    gives the reason, the judge the count: "not checked" is written once)."""
    fake_world.github.anonymous_limit = 2
    for name in ("a", "b", "c", "d"):
        fake_world.github.add_repo(f"org/{name}")
    path = tmp_path / "README.md"
    path.write_text(
        "# L\n" + "".join(f"- [{n}](https://github.com/org/{n})\n" for n in "abcd"),
        encoding="utf-8",
    )
    report = await run_online(fake_server, path, tmp_path / "cache.sqlite3")
    [notice] = [f for f in report.findings if f.rule == "check/skipped"]
    assert notice.message.startswith(
        "2 GitHub links not checked: the GitHub API rate limit is used up "
        "(2 requests/hour without a token); it resets "
    )
    assert notice.message.count("not checked") == 1
    rows = sorted((link.verdict.value, link.reason) for link in report.links)
    assert rows == [("ok", None), ("ok", None), ("skipped", "quota"), ("skipped", "quota")]


def test_the_check_stage_never_imports_the_judge() -> None:
    """One direction of flow: the judge says which title versions it needs (the run
    passes that in), the check stage fetches them."""
    import ast

    import listcheck.online as stage

    tree = ast.parse(Path(stage.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "listcheck.judge" not in imported
