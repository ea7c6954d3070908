"""The GitHub checker against the fake GitHub API (REST and GraphQL, from recorded samples).

Every case runs both ways a run can go — anonymous REST and token GraphQL — on the
same world, because the two must agree: a list's verdicts cannot depend on whether
the maintainer set a token. Politeness and secrecy are asserted on the request log
(how many requests went out, with which headers), not inferred from verdicts.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from listcheck.checkers.base import CheckResult, GithubTarget, Reason
from listcheck.checkers.github.checker import GithubChecker, link_suffix
from listcheck.checkers.github.graphql import (
    Batch,
    Found,
    NotFound,
    Unanswered,
    batches,
    graphql_url,
    read_answer,
)
from listcheck.checkers.github.ratelimit import Stop, classify_limit, quota_detail
from listcheck.models import RepoSlug, Verdict
from listcheck.net.engine import Engine
from tests.fakes import FakeInternet, Forced, World, secondary_limit
from tests.fakes.recorded import load

NOW = 1_700_000_000.0
TOKEN = "ghp_listcheck_test_token"

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def T(
    slug: str, kind: str | None = None, ref: str | None = None, path: str | None = None
) -> GithubTarget:
    return GithubTarget(slug=RepoSlug(slug), path_kind=kind, ref=ref, path=path)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def sleeps() -> list[float]:
    """Every pause the engine or the checker asked for (none really happens)."""
    return []


@pytest.fixture
def world(fake_world: World) -> World:
    fake_world.github.clock = lambda: NOW
    return fake_world


@pytest.fixture
async def engine(sleeps: list[float]) -> AsyncIterator[Engine]:
    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async with Engine(
        timeout=5.0, max_redirects=5, per_host=4, total=8, retries=2, sleep=sleep
    ) as engine:
        yield engine


MakeChecker = Callable[..., GithubChecker]


@pytest.fixture
def make(engine: Engine, fake_server: FakeInternet, sleeps: list[float]) -> MakeChecker:
    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def build(token: str | None = None, **options: Any) -> GithubChecker:
        options.setdefault("clock", lambda: NOW)
        options.setdefault("sleep", sleep)
        return GithubChecker(engine, fake_server.github_api_url, token, **options)

    return build


MODES = {"rest": None, "graphql": TOKEN}


@pytest.fixture(params=sorted(MODES))
def mode(request: pytest.FixtureRequest) -> str:
    mode: str = request.param
    return mode


def populate(world: World) -> None:
    gh = world.github
    gh.add_repo(
        "octo/tool",
        files=["README.md", "src/main.py", "docs/index.md"],
        branches={"feature/x": ["README.md", "new/thing.py"]},
        tags={"v1.0": ["README.md", "src/main.py"]},
    )
    gh.add_repo("octo/old-stuff", archived=True)
    gh.add_repo("octo/before", files=["README.md", "lib/core.py"])
    gh.rename("octo/before", "neworg/after")
    gh.add_repo("octo/secret", private=True)


# (id, target, verdict, final_url, record fields or None, words in the detail)
CASES: list[tuple[str, GithubTarget, Verdict, str | None, dict[str, Any] | None, str]] = [
    (
        "repo",
        T("octo/tool"),
        Verdict.OK,
        None,
        {"full_name": "octo/tool", "archived": False, "renamed": False, "path_found": None},
        "repository exists",
    ),
    (
        "letter-case-is-no-rename",
        T("Octo/TOOL"),
        Verdict.OK,
        None,
        {"full_name": "octo/tool", "renamed": False},
        "repository exists",
    ),
    ("archived", T("octo/old-stuff"), Verdict.OK, None, {"archived": True}, "(archived)"),
    (
        "renamed",
        T("octo/before"),
        Verdict.MOVED,
        "https://github.com/neworg/after",
        {
            "full_name": "neworg/after",
            "html_url": "https://github.com/neworg/after",
            "renamed": True,
        },
        "renamed to neworg/after",
    ),
    ("missing", T("octo/nothing"), Verdict.BROKEN, None, None, "does not exist or is private"),
    ("private", T("octo/secret"), Verdict.BROKEN, None, None, "does not exist or is private"),
    ("tree", T("octo/tool", "tree", "main", "src"), Verdict.OK, None, {"path_found": True}, "src"),
    (
        "tree-root",
        T("octo/tool", "tree", "main"),
        Verdict.OK,
        None,
        {"path_found": True},
        "top folder exists at ref 'main'",
    ),
    (
        "blob-at-tag",
        T("octo/tool", "blob", "v1.0", "src/main.py"),
        Verdict.OK,
        None,
        {"path_found": True},
        "'src/main.py' exists at ref 'v1.0'",
    ),
    (
        "blob-missing-path",
        T("octo/tool", "blob", "main", "src/gone.py"),
        Verdict.BROKEN,
        None,
        {"full_name": "octo/tool", "path_found": False},
        "path 'src/gone.py' not found at ref 'main' in octo/tool",
    ),
    (
        "missing-ref",
        T("octo/tool", "tree", "nope"),
        Verdict.BROKEN,
        None,
        {"path_found": False},
        "ref 'nope' not found in octo/tool",
    ),
    (
        "branch-with-slash",
        T("octo/tool", "blob", "feature", "x/new/thing.py"),
        Verdict.OK,
        None,
        {"path_found": True},
        "path 'new/thing.py' exists at ref 'feature/x'",
    ),
    (
        "slashed-ref-missing-everywhere",
        T("octo/tool", "blob", "feature", "y/new/thing.py"),
        Verdict.BROKEN,
        None,
        {"path_found": False},
        "ref 'feature' not found in octo/tool: no such branch, tag or commit (also tried "
        "'feature/y', 'feature/y/new', 'feature/y/new/thing.py')",
    ),
    (
        "renamed-blob",
        T("octo/before", "blob", "main", "lib/core.py"),
        Verdict.MOVED,
        "https://github.com/neworg/after/blob/main/lib/core.py",
        {"full_name": "neworg/after", "renamed": True, "path_found": True},
        "renamed to neworg/after",
    ),
    (
        "renamed-blob-missing-path",
        T("octo/before", "blob", "main", "lib/gone.py"),
        Verdict.BROKEN,
        None,
        {"full_name": "neworg/after", "renamed": True, "path_found": False},
        "path 'lib/gone.py' not found at ref 'main' in neworg/after",
    ),
]


def _essence(result: CheckResult) -> tuple[Any, ...]:
    """What must not depend on the way the run went (status may: GraphQL has none)."""
    record = result.github.model_dump() if result.github else None
    return result.key, result.verdict, result.final_url, record, result.detail


# --------------------------------------------------------------------------- verdicts


@pytest.mark.parametrize(
    ("target", "verdict", "final_url", "record", "words"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
async def test_verdicts_both_ways(
    world: World,
    make: MakeChecker,
    mode: str,
    target: GithubTarget,
    verdict: Verdict,
    final_url: str | None,
    record: dict[str, Any] | None,
    words: str,
) -> None:
    populate(world)
    [result] = await make(MODES[mode]).check_all([target])
    assert result.key == target.key
    assert result.verdict is verdict, result.detail
    assert result.final_url == final_url
    assert words in result.detail
    if record is None:
        assert result.github is None
    else:
        assert result.github is not None
        assert result.github.model_dump() | record == result.github.model_dump()
    assert result.checked_at == NOW


async def test_rest_and_graphql_agree_on_one_world(
    world: World, make: MakeChecker, fake_server: FakeInternet
) -> None:
    populate(world)
    targets = [case[1] for case in CASES]
    rest = await make(None).check_all(targets)
    graphql = await make(TOKEN).check_all(targets)
    assert [_essence(r) for r in rest] == [_essence(r) for r in graphql]
    assert {r.path for r in fake_server.log.of("github") if r.token is None} >= {"/repos/octo/tool"}
    assert [r.path for r in fake_server.log.of("github") if r.method == "POST"] == ["/graphql"]


async def test_rest_statuses_and_headers(
    world: World, make: MakeChecker, fake_server: FakeInternet
) -> None:
    populate(world)
    results = await make().check_all([T("octo/tool"), T("octo/before"), T("octo/nothing")])
    assert [r.status for r in results] == [200, 301, 404]
    log = fake_server.log.of("github")
    paths = sorted(r.path for r in log)
    repo_id = next(r.id for r in world.github.repos.values() if r.full_name == "neworg/after")
    assert paths == sorted(
        [
            "/repos/octo/tool",
            "/repos/octo/before",
            f"/repositories/{repo_id}",
            "/repos/octo/nothing",
        ]
    )
    for request in log:
        assert request.headers["Accept"] == "application/vnd.github+json"
        assert request.headers["X-GitHub-Api-Version"] == "2022-11-28"
        assert request.authorization is None


async def test_token_is_sent_as_bearer_to_the_api(
    world: World, make: MakeChecker, fake_server: FakeInternet
) -> None:
    populate(world)
    await make(TOKEN, use_graphql=False).check_all([T("octo/tool", "tree", "main", "src")])
    log = fake_server.log.of("github")
    assert len(log) == 2
    assert {r.authorization for r in log} == {f"Bearer {TOKEN}"}
    contents = next(r for r in log if "/contents" in r.path)
    assert contents.path == "/repos/octo/tool/contents/src"
    assert contents.query["ref"] == "main"
    assert contents.headers["Accept"] == "application/vnd.github.object"


async def test_each_repository_is_asked_once(
    world: World, make: MakeChecker, fake_server: FakeInternet
) -> None:
    populate(world)
    targets = [
        T("octo/tool"),
        T("octo/tool", "tree", "main", "src"),
        T("octo/tool", "blob", "main", "README.md"),
        T("OCTO/tool", "blob", "main", "docs/index.md"),
    ]
    progress: list[tuple[str, int]] = []
    results = await make().check_all(targets, lambda s, n: progress.append((s, n)))
    assert {r.verdict for r in results} == {Verdict.OK}
    repo_asks = [r for r in fake_server.log.of("github") if "/contents" not in r.path]
    assert len(repo_asks) == 1
    assert progress == [("github", 1)] * 4


async def test_check_one(world: World, make: MakeChecker) -> None:
    populate(world)
    result = await make().check_one(T("octo/before", "tree", "main"))
    assert result.verdict is Verdict.MOVED
    assert result.final_url == "https://github.com/neworg/after/tree/main"


@pytest.mark.parametrize(
    ("target", "suffix"),
    [
        (T("a/b"), ""),
        (T("a/b", "tree", "main", "src/x"), "/tree/main/src/x"),
        (T("a/b", "blob", "feature/x", "f.py"), "/blob/feature/x/f.py"),
        (T("a/b", "issues", None, "12"), "/issues/12"),
        (T("a/b", "releases", "v1.0"), "/releases/tag/v1.0"),
    ],
)
def test_link_suffix(target: GithubTarget, suffix: str) -> None:
    assert link_suffix(target) == suffix


# --------------------------------------------------------------------------- refusals


REFUSALS = [
    # a DMCA takedown (451) and a blocked repository are gone for good; REST only, since
    # GraphQL answers per alias and has no such status
    ("rest", 451, "Repository access blocked", "broken", "legal reasons"),
    ("rest", 403, "Repository access blocked", "broken", "blocked access"),
    ("rest", 403, "Resource protected by organization SAML enforcement.", "transient", "403"),
    ("graphql", 403, "Resource protected by organization SAML enforcement.", "transient", "403"),
    ("rest", 500, "Server Error", "transient", "500"),
    ("graphql", 500, "Server Error", "transient", "500"),
    ("rest", 502, "Server Error", "transient", "502"),
    ("graphql", 502, "Server Error", "transient", "502"),
    ("rest", 429, "Too many requests", "transient", "429"),
    ("graphql", 429, "Too many requests", "transient", "429"),
]


@pytest.mark.parametrize(("way", "status", "message", "verdict", "words"), REFUSALS)
async def test_refusals(
    world: World,
    make: MakeChecker,
    way: str,
    status: int,
    message: str,
    verdict: str,
    words: str,
) -> None:
    populate(world)
    body = json.dumps({"message": message, "documentation_url": "https://docs.github.com/rest"})
    forced = Forced.reply(status, body, {"Content-Type": "application/json; charset=utf-8"})
    world.github.force(*[forced] * 3)  # the engine retries 429 and 502 twice
    [result] = await make(MODES[way]).check_all([T("octo/tool")])
    assert result.verdict == verdict
    assert words in result.detail
    assert result.status == status


async def test_api_unreachable_is_transient(engine: Engine) -> None:
    dead = FakeInternet.dead_url().rstrip("/")
    checker = GithubChecker(engine, dead, None, clock=lambda: NOW)
    [result] = await checker.check_all([T("octo/tool")])
    assert result.verdict is Verdict.TRANSIENT
    assert "not reachable" in result.detail


# --------------------------------------------------------------------------- quota


async def test_quota_runs_out_midway_rest(
    world: World, make: MakeChecker, fake_server: FakeInternet
) -> None:
    world.github.anonymous_limit = 5
    for i in range(12):
        world.github.add_repo(f"org/repo{i}")
    targets = [T(f"org/repo{i}") for i in range(12)]
    results = await make(concurrency=4).check_all(targets)

    assert len(fake_server.log.of("github")) == 5, "no request after the quota is spent"
    assert all(r.status == 200 for r in fake_server.log.of("github"))
    verdicts = [r.verdict for r in results]
    assert verdicts.count(Verdict.OK) == 5
    assert verdicts.count(Verdict.SKIPPED) == 7
    assert Verdict.BROKEN not in verdicts
    skipped = [r for r in results if r.verdict is Verdict.SKIPPED]
    reset = "2023-11-14 23:13 UTC (in 60 min)"  # NOW + 3600
    for result in skipped:
        assert "rate limit is used up (5 requests/hour without a token)" in result.detail
        assert reset in result.detail
        assert "GITHUB_TOKEN" in result.detail
        assert "--github-token" in result.detail


@pytest.mark.parametrize(
    "stem",
    ["rate_limit_403_primary_docs", "users_get_403_primary_rate_limit_2013"],
)
async def test_primary_limit_refusal_stops_everything(
    world: World, make: MakeChecker, fake_server: FakeInternet, stem: str
) -> None:
    populate(world)
    sample = load("github", stem)
    world.github.force(
        Forced(status=sample.status, body=sample.body, headers=tuple(sample.response_headers()))
    )
    targets = [T("octo/tool"), T("octo/before"), T("octo/nothing"), T("octo/tool", "tree", "main")]
    results = await make().check_all(targets)
    assert len(fake_server.log.of("github")) == 1
    assert [r.verdict for r in results] == [Verdict.SKIPPED] * 4
    assert "a token (set GITHUB_TOKEN or pass --github-token)" in results[0].detail
    if stem == "rate_limit_403_primary_docs":
        assert "(60 requests/hour without a token)" in results[0].detail
        assert "resets at 2013-08-20 15:41 UTC" in results[0].detail


async def test_429_primary_limit(
    world: World, make: MakeChecker, fake_server: FakeInternet
) -> None:
    populate(world)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "x-ratelimit-limit": "60",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": str(int(NOW) + 600),
    }
    refusal = Forced.reply(429, '{"message":"API rate limit exceeded"}', headers)
    world.github.force(refusal, refusal, refusal)  # however often the engine retries
    results = await make().check_all([T("octo/tool"), T("octo/before")])
    assert [r.verdict for r in results] == [Verdict.SKIPPED] * 2
    assert "(in 10 min)" in results[0].detail
    # the first lookup (with whatever retries the engine makes) and nothing after it
    assert {r.path for r in fake_server.log.of("github")} in (
        {"/repos/octo/tool"},
        {"/repos/octo/before"},
    )
    assert {r.status for r in fake_server.log.of("github")} == {429}


async def test_token_quota_message(world: World, make: MakeChecker) -> None:
    populate(world)
    world.github.tokens[TOKEN] = 1000
    world.github.quota(TOKEN, "core").used = 1000
    results = await make(TOKEN, use_graphql=False).check_all([T("octo/tool")])
    assert results[0].verdict is Verdict.SKIPPED
    assert "(1,000 requests/hour for the token in GITHUB_TOKEN/--github-token)" in results[0].detail


async def test_probe_first_then_only_what_the_quota_covers(
    world: World, make: MakeChecker, fake_server: FakeInternet
) -> None:
    """With 3 requests left and 4 slots, the checker sends 1, learns the count, then 2."""
    world.github.anonymous_limit = 3
    world.github.latency = 0.01
    for i in range(8):
        world.github.add_repo(f"org/repo{i}")
    results = await make(concurrency=4).check_all([T(f"org/repo{i}") for i in range(8)])
    assert len(fake_server.log.of("github")) == 3
    assert [r.verdict for r in results].count(Verdict.OK) == 3
    assert world.github.max_in_flight <= 2


# --------------------------------------------------------------------------- secondary limits


@pytest.mark.parametrize("status", [403, 429])
async def test_short_secondary_limit_is_waited_out(
    world: World,
    make: MakeChecker,
    fake_server: FakeInternet,
    sleeps: list[float],
    mode: str,
    status: int,
) -> None:
    populate(world)
    world.github.force(secondary_limit(status, retry_after=30))
    results = await make(MODES[mode]).check_all([T("octo/tool")])
    assert results[0].verdict is Verdict.OK
    assert 30 in sleeps
    assert len(fake_server.log.of("github")) == 2


@pytest.mark.parametrize("status", [403, 429])
async def test_long_secondary_limit_is_transient_and_stops(
    world: World, make: MakeChecker, fake_server: FakeInternet, mode: str, status: int
) -> None:
    populate(world)
    world.github.force(secondary_limit(status, retry_after=900))
    targets = [T("octo/tool"), T("octo/before"), T("octo/nothing")]
    results = await make(MODES[mode]).check_all(targets)
    assert [r.verdict for r in results] == [Verdict.TRANSIENT] * 3
    assert "secondary rate limit asked to wait 900 s" in results[0].detail
    assert len(fake_server.log.of("github")) == 1


async def test_secondary_limit_without_retry_after_waits_a_minute(
    world: World, make: MakeChecker, sleeps: list[float]
) -> None:
    populate(world)
    docs = load("github", "secondary_rate_limit_403_docs")
    world.github.force(
        Forced(status=403, body=docs.body, headers=(("Content-Type", "application/json"),))
    )
    results = await make().check_all([T("octo/tool")])
    assert results[0].verdict is Verdict.OK
    assert 60.0 in sleeps


# --------------------------------------------------------------------------- ETags


async def test_etags_revalidate_without_spending_quota(
    world: World, make: MakeChecker, fake_server: FakeInternet
) -> None:
    populate(world)
    targets = [
        T("octo/tool"),
        T("octo/old-stuff"),
        T("octo/tool", "blob", "main", "src/main.py"),
        T("octo/tool", "blob", "feature", "x/new/thing.py"),
        T("OCTO/Tool", "blob", "main", "docs/index.md"),  # the same repository, other letters
    ]
    first = make()
    before = await first.check_all(targets)
    assert set(first.etags) == {t.key for t in targets}
    assert '"/repos/octo/tool"' in first.etags[T("OCTO/Tool", "blob", "main", "docs/index.md").key]
    used = world.github.quota(None).used
    fake_server.log.clear()

    second = make(etags=first.etags)
    after = await second.check_all(targets)

    assert world.github.quota(None).used == used, "304 answers cost no quota"
    log = fake_server.log.of("github")
    assert {r.status for r in log} == {304}
    assert all("If-None-Match" in r.headers for r in log)
    assert len(log) == 5  # one repository, four contents paths
    assert [_essence(r) for r in after] == [_essence(r) for r in before]
    assert second.etags == first.etags


async def test_etag_of_a_changed_repository_gets_the_new_answer(
    world: World, make: MakeChecker
) -> None:
    populate(world)
    first = make()
    [before] = await first.check_all([T("octo/tool")])
    assert before.github is not None
    assert before.github.archived is False
    next(r for r in world.github.repos.values() if r.full_name == "octo/tool").archived = True
    second = make(etags=first.etags)
    [after] = await second.check_all([T("octo/tool")])
    assert after.github is not None
    assert after.github.archived is True
    assert second.etags != first.etags


async def test_renamed_repository_revalidates_after_the_redirect(
    world: World, make: MakeChecker, fake_server: FakeInternet
) -> None:
    populate(world)
    first = make()
    [before] = await first.check_all([T("octo/before")])
    fake_server.log.clear()
    [after] = await make(etags=first.etags).check_all([T("octo/before")])
    assert [r.status for r in fake_server.log.of("github")] == [301, 304]
    assert _essence(after) == _essence(before)


@pytest.mark.parametrize("garbage", ["", "not json", '{"v": 99}', '{"v": 1, "paths": []}'])
async def test_unreadable_etag_strings_are_ignored(
    world: World, make: MakeChecker, fake_server: FakeInternet, garbage: str
) -> None:
    populate(world)
    checker = make(etags={T("octo/tool").key: garbage})
    [result] = await checker.check_all([T("octo/tool")])
    assert result.verdict is Verdict.OK
    assert "If-None-Match" not in fake_server.log.of("github")[0].headers
    assert json.loads(checker.etags[T("octo/tool").key])["v"] == 1


async def test_missing_repository_drops_its_etag(world: World, make: MakeChecker) -> None:
    populate(world)
    first = make()
    await first.check_all([T("octo/tool")])
    world.github.repos = {k: r for k, r in world.github.repos.items() if r.full_name != "octo/tool"}
    second = make(etags=first.etags)
    [result] = await second.check_all([T("octo/tool")])
    assert result.verdict is Verdict.BROKEN
    assert T("octo/tool").key not in second.etags


# --------------------------------------------------------------------------- GraphQL


async def test_graphql_batches(world: World, make: MakeChecker, fake_server: FakeInternet) -> None:
    for i in range(118):
        world.github.add_repo(f"org/repo{i}", archived=i % 10 == 0)
    world.github.add_repo("org/old")
    world.github.rename("org/old", "org/new")
    targets = [T(f"org/repo{i}") for i in range(118)] + [T("org/old"), T("org/ghost")]
    progress: list[int] = []
    results = await make(TOKEN, batch_size=50).check_all(targets, lambda s, n: progress.append(n))

    posts = fake_server.log.of("github")
    assert [r.method + " " + r.path for r in posts] == ["POST /graphql"] * 3
    sizes = [len(json.loads(r.body)["variables"]) // 2 for r in posts]
    assert sizes == [50, 50, 20]
    first = json.loads(posts[0].body)
    assert "r49: repository(owner: $o49, name: $n49)" in first["query"]
    assert first["variables"]["o0"] == "org"
    assert first["variables"]["n0"] == "repo0"
    assert all(r.authorization == f"Bearer {TOKEN}" for r in posts)

    by_key = {r.key: r for r in results}
    assert by_key[T("org/repo0").key].github is not None
    assert by_key[T("org/repo0").key].github.archived is True  # type: ignore[union-attr]
    assert by_key[T("org/repo1").key].verdict is Verdict.OK
    assert by_key[T("org/old").key].verdict is Verdict.MOVED
    assert by_key[T("org/old").key].final_url == "https://github.com/org/new"
    assert by_key[T("org/ghost").key].verdict is Verdict.BROKEN
    assert sum(progress) == 120


@pytest.mark.parametrize("error_type", ["RATE_LIMIT", "RATE_LIMITED"])
async def test_graphql_quota_runs_out(
    world: World, make: MakeChecker, fake_server: FakeInternet, error_type: str
) -> None:
    world.github.graphql_limit = 2
    world.github.graphql_rate_limit_type = error_type
    for i in range(50):
        world.github.add_repo(f"org/repo{i}")
    results = await make(TOKEN, batch_size=10).check_all([T(f"org/repo{i}") for i in range(50)])
    assert len(fake_server.log.of("github")) == 2, "the spent quota is read from the headers"
    verdicts = [r.verdict for r in results]
    assert verdicts.count(Verdict.OK) == 20
    assert verdicts.count(Verdict.SKIPPED) == 30
    skipped = next(r for r in results if r.verdict is Verdict.SKIPPED)
    assert "GitHub GraphQL API rate limit is used up (2 points/hour" in skipped.detail


@pytest.mark.parametrize("error_type", ["RATE_LIMIT", "RATE_LIMITED"])
async def test_graphql_rate_limit_answer(
    world: World, make: MakeChecker, fake_server: FakeInternet, error_type: str
) -> None:
    """The quota was spent before the run: the 200 answer with only ``errors``."""
    world.github.graphql_rate_limit_type = error_type
    world.github.quota(TOKEN, "graphql").used = world.github.graphql_limit
    populate(world)
    targets = [T("octo/tool"), T("octo/before"), T("octo/tool", "tree", "main", "src")]
    results = await make(TOKEN).check_all(targets)
    assert [r.verdict for r in results] == [Verdict.SKIPPED] * 3
    assert [r.path for r in fake_server.log.of("github")] == ["/graphql"]
    assert "GraphQL API rate limit is used up" in results[0].detail


async def test_graphql_quota_spent_leaves_rest_paths_usable(
    world: World, make: MakeChecker
) -> None:
    """GraphQL and REST are separate buckets: a spent GraphQL budget says nothing of REST."""
    populate(world)
    world.github.graphql_limit = 1
    results = await make(TOKEN, batch_size=1).check_all(
        [T("octo/tool", "tree", "main", "src"), T("octo/before", "blob", "main", "lib/core.py")]
    )
    assert results[0].verdict is Verdict.OK
    assert results[0].github is not None
    assert results[0].github.path_found is True
    assert results[1].verdict is Verdict.SKIPPED


async def test_rename_is_reported_even_when_the_path_cannot_be_asked(
    world: World, make: MakeChecker, fake_server: FakeInternet
) -> None:
    """GraphQL found the rename; the REST budget for the path check is spent."""
    populate(world)
    world.github.quota(TOKEN, "core").used = world.github.token_limit
    moved, plain = await make(TOKEN).check_all(
        [T("octo/before", "blob", "main", "lib/core.py"), T("octo/tool", "tree", "main", "src")]
    )
    assert moved.verdict is Verdict.MOVED
    assert moved.final_url == "https://github.com/neworg/after/blob/main/lib/core.py"
    assert "the path was not checked" in moved.detail
    assert moved.github is not None
    assert moved.github.path_found is None
    assert plain.verdict is Verdict.SKIPPED
    assert plain.github is not None
    assert plain.github.full_name == "octo/tool"
    assert plain.detail.startswith("the GitHub API rate limit is used up")
    assert "for the token in GITHUB_TOKEN/--github-token" in plain.detail


async def test_no_targets_no_requests(
    world: World, make: MakeChecker, fake_server: FakeInternet, mode: str
) -> None:
    assert await make(MODES[mode]).check_all([]) == []
    assert len(fake_server.log) == 0


@pytest.mark.parametrize("size", [0, 101])
def test_checker_refuses_odd_batch_sizes(make: MakeChecker, size: int) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        make(TOKEN, batch_size=size)


@pytest.mark.parametrize("use_graphql", [True, False])
async def test_bad_credentials_fail_once_and_clearly(
    world: World, make: MakeChecker, fake_server: FakeInternet, use_graphql: bool
) -> None:
    populate(world)
    world.github.bad_tokens.add("bad-token")
    checker = make("bad-token", use_graphql=use_graphql)
    targets = [T("octo/tool"), T("octo/before"), T("octo/tool", "tree", "main", "src")]
    results = await checker.check_all(targets)
    assert [r.verdict for r in results] == [Verdict.SKIPPED] * 3
    assert len(fake_server.log.of("github")) == 1, "no fallback, no retries with a bad token"
    assert checker.auth_error is not None
    assert "Bad credentials" in checker.auth_error
    assert "GITHUB_TOKEN" in checker.auth_error
    assert all(checker.auth_error in r.detail for r in results)
    assert {r.reason for r in results} == {Reason.TOKEN_REJECTED}


async def test_graphql_other_errors_are_transient(
    world: World, make: MakeChecker, fake_server: FakeInternet
) -> None:
    populate(world)
    body = {"errors": [{"message": "Something went wrong while executing your query."}]}
    world.github.force(Forced.reply(200, json.dumps(body), {"Content-Type": "application/json"}))
    results = await make(TOKEN).check_all([T("octo/tool"), T("octo/nothing")])
    assert [r.verdict for r in results] == [Verdict.TRANSIENT] * 2
    assert "Something went wrong" in results[0].detail


async def test_token_never_leaves_the_api_origin(
    world: World, make: MakeChecker, fake_server: FakeInternet
) -> None:
    """A redirect to another origin (here another port) loses the Authorization header."""
    elsewhere = fake_server.web_url("https://elsewhere.example/repositories/1")
    world.web.page("https://elsewhere.example/repositories/1", "{}", content_type="text/plain")
    world.github.force(
        Forced.reply(
            301,
            json.dumps({"message": "Moved Permanently", "url": elsewhere}),
            {"Location": elsewhere, "Content-Type": "application/json"},
        )
    )
    [result] = await make(TOKEN, use_graphql=False).check_all([T("octo/tool")])
    api = fake_server.log.of("github")
    other = fake_server.log.of("web")
    assert [r.authorization for r in api] == [f"Bearer {TOKEN}"]
    assert len(other) == 1
    assert other[0].authorization is None
    assert result.verdict is Verdict.TRANSIENT  # "{}" is no repository: nothing to conclude


# --------------------------------------------------------------------------- pure parts


@pytest.mark.parametrize(
    ("api", "endpoint"),
    [
        ("https://api.github.com", "https://api.github.com/graphql"),
        ("https://api.github.com/", "https://api.github.com/graphql"),
        ("https://ghe.example.com/api/v3", "https://ghe.example.com/api/graphql"),
        ("https://ghe.example.com/api/v3/", "https://ghe.example.com/api/graphql"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/graphql"),
    ],
)
def test_graphql_url(api: str, endpoint: str) -> None:
    assert graphql_url(api) == endpoint


def test_batch_puts_names_in_variables_not_in_the_query() -> None:
    payload = Batch(('we"ird/na}me', "a/b")).payload()
    assert 'we"ird' not in payload["query"]
    assert payload["variables"] == {"o0": 'we"ird', "n0": "na}me", "o1": "a", "n1": "b"}
    assert payload["query"].startswith("query Repos($o0: String!, $n0: String!, $o1: String!")


@pytest.mark.parametrize("size", [0, 101])
def test_batch_size_bounds(size: int) -> None:
    with pytest.raises(ValueError, match="batch size"):
        batches(["a/b"], size)


def test_read_answer_on_the_recorded_shapes() -> None:
    batch = Batch(("a/found", "a/old", "a/missing", "a/odd"))
    body = {
        "data": {
            "r0": {
                "nameWithOwner": "a/found",
                "url": "https://github.com/a/found",
                "isArchived": False,
            },
            "r1": {"nameWithOwner": "b/new", "url": "https://github.com/b/new", "isArchived": True},
            "r2": None,
            "r3": None,
        },
        # the 2024 capture's key order, and the 2018 one's
        "errors": [
            {
                "type": "NOT_FOUND",
                "path": ["r2"],
                "locations": [{"line": 1, "column": 9}],
                "message": "Could not resolve to a Repository with the name 'a/missing'.",
            },
            {"message": "Resource not accessible", "type": "FORBIDDEN", "path": ["r3"]},
        ],
    }
    answer = read_answer(batch, json.dumps(body).encode())
    assert answer.repos == {
        "a/found": Found("a/found", "https://github.com/a/found", False),
        "a/old": Found("b/new", "https://github.com/b/new", True),
        "a/missing": NotFound("Could not resolve to a Repository with the name 'a/missing'."),
        "a/odd": Unanswered("Resource not accessible"),
    }
    rate = load("github", "graphql_rate_limited_2026")
    limited = read_answer(batch, rate.body)
    assert limited.rate_limited == "API rate limit already exceeded for user ID xxxxx."
    assert limited.repos == {}


@pytest.mark.parametrize(
    ("stem", "kind"),
    [
        ("rate_limit_403_primary_docs", "primary"),
        ("users_get_403_primary_rate_limit_2013", "primary"),
        ("search_code_403_secondary_rate_limit_2018", "secondary"),
        ("secondary_rate_limit_403_docs", "secondary"),
        ("repos_get_404_2023", None),
        ("repos_get_200", None),
    ],
)
def test_classify_limit_on_samples(stem: str, kind: str | None) -> None:
    sample = load("github", stem)
    assert classify_limit(sample.status, dict(sample.headers), sample.body) == kind


def test_quota_detail_without_reset() -> None:
    stop = Stop("quota", "core", "", None, None)
    text = quota_detail(stop, token=False, now=NOW)
    assert text.startswith("the GitHub API rate limit is used up")
    assert "not checked" not in text  # the judge's notice says it, with the count
    assert "resets within the hour" in text
