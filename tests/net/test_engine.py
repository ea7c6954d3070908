"""The engine as a whole: plain answers, the global limit, counting, lifecycle."""

from __future__ import annotations

import asyncio
import gc
import logging
import warnings
from typing import Any

import pytest

from listcheck import __version__
from listcheck.config import HttpConfig
from listcheck.net import USER_AGENT, Engine, FetchError, FetchErrorKind
from tests.net.servers import EngineFactory, Site, Sleeps, sent_to, serve

# --- plain answers -----------------------------------------------------------------------


@pytest.mark.parametrize("code", [200, 204, 400, 401, 403, 404, 410, 451, 500, 501])
async def test_a_final_status_is_returned_as_it_is_after_one_request(
    engine: Engine, site: Site, sleeps: Sleeps, code: int
) -> None:
    response = await engine.request("GET", site.url(f"/status/{code}"))
    assert response.status == code
    assert response.history == ()
    assert response.url == site.url(f"/status/{code}")
    assert sent_to(engine, site) == 1
    assert sleeps.delays == []


async def test_headers_are_a_case_insensitive_copy(engine: Engine, site: Site) -> None:
    response = await engine.request("GET", site.url("/ok"))
    assert response.headers["x-custom"] == response.headers["X-CUSTOM"] == "yes"
    assert response.body == b"hello"
    assert response.truncated is False


async def test_text_uses_the_declared_charset_and_json_parses(engine: Engine, site: Site) -> None:
    assert (await engine.request("GET", site.url("/latin1"))).text() == "café"
    assert (await engine.request("GET", site.url("/json"))).json() == {"name": "café"}


async def test_head_gets_no_body(engine: Engine, site: Site) -> None:
    response = await engine.request("HEAD", site.url("/ok"))
    assert (response.status, response.body, response.truncated) == (200, b"", False)
    assert site.methods["/ok"] == ["HEAD"]


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [(None, USER_AGENT), ("custom-agent/1.0", "custom-agent/1.0")],
)
async def test_user_agent_names_listcheck_and_its_version(
    make_engine: EngineFactory, site: Site, user_agent: str | None, expected: str
) -> None:
    async with make_engine(user_agent=user_agent) as engine:
        await engine.request("GET", site.url("/echo"))
    assert site.seen["/echo"][0]["User-Agent"] == expected
    assert USER_AGENT.startswith("Mozilla/5.0 (compatible; ")
    assert f"listcheck/{__version__};" in USER_AGENT
    assert "+https://github.com/listcheck/listcheck" in USER_AGENT


async def test_a_caller_header_overrides_the_user_agent(engine: Engine, site: Site) -> None:
    await engine.request("GET", site.url("/echo"), headers={"User-Agent": "mine"})
    assert site.seen["/echo"][0]["User-Agent"] == "mine"


@pytest.mark.parametrize(
    ("kwargs", "body"),
    [({"json": {"query": "{ viewer }"}}, '{"query": "{ viewer }"}'), ({"data": b"raw"}, "raw")],
)
async def test_post_sends_json_or_bytes(
    engine: Engine, site: Site, kwargs: dict[str, Any], body: str
) -> None:
    response = await engine.request("POST", site.url("/echo"), **kwargs)
    assert response.json()["method"] == "POST"
    assert response.json()["body"] == body


# --- the global limit --------------------------------------------------------------------


async def test_the_total_limit_spans_hosts(make_engine: EngineFactory) -> None:
    gauge = Site()
    gauge.hold_until = 3
    async with (
        serve(Site(), shared=gauge) as first,
        serve(Site(), shared=gauge) as second,
        make_engine(per_host=3, total=3) as engine,
    ):
        urls = [first.url("/held"), second.url("/held")] * 5
        await asyncio.gather(*(engine.request("GET", url) for url in urls))
        assert sent_to(engine, first) == sent_to(engine, second) == 5
    assert gauge.max_in_flight == 3


# --- counting, lifecycle, cancellation ---------------------------------------------------


async def test_requests_by_host_counts_hops_per_host(
    engine: Engine, site: Site, other_site: Site
) -> None:
    site.redirect_to = other_site.url("/chain/2")
    await engine.request("GET", site.url("/away"))
    assert sent_to(engine, site) == 1
    assert sent_to(engine, other_site) == 3
    assert sum(engine.requests_by_host.values()) == 4


async def test_an_engine_must_be_opened_first(make_engine: EngineFactory) -> None:
    engine = make_engine()
    with pytest.raises(RuntimeError, match="async with"):
        await engine.request("GET", "http://127.0.0.1:1/")


@pytest.mark.parametrize(
    "settings",
    [{"timeout": 0}, {"per_host": 0}, {"total": 0}, {"retries": -1}, {"host_limits": {"x": 0}}],
)
def test_nonsense_settings_are_refused(
    make_engine: EngineFactory, settings: dict[str, Any]
) -> None:
    with pytest.raises(ValueError, match=r"must|positive|at least"):
        make_engine(**settings)


async def test_cancelling_a_request_closes_cleanly(
    make_engine: EngineFactory, site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="asyncio")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with make_engine() as engine:
            session = engine._session
            task = asyncio.create_task(engine.request("GET", site.url("/slow")))
            while site.hits["/slow"] == 0:
                await asyncio.sleep(0.01)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        assert session is not None
        assert session.closed
        assert engine.closed
        del session, engine, task
        gc.collect()
        await asyncio.sleep(0)
    complaints = [str(w.message) for w in caught if "nclosed" in str(w.message)]
    assert complaints == []
    logged = [record.getMessage() for record in caplog.records]
    assert not [line for line in logged if "nclosed" in line or "destroyed" in line]


async def test_cancelling_during_backoff_stops_retrying(
    make_engine: EngineFactory, site: Site
) -> None:
    gate = asyncio.Event()

    async def blocking_sleep(delay: float) -> None:
        gate.set()
        await asyncio.Event().wait()

    async with make_engine(sleep=blocking_sleep) as engine:
        task = asyncio.create_task(engine.request("GET", site.url("/flaky/g?code=503&fail=99")))
        await gate.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert sent_to(engine, site) == 1


async def test_from_config_applies_the_http_settings(site: Site, sleeps: Sleeps) -> None:
    config = HttpConfig(timeout=3.0, max_redirects=1, per_host=1, total=2)
    async with Engine.from_config(config, sleep=sleeps) as engine:
        with pytest.raises(FetchError) as caught:
            await engine.request("GET", site.url("/chain/2"))
        assert caught.value.kind is FetchErrorKind.TOO_MANY_REDIRECTS
        site.hold_until = 2
        await asyncio.gather(*(engine.request("GET", site.url("/held")) for _ in range(3)))
    assert site.max_in_flight == 1


async def test_aclose_is_idempotent(make_engine: EngineFactory) -> None:
    engine = make_engine()
    await engine.open()
    await engine.aclose()
    await engine.aclose()
    assert engine.closed
