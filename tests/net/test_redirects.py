"""Redirects followed by hand: every hop recorded, loops named, the bound kept."""

from __future__ import annotations

import pytest

from listcheck.net import Engine, FetchError, FetchErrorKind
from tests.net.servers import EngineFactory, Site, sent_to

# --- redirects ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
async def test_each_redirect_status_is_followed_and_recorded(
    engine: Engine, site: Site, code: int
) -> None:
    start = site.url(f"/redirect/{code}?to=/ok")
    response = await engine.request("GET", start)
    assert response.status == 200
    assert response.url == site.url("/ok")
    assert response.history == ((code, start),)
    assert sent_to(engine, site) == 2


async def test_a_chain_keeps_every_hop_in_order(engine: Engine, site: Site) -> None:
    response = await engine.request("GET", site.url("/chain/3"))
    assert response.status == 200
    assert response.body == b"end of chain"
    assert response.history == (
        (301, site.url("/chain/3")),
        (301, site.url("/chain/2")),
        (301, site.url("/chain/1")),
    )
    assert response.url == site.url("/chain/0")
    assert sent_to(engine, site) == 4


async def test_a_relative_location_is_resolved_against_the_current_url(
    engine: Engine, site: Site
) -> None:
    response = await engine.request("GET", site.url("/deep/dir/page"))
    assert response.url == site.url("/ok")
    assert response.status == 200


async def test_the_cited_fragment_survives_a_redirect(engine: Engine, site: Site) -> None:
    response = await engine.request("GET", site.url("/redirect/301?to=/ok#usage"))
    assert response.url == site.url("/ok#usage")


async def test_not_following_returns_the_redirect_itself(engine: Engine, site: Site) -> None:
    response = await engine.request("GET", site.url("/chain/2"), follow_redirects=False)
    assert response.status == 301
    assert response.headers["Location"] == "/chain/1"
    assert response.history == ()
    assert sent_to(engine, site) == 1


@pytest.mark.parametrize(("path", "sent"), [("/loop/a", 2), ("/self", 1)])
async def test_a_redirect_loop_is_named_and_stops(
    engine: Engine, site: Site, path: str, sent: int
) -> None:
    with pytest.raises(FetchError) as caught:
        await engine.request("GET", site.url(path))
    assert caught.value.kind is FetchErrorKind.REDIRECT_LOOP
    assert "\n" not in caught.value.message
    assert sent_to(engine, site) == sent


@pytest.mark.parametrize("max_redirects", [0, 1, 3])
async def test_too_many_redirects_stop_at_the_bound(
    make_engine: EngineFactory, site: Site, max_redirects: int
) -> None:
    async with make_engine(max_redirects=max_redirects) as engine:
        with pytest.raises(FetchError) as caught:
            await engine.request("GET", site.url("/chain/10"))
        assert caught.value.kind is FetchErrorKind.TOO_MANY_REDIRECTS
        assert sent_to(engine, site) == max_redirects + 1


async def test_exactly_max_redirects_still_arrives(make_engine: EngineFactory, site: Site) -> None:
    async with make_engine(max_redirects=3) as engine:
        response = await engine.request("GET", site.url("/chain/3"))
    assert response.status == 200
    assert len(response.history) == 3


@pytest.mark.parametrize(
    ("code", "method_after", "body_after"),
    [
        (303, "GET", ""),
        (302, "GET", ""),
        (301, "GET", ""),
        (307, "POST", "payload"),
        (308, "POST", "payload"),
    ],
)
async def test_post_redirects_follow_browser_rules(
    engine: Engine, site: Site, code: int, method_after: str, body_after: str
) -> None:
    response = await engine.request("POST", site.url(f"/post-redirect/{code}"), data=b"payload")
    assert response.json()["method"] == method_after
    assert response.json()["body"] == body_after


@pytest.mark.parametrize("location", ["ftp://example.com/file", "mailto:someone@example.com"])
async def test_a_redirect_to_a_non_http_address_is_an_invalid_url(
    engine: Engine, site: Site, location: str
) -> None:
    with pytest.raises(FetchError) as caught:
        await engine.request("GET", site.url(f"/redirect/302?to={location}"))
    assert caught.value.kind is FetchErrorKind.INVALID_URL
