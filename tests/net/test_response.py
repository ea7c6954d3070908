"""The answer handed back: a bounded body, detached from the socket."""

from __future__ import annotations

import pytest
from multidict import CIMultiDict

from listcheck.net import Engine, HttpResponse
from tests.net.servers import Site

# --- bounded bodies ----------------------------------------------------------------------


@pytest.mark.parametrize("max_body", [0, 1, 1000, 64 * 1024])
@pytest.mark.parametrize("path", ["/endless", "/huge"])
async def test_a_large_or_endless_body_costs_only_max_body(
    engine: Engine, site: Site, path: str, max_body: int
) -> None:
    response = await engine.request("GET", site.url(path), max_body=max_body)
    assert response.status == 200
    assert len(response.body) == max_body
    assert response.truncated is True
    site.closing.set()
    # The server could fill the socket buffers, nothing like the whole body.
    assert site.bytes_written[path] < 64 * 1024 * 1024


@pytest.mark.parametrize(
    ("size", "max_body", "truncated"), [(10, 10, False), (11, 10, True), (0, 0, False)]
)
async def test_truncated_says_whether_bytes_were_left_unread(
    engine: Engine, site: Site, size: int, max_body: int, truncated: bool
) -> None:
    response = await engine.request("GET", site.url(f"/sized/{size}"), max_body=max_body)
    assert response.body == b"s" * min(size, max_body)
    assert response.truncated is truncated


async def test_the_connection_is_usable_after_a_truncated_read(engine: Engine, site: Site) -> None:
    await engine.request("GET", site.url("/sized/5000"), max_body=10)
    response = await engine.request("GET", site.url("/ok"))
    assert response.body == b"hello"


# --- the answer itself --------------------------------------------------------------------


def test_http_response_is_frozen() -> None:
    response = HttpResponse(status=200, headers=CIMultiDict(), url="http://x/")
    with pytest.raises(AttributeError):
        response.status = 404  # type: ignore[misc]
