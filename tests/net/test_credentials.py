"""Secret headers reach their own origin and no other, on the first hop as on any."""

from __future__ import annotations

import pytest
from yarl import URL

from listcheck.net import Engine, FetchError, is_secret_header
from tests.net.servers import SECRET, Site, sent_to

# --- secrets stay with their origin ------------------------------------------------------


SECRET_HEADERS = {
    "Authorization": SECRET,
    "X-Api-Key": "k-123",
    "Private-Token": "p-456",
    "Cookie": "session=abc",
}


async def test_secret_headers_reach_their_origin_only(
    engine: Engine, site: Site, other_site: Site
) -> None:
    site.redirect_to = other_site.url("/echo")
    response = await engine.request(
        "GET",
        site.url("/away"),
        headers={**SECRET_HEADERS, "Accept": "application/json"},
        secret_headers_for=site.origin,
    )
    assert response.status == 200
    first = site.seen["/away"][0]
    assert first["Authorization"] == SECRET
    assert first["X-Api-Key"] == "k-123"
    received = other_site.seen["/echo"][0]
    for name in SECRET_HEADERS:
        assert name not in received
    assert received["Accept"] == "application/json"
    assert sent_to(engine, site) == sent_to(engine, other_site) == 1


async def test_by_default_secrets_belong_to_the_first_urls_origin(
    engine: Engine, site: Site, other_site: Site
) -> None:
    site.redirect_to = other_site.url("/echo")
    await engine.request("GET", site.url("/away"), headers={"Authorization": SECRET})
    assert site.seen["/away"][0]["Authorization"] == SECRET
    assert "Authorization" not in other_site.seen["/echo"][0]


async def test_secrets_for_another_origin_are_not_sent_to_the_first_hop(
    engine: Engine, site: Site, other_site: Site
) -> None:
    site.redirect_to = other_site.url("/echo")
    await engine.request(
        "GET",
        site.url("/away"),
        headers={"Authorization": SECRET},
        secret_headers_for=other_site.origin,
    )
    assert "Authorization" not in site.seen["/away"][0]
    assert other_site.seen["/echo"][0]["Authorization"] == SECRET


async def test_secrets_survive_a_redirect_within_their_origin(engine: Engine, site: Site) -> None:
    await engine.request(
        "GET",
        site.url("/redirect/301?to=/echo"),
        headers={"Authorization": SECRET},
        secret_headers_for=site.origin,
    )
    assert site.seen["/echo"][0]["Authorization"] == SECRET


async def test_another_host_name_on_the_same_port_is_another_origin(
    engine: Engine, site: Site
) -> None:
    port = URL(site.base).port
    site.redirect_to = f"http://localhost:{port}/echo"
    try:
        await engine.request("GET", site.url("/away"), headers={"Authorization": SECRET})
    except FetchError:  # pragma: no cover - a machine without a localhost entry
        pytest.skip("localhost does not resolve here")
    assert site.seen["/away"][0]["Authorization"] == SECRET
    assert "Authorization" not in site.seen["/echo"][0]


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("Authorization", True),
        ("proxy-authorization", True),
        ("Cookie", True),
        ("X-Api-Key", True),
        ("PRIVATE-TOKEN", True),
        ("X-Auth-Token", True),
        ("X-Client-Secret", True),
        ("Accept", False),
        ("User-Agent", False),
        ("If-None-Match", False),
        ("X-GitHub-Api-Version", False),
        ("Content-Type", False),
    ],
)
def test_which_headers_count_as_secret(name: str, secret: bool) -> None:
    assert is_secret_header(name) is secret
