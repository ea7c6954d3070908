"""The Hugging Face checker against the fake Hub (answers from the recorded samples).

The Hub hides a private repository behind the same answer as a missing one, and the
answer differs with and without a token (401 vs 404 ``RepoNotFound``); both must be
``broken``. A legacy name (307 to the canonical id) is fine. Nothing the Hub says
about its own load (429, 5xx) may make a link broken.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from listcheck.checkers.base import HfTarget, Reason
from listcheck.checkers.huggingface.checker import HuggingfaceChecker, read_info
from listcheck.models import HfRepoId, Verdict
from listcheck.net.engine import Engine
from tests.fakes import FakeInternet, Forced, World
from tests.fakes.recorded import load

NOW = 1_700_000_000.0
TOKEN = "hf_listcheck_test_token"


def H(kind: str, repo_id: str) -> HfTarget:
    return HfTarget(repo_type=kind, repo_id=HfRepoId(repo_id))


@pytest.fixture
async def engine() -> AsyncIterator[Engine]:
    async def sleep(seconds: float) -> None:
        return None

    async with Engine(
        timeout=5.0, max_redirects=5, per_host=4, total=8, retries=2, sleep=sleep
    ) as engine:
        yield engine


def checker(
    engine: Engine, server: FakeInternet, token: str | None = None, **options: Any
) -> HuggingfaceChecker:
    return HuggingfaceChecker(engine, server.hf_endpoint, token, clock=lambda: NOW, **options)


def populate(world: World) -> None:
    hf = world.hf
    hf.add_model("google-bert/bert-base-uncased")
    hf.redirect("model", "bert-base-uncased", "google-bert/bert-base-uncased")
    hf.add_dataset("wzshiming/fixtures_image_utils")
    hf.add_dataset("org/gated-manual", gated="manual")
    hf.add_model("org/gated-auto", gated="auto")
    hf.add_space("org/demo")
    hf.add_dataset("org/private", private=True, readers=[TOKEN])
    hf.add_model("org/disabled", disabled=True)
    hf.redirect("dataset", "squad-gone", "rajpurkar/squad-gone")


# (target, token?, verdict, status, record fields or None, words in the detail)
CASES: list[tuple[str, HfTarget, str | None, Verdict, int, dict[str, Any] | None, str]] = [
    (
        "model",
        H("models", "google-bert/bert-base-uncased"),
        None,
        Verdict.OK,
        200,
        {"repo_id": "google-bert/bert-base-uncased", "gated": False, "legacy_name": False},
        "model exists",
    ),
    (
        "dataset",
        H("datasets", "wzshiming/fixtures_image_utils"),
        None,
        Verdict.OK,
        200,
        {"repo_id": "wzshiming/fixtures_image_utils", "gated": False},
        "dataset exists",
    ),
    (
        "gated-manual",
        H("datasets", "org/gated-manual"),
        None,
        Verdict.OK,
        200,
        {"gated": True},
        "gated",
    ),
    ("gated-auto", H("models", "org/gated-auto"), None, Verdict.OK, 200, {"gated": True}, "gated"),
    ("space", H("spaces", "org/demo"), None, Verdict.OK, 200, {"repo_id": "org/demo"}, "space"),
    (
        "missing-anonymous",
        H("datasets", "org/nothing"),
        None,
        Verdict.BROKEN,
        401,
        None,
        "no such dataset 'org/nothing' on Hugging Face; it may be private",
    ),
    (
        "missing-with-token",
        H("models", "org/nothing"),
        TOKEN,
        Verdict.BROKEN,
        404,
        None,
        "no such model 'org/nothing' on Hugging Face; it may be private",
    ),
    (
        "private-anonymous",
        H("datasets", "org/private"),
        None,
        Verdict.BROKEN,
        401,
        None,
        "it may be private",
    ),
    (
        "private-with-reader-token",
        H("datasets", "org/private"),
        TOKEN,
        Verdict.OK,
        200,
        {"repo_id": "org/private"},
        "dataset exists",
    ),
    (
        "private-with-other-token",
        H("datasets", "org/private"),
        "hf_someone_else",
        Verdict.BROKEN,
        404,
        None,
        "it may be private",
    ),
    (
        "wrong-type",
        H("datasets", "google-bert/bert-base-uncased"),
        None,
        Verdict.BROKEN,
        401,
        None,
        "no such dataset",
    ),
    (
        "legacy-name",
        H("models", "bert-base-uncased"),
        None,
        Verdict.OK,
        307,
        {"repo_id": "google-bert/bert-base-uncased", "legacy_name": True, "gated": False},
        "its canonical id is google-bert/bert-base-uncased",
    ),
    (
        "legacy-name-to-nothing",
        H("datasets", "squad-gone"),
        None,
        Verdict.BROKEN,
        401,
        None,
        "no such dataset 'rajpurkar/squad-gone' (where 'squad-gone' leads)",
    ),
    (
        "disabled",
        H("models", "org/disabled"),
        None,
        Verdict.BROKEN,
        403,
        None,
        "the model 'org/disabled' is disabled",
    ),
]


@pytest.mark.parametrize(
    ("target", "token", "verdict", "status", "record", "words"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
async def test_verdicts(
    fake_world: World,
    fake_server: FakeInternet,
    engine: Engine,
    target: HfTarget,
    token: str | None,
    verdict: Verdict,
    status: int,
    record: dict[str, Any] | None,
    words: str,
) -> None:
    populate(fake_world)
    [result] = await checker(engine, fake_server, token).check_all([target])
    assert result.key == target.key
    assert result.verdict is verdict, result.detail
    assert result.status == status
    assert words in result.detail
    assert result.final_url is None
    assert result.checked_at == NOW
    if record is None:
        assert result.hf is None
    else:
        assert result.hf is not None
        assert result.hf.model_dump() | record == result.hf.model_dump()


async def test_requests_go_to_the_api_without_following_redirects(
    fake_world: World, fake_server: FakeInternet, engine: Engine
) -> None:
    populate(fake_world)
    progress: list[tuple[str, int]] = []
    await checker(engine, fake_server, TOKEN).check_all(
        [H("models", "bert-base-uncased"), H("spaces", "org/demo")],
        lambda service, n: progress.append((service, n)),
    )
    log = fake_server.log.of("huggingface")
    assert sorted((r.path, r.status) for r in log) == [
        ("/api/models/bert-base-uncased", 307),
        ("/api/models/google-bert/bert-base-uncased", 200),
        ("/api/spaces/org/demo", 200),
    ]
    assert {r.authorization for r in log} == {f"Bearer {TOKEN}"}
    assert progress == [("huggingface", 1)] * 2


async def test_anonymous_requests_carry_no_authorization(
    fake_world: World, fake_server: FakeInternet, engine: Engine
) -> None:
    populate(fake_world)
    await checker(engine, fake_server).check_all([H("models", "google-bert/bert-base-uncased")])
    assert fake_server.log.with_authorization() == []


async def test_redirect_off_the_hub_is_not_followed(
    fake_world: World, fake_server: FakeInternet, engine: Engine
) -> None:
    elsewhere = fake_server.web_url("https://mirror.example/api/models/x/y")
    fake_world.hf.force(Forced.reply(307, "Temporary Redirect", {"Location": elsewhere}))
    [result] = await checker(engine, fake_server, TOKEN).check_all([H("models", "x/y")])
    assert result.verdict is Verdict.TRANSIENT
    assert "unexpected place" in result.detail
    assert fake_server.log.of("web") == []


@pytest.mark.parametrize(("status", "words"), [(500, "answered 500"), (503, "answered 503")])
async def test_server_errors_are_transient(
    fake_world: World, fake_server: FakeInternet, engine: Engine, status: int, words: str
) -> None:
    populate(fake_world)
    fake_world.hf.force(*[Forced.reply(status, '{"error":"Internal Error"}')] * 3)
    [result] = await checker(engine, fake_server).check_all([H("models", "org/gated-auto")])
    assert result.verdict is Verdict.TRANSIENT
    assert words in result.detail


async def test_429_is_transient_and_stops_asking(
    fake_world: World, fake_server: FakeInternet, engine: Engine
) -> None:
    populate(fake_world)
    busy = Forced.reply(429, '{"error":"Too many requests"}', {"Retry-After": "1"})
    fake_world.hf.force(busy, busy, busy)  # the engine's first try and two retries
    targets = [H("models", "org/gated-auto"), H("spaces", "org/demo"), H("datasets", "x/y")]
    results = await checker(engine, fake_server, concurrency=1).check_all(targets)
    assert [r.verdict for r in results] == [Verdict.TRANSIENT] * 3
    assert "429" in results[0].detail
    assert "no more requests were sent" in results[1].detail
    assert {r.reason for r in results} == {Reason.RATE_LIMITED}
    assert len(fake_server.log.of("huggingface")) == 3


async def test_bad_token_skips_everything_with_one_message(
    fake_world: World, fake_server: FakeInternet, engine: Engine
) -> None:
    populate(fake_world)
    fake_world.hf.bad_tokens.add("hf_bad")
    hub = checker(engine, fake_server, "hf_bad", concurrency=1)
    results = await hub.check_all([H("models", "org/gated-auto"), H("spaces", "org/demo")])
    assert [r.verdict for r in results] == [Verdict.SKIPPED] * 2
    assert hub.auth_error is not None
    assert "HF_TOKEN" in hub.auth_error
    assert all(hub.auth_error in r.detail for r in results)
    assert {r.reason for r in results} == {Reason.TOKEN_REJECTED}
    assert len(fake_server.log.of("huggingface")) == 1


async def test_unreachable_hub_is_transient(engine: Engine) -> None:
    hub = HuggingfaceChecker(engine, FakeInternet.dead_url(), None, clock=lambda: NOW)
    result = await hub.check_one(H("models", "a/b"))
    assert result.verdict is Verdict.TRANSIENT
    assert "not reachable" in result.detail


# --------------------------------------------------------------------------- reading bodies


@pytest.mark.parametrize(
    ("stem", "repo_id"),
    [
        ("models_get_200", "google-bert/bert-base-uncased"),
        ("datasets_get_200", "wzshiming/fixtures_image_utils"),
    ],
)
@pytest.mark.parametrize("cut", [None, 400])
def test_read_info_from_recorded_bodies(stem: str, repo_id: str, cut: int | None) -> None:
    body = load("huggingface", stem).body
    info = read_info(body[:cut] if cut else body, truncated=cut is not None)
    assert info.repo_id == repo_id
    assert info.gated is False


@pytest.mark.parametrize(
    ("gated", "expected"),
    [(False, False), ("auto", True), ("manual", True), (True, True), ("false", False)],
)
@pytest.mark.parametrize("truncated", [False, True])
def test_read_info_gated_values(gated: object, expected: bool, truncated: bool) -> None:
    body = json.dumps({"_id": "x", "id": "org/r\\x", "gated": gated, "siblings": []}).encode()
    info = read_info(body[:-5] if truncated else body, truncated=truncated)
    assert info.gated is expected
    assert info.repo_id == "org/r\\x"


def test_read_info_of_a_body_without_fields() -> None:
    assert read_info(b"<html>", truncated=False).repo_id is None
    assert read_info(b"{", truncated=True).gated is False


def test_hostile_truncated_hub_answer_is_read_without_crashing() -> None:
    info = read_info(b'{"id":"\\x', truncated=True)
    assert info.repo_id is None
