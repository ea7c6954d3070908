"""Per host: requests in flight stay within the limit, and a dead host is stopped."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from yarl import URL

from listcheck.net import Engine, FetchError, host_key
from tests.net.servers import EngineFactory, Site, sent_to

# --- limits ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "limit"),
    [
        ({"per_host": 2, "total": 8}, 2),
        ({"per_host": 4, "total": 3}, 3),
        ({"per_host": 4, "total": 8, "host_limits": {"127.0.0.1": 1}}, 1),
    ],
)
async def test_requests_in_flight_to_one_host_stay_within_the_limit(
    make_engine: EngineFactory, site: Site, settings: dict[str, Any], limit: int
) -> None:
    site.hold_until = limit
    async with make_engine(**settings) as engine:
        calls = [engine.request("GET", site.url("/held")) for _ in range(9)]
        answers = await asyncio.gather(*calls)
    assert [answer.status for answer in answers] == [200] * 9
    assert site.max_in_flight == limit
    assert site.hits["/held"] == 9


async def test_host_limits_may_name_host_and_port(make_engine: EngineFactory, site: Site) -> None:
    site.hold_until = 1
    async with make_engine(host_limits={host_key(URL(site.base)): 1}) as engine:
        await asyncio.gather(*(engine.request("GET", site.url("/held")) for _ in range(4)))
    assert site.max_in_flight == 1


# --- the breaker: a host that stopped answering -------------------------------------------


async def _outcomes(engine: Engine, urls: list[str]) -> list[str]:
    async def one(url: str) -> str:
        try:
            await engine.request("GET", url)
        except FetchError as error:
            return error.kind.value
        return "ok"

    return list(await asyncio.gather(*(one(url) for url in urls)))


async def test_a_hung_host_is_stopped_and_its_queue_fails_at_once(
    make_engine: EngineFactory, site: Site
) -> None:
    """10 hung pages ahead of 10 healthy ones on one host, 4 at a time, 4 attempts each:
    the first wave times out (4 different URLs), the host is stopped, and nothing queued
    behind it (retries and healthy pages alike) waits for a slot or goes out."""
    hung = [site.url(f"/slow?page={n}") for n in range(10)]
    healthy = [site.url(f"/ok?page={n}") for n in range(10)]
    async with make_engine(timeout=0.3, retries=3, stop_host_after=3) as engine:
        outcomes = await asyncio.wait_for(_outcomes(engine, hung + healthy), timeout=10)
        stopped = dict(engine.stopped_hosts)
        sent = sent_to(engine, site)
    # the first four timed out, and their retries found the host stopped
    assert outcomes == ["host_stopped"] * 20
    # Four in flight; while they time out one by one, a slot freed before the third may
    # let the next hung page out. Without the breaker: 40 attempts, then the 10 healthy.
    assert 4 <= sent <= 6
    assert list(stopped.values()) == [
        f"{host_key(URL(site.base))} stopped answering (3 links in a row timed out or could "
        "not connect); no more requests went to it this run"
    ]


async def test_an_answer_between_timeouts_keeps_the_host(
    make_engine: EngineFactory, site: Site
) -> None:
    async with make_engine(timeout=1.0, retries=0, stop_host_after=2, per_host=1) as engine:
        outcomes = [
            (await _outcomes(engine, [site.url(path)]))[0]
            for path in ("/slow?a", "/ok", "/slow?b", "/ok", "/slow?c", "/ok")
        ]
        assert engine.stopped_hosts == {}
    assert outcomes == ["timeout", "ok"] * 3


@pytest.mark.parametrize(("stop_after", "stopped"), [(2, False), (0, False)])
async def test_one_url_retried_is_one_failure_and_zero_never_stops(
    make_engine: EngineFactory, site: Site, stop_after: int, stopped: bool
) -> None:
    async with make_engine(timeout=0.2, retries=3, stop_host_after=stop_after) as engine:
        assert await _outcomes(engine, [site.url("/slow")]) == ["timeout"]
        if stop_after == 0:
            assert (
                await _outcomes(engine, [site.url(f"/slow?{n}") for n in range(3)])
                == ["timeout"] * 3
            )
        assert bool(engine.stopped_hosts) is stopped


async def test_resets_never_stop_a_host(make_engine: EngineFactory, site: Site) -> None:
    """Servers that drop a HEAD they dislike answer the GET after it: resets are no sign
    of a host that stopped answering."""
    async with make_engine(retries=0, stop_host_after=2) as engine:
        urls = [site.url(f"/reset?n={n}") for n in range(3)]
        assert await _outcomes(engine, urls) == ["reset"] * 3
        assert engine.stopped_hosts == {}
