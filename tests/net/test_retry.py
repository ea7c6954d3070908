"""When the engine asks again and how long it waits: on the wire, and the pure policy."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from multidict import CIMultiDict

from listcheck.net import Engine, FetchError, FetchErrorKind
from listcheck.net.retry import backoff_delay, parse_retry_after, requested_wait
from tests.net.servers import EngineFactory, Site, Sleeps, sent_to

# --- retries -----------------------------------------------------------------------------


async def test_429_with_retry_after_waits_as_asked_then_succeeds(
    engine: Engine, site: Site, sleeps: Sleeps
) -> None:
    response = await engine.request("GET", site.url("/flaky/a?code=429&retry=1"))
    assert response.status == 200
    assert sleeps.delays == [pytest.approx(1.0)]
    assert sent_to(engine, site) == 2


async def test_retry_after_as_an_http_date(engine: Engine, site: Site, sleeps: Sleeps) -> None:
    response = await engine.request("GET", site.url("/retry-date"))
    assert response.status == 200
    assert len(sleeps.delays) == 1
    assert 25 <= sleeps.delays[0] <= 31


@pytest.mark.parametrize("code", [429, 502, 503, 504])
async def test_temporary_statuses_are_retried_with_backoff(
    engine: Engine, site: Site, sleeps: Sleeps, code: int
) -> None:
    response = await engine.request("GET", site.url(f"/flaky/b?code={code}&fail=2"))
    assert response.status == 200
    assert sent_to(engine, site) == 3
    assert len(sleeps.delays) == 2
    for attempt, delay in enumerate(sleeps.delays):
        assert 0 <= delay <= 0.5 * 2**attempt


@pytest.mark.parametrize(("retries", "code"), [(0, 503), (2, 503), (3, 502), (3, 429)])
async def test_retries_are_bounded_and_the_last_answer_returned(
    make_engine: EngineFactory, site: Site, sleeps: Sleeps, retries: int, code: int
) -> None:
    async with make_engine(retries=retries) as engine:
        response = await engine.request("GET", site.url(f"/flaky/c?code={code}&fail=99"))
        assert response.status == code
        assert sent_to(engine, site) == retries + 1
    assert len(sleeps.delays) == retries


@pytest.mark.parametrize("code", [500, 501, 404, 403])
async def test_other_errors_are_not_retried(
    engine: Engine, site: Site, sleeps: Sleeps, code: int
) -> None:
    response = await engine.request("GET", site.url(f"/flaky/d?code={code}&fail=99"))
    assert response.status == code
    assert sent_to(engine, site) == 1
    assert sleeps.delays == []


@pytest.mark.parametrize("code", [429, 503])
async def test_a_retry_after_beyond_the_cap_is_returned_without_waiting(
    engine: Engine, site: Site, sleeps: Sleeps, code: int
) -> None:
    response = await engine.request("GET", site.url(f"/flaky/e?code={code}&retry=3600"))
    assert response.status == code
    assert response.headers["Retry-After"] == "3600"
    assert sent_to(engine, site) == 1
    assert sleeps.delays == []


async def test_the_cap_is_configurable(
    make_engine: EngineFactory, site: Site, sleeps: Sleeps
) -> None:
    async with make_engine(retry_after_cap=5) as engine:
        response = await engine.request("GET", site.url("/flaky/f?code=429&retry=6"))
    assert response.status == 429
    assert sleeps.delays == []


@pytest.mark.parametrize(("reset", "waits"), [(600, False), (20, True)])
async def test_a_spent_quota_waits_for_its_reset_within_the_cap(
    engine: Engine, site: Site, sleeps: Sleeps, reset: int, waits: bool
) -> None:
    response = await engine.request("GET", site.url(f"/quota/q?reset={reset}"))
    if waits:
        assert response.status == 200
        assert len(sleeps.delays) == 1
        assert reset - 2 <= sleeps.delays[0] <= reset + 1
        assert sent_to(engine, site) == 2
    else:
        assert response.status == 429
        assert sleeps.delays == []
        assert sent_to(engine, site) == 1


@pytest.mark.parametrize("path", ["/reset", "/drop"])
async def test_a_reset_connection_is_retried_then_named(
    engine: Engine, site: Site, sleeps: Sleeps, path: str
) -> None:
    with pytest.raises(FetchError) as caught:
        await engine.request("GET", site.url(path))
    assert caught.value.kind is FetchErrorKind.RESET
    assert len(sleeps.delays) == 3
    # Four attempts; aiohttp itself may resend once when a connection drops before
    # any answer (RFC 9112, 9.3.1). Every request sent is counted either way.
    assert 4 <= site.hits[path] <= 8
    assert sent_to(engine, site) == site.hits[path]


async def test_a_slow_server_times_out_and_is_retried(
    make_engine: EngineFactory, site: Site, sleeps: Sleeps
) -> None:
    async with make_engine(timeout=0.2, retries=1) as engine:
        with pytest.raises(FetchError) as caught:
            await engine.request("GET", site.url("/slow"))
        assert sent_to(engine, site) == 2
    assert caught.value.kind is FetchErrorKind.TIMEOUT
    assert "0.2 s" in caught.value.message
    assert len(sleeps.delays) == 1


async def test_a_trickling_body_is_cut_off_by_the_total_timeout(
    make_engine: EngineFactory, site: Site
) -> None:
    async with make_engine(timeout=0.3, retries=0) as engine:
        with pytest.raises(FetchError) as caught:
            await engine.request("GET", site.url("/trickle"))
    assert caught.value.kind is FetchErrorKind.TIMEOUT


# --- pure helpers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("0", 0.0),
        ("1", 1.0),
        (" 120 ", 120.0),
        ("1.5", 1.5),
        ("-5", None),
        ("soon", None),
        ("nan", None),
        ("Thu, 01 Jan 1970 00:01:40 GMT", 60.0),
        ("Thu, 01 Jan 1970 00:00:10 GMT", 0.0),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=40.0) == expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": "7", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2000009999"}, 7),
        ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2000000100"}, 100.0),
        ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1999999000"}, 0.0),
        ({"RateLimit-Remaining": "0", "RateLimit-Reset": "30"}, 30.0),
        ({"X-RateLimit-Remaining": "5", "X-RateLimit-Reset": "2000000100"}, None),
        ({"X-RateLimit-Remaining": "0"}, None),
        ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "tomorrow"}, None),
    ],
)
def test_requested_wait(headers: dict[str, str], expected: float | None) -> None:
    assert requested_wait(CIMultiDict(headers), now=2_000_000_000.0) == expected


@given(
    attempt=st.integers(min_value=0, max_value=200),
    base=st.floats(min_value=0, max_value=10),
    cap=st.floats(min_value=0, max_value=120),
)
def test_backoff_stays_within_its_ceiling(attempt: int, base: float, cap: float) -> None:
    delay = backoff_delay(attempt, base, cap)
    assert 0 <= delay <= min(cap, base * 2.0**attempt)
