"""Tests of the fake internet itself, with plain aiohttp calls.

The checkers' tests trust the fakes to answer like arXiv, GitHub, Hugging Face
and ordinary web hosts do. These tests pin that down: where a recorded sample
exists, the fake's answer must reproduce it byte for byte (up to the parts the
world changes on purpose, such as timestamps); every behaviour the checkers
rely on (batches, quotas, renames, redirects, stalls, endless bodies) is shown
to happen.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import socket
import time
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from multidict import CIMultiDictProxy

from tests.fakes import (
    WITHDRAWN_COMMENT,
    ArxivVersion,
    FakeInternet,
    Forced,
    World,
    secondary_limit,
)
from tests.fakes import arxiv as fake_arxiv
from tests.fakes.huggingface import etag as hf_etag
from tests.fakes.recorded import SAMPLES, load

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
    "arxiv": "http://arxiv.org/schemas/atom",
}
SHARED = Path(__file__).resolve().parents[2] / "shared" / "api-samples"


# =========================================================================== helpers


async def feed(
    session: aiohttp.ClientSession, server: FakeInternet, **params: str
) -> tuple[int, bytes, ET.Element]:
    """One arXiv API call: status, raw body, parsed root."""
    async with session.get(server.arxiv_api_url, params=params) as response:
        body = await response.read()
        return response.status, body, ET.fromstring(body)


def entry_ids(root: ET.Element) -> list[str]:
    return [e.findtext("atom:id", namespaces=NS) or "" for e in root.findall("atom:entry", NS)]


def total(root: ET.Element) -> int:
    return int(root.findtext("opensearch:totalResults", namespaces=NS) or "-1")


def without_volatile(feed_text: str) -> str:
    """Blank the parts of a feed that differ per call (its opaque id and the timestamps it is
    answered at), keeping everything else for a byte comparison."""
    text = re.sub(r"(?m)^  <id>https://arxiv\.org/api/[^<]*</id>$", "  <id>FEED</id>", feed_text)
    text = re.sub(r"(?m)^  <updated>[^<]*</updated>$", "  <updated>NOW</updated>", text)
    return re.sub(
        r"(?s)(<title>Error</title>\n    )<updated>[^<]*</updated>",
        r"\1<updated>NOW</updated>",
        text,
    )


def declare_from_feed(world: World, xml: bytes) -> None:
    """Declare in ``world`` every paper of a recorded feed, exactly as recorded."""
    root = ET.fromstring(xml)
    for entry in root.findall("atom:entry", NS):
        short = (entry.findtext("atom:id", namespaces=NS) or "").rsplit("/abs/", 1)[1]
        base, number = short.rsplit("v", 1)
        published = datetime.fromisoformat(entry.findtext("atom:published", "", NS))
        updated = datetime.fromisoformat(entry.findtext("atom:updated", "", NS))
        title = entry.findtext("atom:title", "", NS)
        latest = ArxivVersion(
            title=title,
            updated=updated,
            comment=entry.findtext("arxiv:comment", None, NS),
            summary=entry.findtext("atom:summary", None, NS),
            journal_ref=entry.findtext("arxiv:journal_ref", None, NS),
            doi=entry.findtext("arxiv:doi", None, NS),
        )
        earlier = [ArxivVersion(title=title, updated=published) for _ in range(int(number) - 1)]
        world.arxiv.add(
            base,
            versions=[*earlier, latest],
            authors=[a.findtext("atom:name", "", NS) for a in entry.findall("atom:author", NS)],
            categories=[c.get("term", "") for c in entry.findall("atom:category", NS)],
        )


def sample_headers(service: str, stem: str) -> list[tuple[str, str]]:
    return load(service, stem).response_headers()


async def raw_http(port: int, request: bytes) -> bytes:
    """Send ``request`` on a bare socket and return every byte answered (exact header spelling)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    data = await reader.read()
    writer.close()
    await writer.wait_closed()
    return data


async def wait_until_idle(world_part: Any, timeout: float = 3.0) -> None:
    """Wait for a service's in-flight requests to end (streams stop when clients leave)."""
    deadline = time.monotonic() + timeout
    while world_part.in_flight and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    assert world_part.in_flight == 0


# =========================================================================== samples


def test_samples_are_complete_and_attributed() -> None:
    for service in ("arxiv", "github", "huggingface"):
        assert any((SAMPLES / service).iterdir())
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    assert "SOURCES.md" in readme
    assert "octokit/fixtures" in (SAMPLES / "SOURCES.md").read_text(encoding="utf-8")


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared/api-samples is not beside the repository")
def test_samples_match_shared_copy() -> None:
    """The copies must not drift from shared/api-samples; copy again when it changes."""
    for original in sorted(SHARED.rglob("*")):
        if original.is_file() and original.parent != SHARED:
            copy = SAMPLES / original.relative_to(SHARED)
            assert copy.read_bytes() == original.read_bytes(), copy
    assert (SAMPLES / "SOURCES.md").read_bytes() == (SHARED / "SOURCES.md").read_bytes()


def test_sample_loader_reads_status_headers_and_notes() -> None:
    repo = load("github", "repos_get_200")
    assert (repo.status, repo.reason) == (200, "OK")
    assert (
        repo.header("etag") == '"b6bf76818c02a332828422c6fa78009ad1f08f302c18524af715ed641f004227"'
    )
    assert len(repo.body) == int(repo.header("Content-Length") or 0)
    primary = load("github", "rate_limit_403_primary_docs")
    assert primary.status == 403
    assert primary.header("x-ratelimit-remaining") == "0"
    malformed = load("arxiv", "idlist_malformed_abc_400_2026")
    assert malformed.status == 400
    assert malformed.headers == ()
    request = load("github", "graphql_repos_batch_request")
    assert request.status == 0
    assert "test2:repository" in json.loads(request.body)["query"]


# =========================================================================== arXiv


async def test_arxiv_batch_leaves_out_missing_ids(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.arxiv.add("2401.00001", "First")
    fake_world.arxiv.add("2401.00003", "Third")
    status, _, root = await feed(
        fake_session, fake_server, id_list="2401.00001,2401.00002,2401.00003", max_results="3"
    )
    assert status == 200
    assert entry_ids(root) == [
        "http://arxiv.org/abs/2401.00001v1",
        "http://arxiv.org/abs/2401.00003v1",
    ]
    assert total(root) == 2
    assert root.findtext("opensearch:itemsPerPage", namespaces=NS) == "3"


async def test_arxiv_feed_reproduces_recorded_one(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    sample = load("arxiv", "idlist_one_missing_one_found_2026")
    declare_from_feed(fake_world, sample.body)
    status, body, _ = await feed(
        fake_session, fake_server, id_list="0808.05394,1707.08567", start="0", max_results="100"
    )
    assert status == sample.status == 200
    assert without_volatile(body.decode()) == without_volatile(sample.body.decode())


@pytest.mark.parametrize(
    ("stem", "id_list"),
    [
        ("idlist_missing_only_2026", "0808.05394"),
        ("idlist_title_is_0_2026", "2104.12255v1"),
    ],
)
async def test_arxiv_edge_feeds_reproduce_recorded_ones(
    fake_world: World,
    fake_server: FakeInternet,
    fake_session: aiohttp.ClientSession,
    stem: str,
    id_list: str,
) -> None:
    sample = load("arxiv", stem)
    declare_from_feed(fake_world, sample.body)
    status, body, _ = await feed(fake_session, fake_server, id_list=id_list, max_results="100")
    assert status == sample.status
    assert without_volatile(body.decode()) == without_volatile(sample.body.decode())


def test_arxiv_entries_reproduce_recorded_search_entries() -> None:
    """Entries with journal_ref, doi and several categories, in the 2026 element order."""
    sample = load("arxiv", "search_testing_3_of_10_entries_2026").body.decode()
    world = World()
    declare_from_feed(world, sample.encode())
    recorded = re.findall(r"(?s)  <entry>\n.*?  </entry>\n", sample)
    ours = [
        fake_arxiv.render_entry(world.arxiv, paper, paper.latest)
        for paper in world.arxiv.papers.values()
    ]
    assert ours == recorded
    assert len(recorded) == 3


@pytest.mark.parametrize("position", ["abc,2401.00001", "2401.00001,abc", "2401.00001,abc,2401.2"])
async def test_arxiv_malformed_id_fails_the_whole_call(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession, position: str
) -> None:
    fake_world.arxiv.add("2401.00001")
    status, body, root = await feed(fake_session, fake_server, id_list=position)
    assert status == 400
    assert [e.findtext("atom:title", namespaces=NS) for e in root.findall("atom:entry", NS)] == [
        "Error"
    ]
    sample = load("arxiv", "idlist_malformed_abc_400_2026")
    assert without_volatile(body.decode()) == without_volatile(sample.body.decode())


async def test_arxiv_error_feed_names_the_bad_id(
    fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    status, _, root = await feed(fake_session, fake_server, id_list="2401.00001,1234.123")
    assert status == 400
    assert root.findtext("atom:entry/atom:summary", namespaces=NS) == (
        "incorrect id format for 1234.123"
    )
    assert root.findtext("atom:entry/atom:id", namespaces=NS) == (
        "https://arxiv.org/api/errors#incorrect_id_format_for_1234.123"
    )
    assert total(root) == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "x"}, "start must be an integer"),
        ({"start": "-1"}, "start must be >= 0"),
        ({"max_results": "ten"}, "max_results must be an integer"),
        ({"max_results": "-5"}, "max_results must be >= 0"),
    ],
)
async def test_arxiv_bad_paging_is_an_error_feed(
    fake_server: FakeInternet,
    fake_session: aiohttp.ClientSession,
    params: dict[str, str],
    message: str,
) -> None:
    status, _, root = await feed(fake_session, fake_server, id_list="2401.00001", **params)
    assert status == 400
    assert root.findtext("atom:entry/atom:summary", namespaces=NS) == message


async def test_arxiv_versions(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.arxiv.add("2402.01234", versions=["Old Title", "Middle Title", "New Title"])
    _, _, root = await feed(
        fake_session, fake_server, id_list="2402.01234,2402.01234v1,2402.01234v3,2402.01234v4"
    )
    titles = [e.findtext("atom:title", namespaces=NS) for e in root.findall("atom:entry", NS)]
    assert entry_ids(root) == [
        "http://arxiv.org/abs/2402.01234v3",
        "http://arxiv.org/abs/2402.01234v1",
        "http://arxiv.org/abs/2402.01234v3",
    ]
    assert titles == ["New Title", "Old Title", "New Title"]
    assert total(root) == 3
    published = {
        e.findtext("atom:published", namespaces=NS) for e in root.findall("atom:entry", NS)
    }
    assert len(published) == 1, "every version reports v1's date as <published>"


async def test_arxiv_duplicate_ids_are_answered_once(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.arxiv.add("2401.00001")
    _, _, root = await feed(fake_session, fake_server, id_list="2401.00001,2401.00001")
    assert len(entry_ids(root)) == 1


async def test_arxiv_old_style_ids(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.arxiv.add("hep-th/9901001", "Strings", categories=["hep-th"])
    fake_world.arxiv.add("math.GT/0309136", "Knots", versions=2)
    _, _, root = await feed(
        fake_session, fake_server, id_list="hep-th/9901001,math.GT/0309136v1,cond-mat/0211034"
    )
    assert entry_ids(root) == [
        "http://arxiv.org/abs/hep-th/9901001v1",
        "http://arxiv.org/abs/math/0309136v1",
    ]
    assert set(fake_world.arxiv.papers) == {"hep-th/9901001", "math/0309136"}
    assert (root.findtext("atom:entry/atom:published", namespaces=NS) or "").startswith("1999-01")


async def test_arxiv_max_results_defaults_to_10_and_truncates(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    ids = [f"2403.{n:05d}" for n in range(1, 13)]
    for arxiv_id in ids:
        fake_world.arxiv.add(arxiv_id)
    _, _, root = await feed(fake_session, fake_server, id_list=",".join(ids))
    assert len(entry_ids(root)) == 10
    assert total(root) == 12
    assert root.findtext("opensearch:itemsPerPage", namespaces=NS) == "10"
    _, _, root = await feed(fake_session, fake_server, id_list=",".join(ids), max_results="12")
    assert len(entry_ids(root)) == 12
    _, _, root = await feed(fake_session, fake_server, id_list=",".join(ids), start="10")
    assert entry_ids(root) == [f"http://arxiv.org/abs/{i}v1" for i in ids[10:]]
    assert root.findtext("opensearch:startIndex", namespaces=NS) == "10"


async def test_arxiv_wrapped_titles(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    long_title = (
        "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity"
    )
    fake_world.arxiv.add("1111.2011", long_title + " Limit")
    fake_world.arxiv.wrap_titles = True
    _, body, root = await feed(fake_session, fake_server, id_list="1111.2011")
    title = root.findtext("atom:entry/atom:title", namespaces=NS) or ""
    assert "\n  " in title
    assert " ".join(title.split()) == long_title + " Limit"
    assert b"<title>Quantum Criticality" in body


async def test_arxiv_withdrawn_paper(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    paper = fake_world.arxiv.add("2404.00042", "Bold Claim", withdrawn="due to an error in Lemma 2")
    assert paper.withdrawn
    assert paper.latest == 2
    _, _, root = await feed(fake_session, fake_server, id_list="2404.00042,2404.00042v1")
    comments = [e.findtext("arxiv:comment", None, NS) for e in root.findall("atom:entry", NS)]
    assert comments[0] == f"{WITHDRAWN_COMMENT} due to an error in Lemma 2"
    assert comments[1] is None


async def test_arxiv_search_query_matches_titles(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.arxiv.add("2405.00001", "Attention Is All You Need")
    fake_world.arxiv.add("2405.00002", "Attention Sinks")
    fake_world.arxiv.add("2405.00003", "Something Else")
    _, _, root = await feed(fake_session, fake_server, search_query='ti:"attention is all"')
    assert entry_ids(root) == ["http://arxiv.org/abs/2405.00001v1"]


async def test_arxiv_post_form_is_accepted(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.arxiv.add("2401.00001")
    async with fake_session.post(
        fake_server.arxiv_api_url, data={"id_list": "2401.00001", "max_results": "1"}
    ) as response:
        root = ET.fromstring(await response.read())
    assert entry_ids(root) == ["http://arxiv.org/abs/2401.00001v1"]
    assert fake_server.log.of("arxiv")[0].body == b"id_list=2401.00001&max_results=1"


async def test_arxiv_forced_429_then_normal(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.arxiv.add("2401.00001")
    fake_world.arxiv.force(
        Forced.reply(429, "Rate exceeded.", {"Retry-After": "2"}),
        Forced.reply(503, "Service Unavailable"),
    )
    statuses, retry_after = [], None
    for _ in range(3):
        async with fake_session.get(
            fake_server.arxiv_api_url, params={"id_list": "2401.00001"}
        ) as response:
            statuses.append(response.status)
            retry_after = retry_after or response.headers.get("Retry-After")
    assert statuses == [429, 503, 200]
    assert retry_after == "2"
    assert [r.status for r in fake_server.log.of("arxiv")] == [429, 503, 200]


async def test_arxiv_stall_beyond_client_timeout(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.arxiv.add("2401.00001")
    fake_world.arxiv.force(Forced.stall(30))
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        async with fake_session.get(
            fake_server.arxiv_api_url,
            params={"id_list": "2401.00001"},
            timeout=aiohttp.ClientTimeout(total=0.3),
        ) as response:
            await response.read()
    assert time.monotonic() - started < 5
    status, _, root = await feed(fake_session, fake_server, id_list="2401.00001")
    assert status == 200
    assert total(root) == 1
    await wait_until_idle(fake_world.arxiv)


async def test_arxiv_hang_up(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    """aiohttp quietly retries an idempotent request once after a disconnect: one hang-up
    is invisible to the caller, two are an error."""
    fake_world.arxiv.add("2401.00001")
    fake_world.arxiv.force(Forced.hang_up())
    status, _, _ = await feed(fake_session, fake_server, id_list="2401.00001")
    assert status == 200
    assert [r.status for r in fake_server.log.of("arxiv")] == [None, 200]
    fake_world.arxiv.force(Forced.hang_up(), Forced.hang_up())
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await feed(fake_session, fake_server, id_list="2401.00001")


async def test_arxiv_call_times_show_the_interval(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    for _ in range(3):
        await feed(fake_session, fake_server, id_list="2401.00001")
        await asyncio.sleep(0.15)
    assert fake_world.arxiv.calls == 3
    gap = fake_world.arxiv.min_gap()
    assert gap is not None
    assert gap >= 0.15
    assert fake_server.log.gaps("arxiv") == fake_world.arxiv.gaps()
    assert fake_world.arxiv.max_in_flight == 1


async def test_arxiv_concurrency_is_observable(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.arxiv.latency = 0.2
    await asyncio.gather(*(feed(fake_session, fake_server, id_list="2401.00001") for _ in range(3)))
    assert fake_world.arxiv.max_in_flight == 3
    connections = {r.peer for r in fake_server.log.of("arxiv")}
    assert len(connections) == 3


async def test_arxiv_package_parses_the_fake_feed(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    """arxiv 4.x turns a feed into Results with ``arxiv._feed.parse`` (lxml; 2.x: feedparser)."""
    feed_module = pytest.importorskip("arxiv._feed")
    fake_world.arxiv.add(
        "2401.00001",
        versions=["Old Title", "A Long Title That the Legacy Feed Would Certainly Wrap Onto Two"],
        comment="12 pages, 3 figures",
    )
    fake_world.arxiv.wrap_titles = True
    fake_world.arxiv.add("2401.00002", "Gone", withdrawn=True)
    _, body, _ = await feed(fake_session, fake_server, id_list="2401.00001,2401.00002,2401.99999")
    parsed = feed_module.parse(body)
    assert not parsed.malformed
    assert parsed.header.total_results == 2
    first, second = parsed.results
    paper = fake_world.arxiv.papers["2401.00001"]
    assert first.entry_id == "http://arxiv.org/abs/2401.00001v2"
    assert first.get_short_id() == "2401.00001v2"
    assert first.title == "A Long Title That the Legacy Feed Would Certainly Wrap Onto Two"
    assert first.updated == paper.updated(2)
    assert first.published == paper.published
    assert first.comment == "12 pages, 3 figures"
    assert first.pdf_url == "https://arxiv.org/pdf/2401.00001v2"
    assert second.comment is not None
    assert second.comment.startswith(WITHDRAWN_COMMENT)


async def test_arxiv_client_runs_against_the_fake(
    fake_world: World, fake_server: FakeInternet
) -> None:
    """The public ``arxiv.Client`` pointed at the fake (requests, in a thread) gets Results."""
    arxiv = pytest.importorskip("arxiv")
    fake_world.arxiv.add("2401.00001", "Found One", comment="ICLR 2024")
    fake_world.arxiv.add("2401.00002", "Found Two")
    client = arxiv.Client(page_size=100, delay_seconds=0, num_retries=0)
    client.query_url_format = fake_server.arxiv_api_url + "?{}"
    search = arxiv.Search(id_list=["2401.00001", "2401.00003", "2401.00002"])
    try:
        results = await asyncio.to_thread(lambda: list(client.results(search)))
        assert [r.get_short_id() for r in results] == ["2401.00001v1", "2401.00002v1"]
        assert [r.title for r in results] == ["Found One", "Found Two"]
        assert results[0].comment == "ICLR 2024"
        request = fake_server.log.of("arxiv")[0]
        assert request.query["max_results"] == "100"
        bad = arxiv.Search(id_list=["abc"])
        with pytest.raises(arxiv.HTTPError) as failure:
            await asyncio.to_thread(lambda: list(client.results(bad)))
        assert failure.value.status == 400
    finally:
        client._session.close()  # requests keeps sockets open otherwise


# =========================================================================== GitHub REST

TOKEN = "ghp_fake_token"


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"token {token}"}


async def gh_get(
    session: aiohttp.ClientSession,
    server: FakeInternet,
    path: str,
    headers: dict[str, str] | None = None,
    **kwargs: Any,
) -> tuple[int, Any, CIMultiDictProxy[str]]:
    async with session.get(
        server.github_api_url + path, headers=headers, allow_redirects=False, **kwargs
    ) as response:
        raw = await response.read()
        data = json.loads(raw) if raw and "json" in response.content_type else raw
        return response.status, data, response.headers


async def test_github_repo_is_byte_identical_to_sample(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.github.add_repo(
        "octokit-fixture-org/hello-world", repo_id=103703892, default_branch="master"
    )
    async with fake_session.get(
        fake_server.github_api_url + "/repos/octokit-fixture-org/hello-world", headers=auth()
    ) as response:
        body = await response.read()
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert body == load("github", "repos_get_200").body


async def test_github_repo_headers_keep_recorded_names(
    fake_world: World, fake_server: FakeInternet
) -> None:
    fake_world.github.add_repo("o/r")
    raw = await raw_http(
        fake_server.ports["github"],
        b"GET /repos/o/r HTTP/1.1\r\nHost: api.github.com\r\nConnection: close\r\n\r\n",
    )
    head = raw.split(b"\r\n\r\n", 1)[0].decode()
    lines = head.split("\r\n")
    assert lines[0] == "HTTP/1.1 200 OK"
    names = [line.split(":", 1)[0] for line in lines[1:]]
    recorded = [k for k, _ in sample_headers("github", "repos_get_200") if k != "X-OAuth-Scopes"]
    assert [n for n in names if n in recorded] == recorded
    assert "X-RateLimit-Remaining: 59" in lines
    assert "X-RateLimit-Resource: core" in lines
    assert "X-OAuth-Scopes" not in names, "anonymous callers get no scopes header"


async def test_github_repo_flags_and_case(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.github.add_repo("Org/Tool", archived=True, default_branch="dev", description="d")
    status, data, _ = await gh_get(fake_session, fake_server, "/repos/org/TOOL")
    assert status == 200
    assert data["full_name"] == "Org/Tool"
    assert data["html_url"] == "https://github.com/Org/Tool"
    assert data["archived"] is True
    assert data["default_branch"] == "dev"
    assert "permissions" not in data


async def test_github_renamed_repo(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    repo = fake_world.github.add_repo("old-org/old-name")
    fake_world.github.rename("old-org/old-name", "new-org/new-name")
    status, data, headers = await gh_get(fake_session, fake_server, "/repos/old-org/old-name")
    assert status == 301
    target = f"{fake_server.github_api_url}/repositories/{repo.id}"
    assert headers["Location"] == target
    assert data == {
        "message": "Moved Permanently",
        "url": target,
        "documentation_url": "https://docs.github.com/v3/#http-redirects",
    }
    async with fake_session.get(fake_server.github_api_url + "/repos/old-org/old-name") as followed:
        moved = await followed.json()
        assert followed.status == 200
        assert [h.status for h in followed.history] == [301]
    assert moved["full_name"] == "new-org/new-name"
    assert moved["html_url"] == "https://github.com/new-org/new-name"


async def test_github_redirect_sample_shape(fake_world: World, fake_server: FakeInternet) -> None:
    """The 301 body keeps the recorded key order and headers; only the URL points at the fake."""
    repo = fake_world.github.add_repo("a/b", repo_id=515436299)
    fake_world.github.rename("a/b", "a/c")
    raw = await raw_http(
        fake_server.ports["github"],
        b"GET /repos/a/b HTTP/1.1\r\nHost: api.github.com\r\nConnection: close\r\n\r\n",
    )
    head, body = raw.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 301 Moved Permanently")
    recorded = load("github", "repos_get_301_renamed").body
    assert body == recorded.replace(
        b"https://api.github.com/repositories/515436299",
        f"http://api.github.com/repositories/{repo.id}".encode(),
    )
    assert f"Location: http://api.github.com/repositories/{repo.id}".encode() in head


async def test_github_missing_and_private(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.github.add_repo("o/secret", private=True, readers={TOKEN})
    recorded = load("github", "repos_get_404_2023").body
    for path, headers in [
        ("/repos/o/missing", None),
        ("/repos/o/secret", None),
        ("/repos/o/secret", auth("ghp_other")),
    ]:
        async with fake_session.get(fake_server.github_api_url + path, headers=headers) as r:
            assert r.status == 404
            assert await r.read() == recorded
    status, data, _ = await gh_get(fake_session, fake_server, "/repos/o/secret", auth())
    assert status == 200
    assert data["private"] is True
    assert data["visibility"] == "private"


async def test_github_anonymous_quota_drains_at_60(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.github.add_repo("o/r")
    remaining = []
    for _ in range(60):
        status, _, headers = await gh_get(fake_session, fake_server, "/repos/o/r")
        assert status == 200
        remaining.append(int(headers["X-RateLimit-Remaining"]))
    assert remaining == list(range(59, -1, -1))
    async with fake_session.get(fake_server.github_api_url + "/repos/o/r") as response:
        body = await response.read()
        assert response.status == 403
        assert response.headers["x-ratelimit-remaining"] == "0"
        assert response.headers["x-ratelimit-limit"] == "60"
        assert response.headers["x-ratelimit-used"] == "60"
        assert int(response.headers["x-ratelimit-reset"]) > time.time()
    assert body == load("github", "rate_limit_403_primary_docs").body
    assert fake_world.github.quota(None).remaining == 0
    status, _, _ = await gh_get(fake_session, fake_server, "/repos/o/r", auth())
    assert status == 200, "a token has its own bucket"


async def test_github_token_limits_and_bad_tokens(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.github.add_repo("o/r")
    fake_world.github.tokens["ghs_actions"] = 1000
    fake_world.github.bad_tokens.add("ghp_revoked")
    _, _, headers = await gh_get(fake_session, fake_server, "/repos/o/r", auth("ghs_actions"))
    assert headers["X-RateLimit-Limit"] == "1000"
    _, _, headers = await gh_get(fake_session, fake_server, "/repos/o/r", auth())
    assert headers["X-RateLimit-Limit"] == "5000"
    assert "X-OAuth-Scopes" in headers
    _, _, headers = await gh_get(
        fake_session, fake_server, "/repos/o/r", {"Authorization": f"Bearer {TOKEN}"}
    )
    assert headers["X-RateLimit-Used"] == "2"
    async with fake_session.get(
        fake_server.github_api_url + "/repos/o/r", headers=auth("ghp_revoked")
    ) as response:
        assert response.status == 401
        assert await response.read() == load("github", "graphql_bad_credentials_401_2018").body
    fake_world.github.quota("ghs_actions").used = 1000
    status, data, _ = await gh_get(fake_session, fake_server, "/repos/o/r", auth("ghs_actions"))
    assert status == 403
    assert data["message"].startswith("API rate limit exceeded for user ID ")


async def test_github_conditional_request_costs_nothing(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.github.add_repo("o/r")
    status, _, headers = await gh_get(fake_session, fake_server, "/repos/o/r")
    etag = headers["ETag"]
    assert status == 200
    assert re.fullmatch(r'"[0-9a-f]{64}"', etag)
    for _ in range(5):
        async with fake_session.get(
            fake_server.github_api_url + "/repos/o/r", headers={"If-None-Match": etag}
        ) as response:
            assert response.status == 304
            assert await response.read() == b""
            assert response.headers["X-RateLimit-Remaining"] == "59"
            assert response.headers["ETag"] == etag
    weak = {"If-None-Match": f"W/{etag}"}
    status, _, _ = await gh_get(fake_session, fake_server, "/repos/o/r", weak)
    assert status == 304
    assert fake_world.github.quota(None).used == 1
    stale = {"If-None-Match": '"0000"'}
    status, _, headers = await gh_get(fake_session, fake_server, "/repos/o/r", stale)
    assert status == 200
    assert headers["X-RateLimit-Remaining"] == "58"
    fake_world.github.quota(None).used = 60
    status, _, _ = await gh_get(fake_session, fake_server, "/repos/o/r", {"If-None-Match": etag})
    assert status == 304, "revalidation still works with the quota spent"
    fake_world.github.repos[next(iter(fake_world.github.repos))].archived = True
    fake_world.github.quota(None).used = 0
    status, data, _ = await gh_get(fake_session, fake_server, "/repos/o/r", {"If-None-Match": etag})
    assert status == 200, "a changed repository gets a new ETag"
    assert data["archived"] is True


async def test_github_secondary_limits(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.github.add_repo("o/r")
    fake_world.github.force(secondary_limit(403, 60), secondary_limit(429, 7))
    async with fake_session.get(fake_server.github_api_url + "/repos/o/r") as response:
        assert response.status == 403
        assert response.headers["Retry-After"] == "60"
        assert (
            await response.read()
            == load("github", "search_code_403_secondary_rate_limit_2018").body
        )
    async with fake_session.get(fake_server.github_api_url + "/repos/o/r") as response:
        assert response.status == 429
        assert response.headers["Retry-After"] == "7"
        assert "secondary rate limit" in (await response.json())["message"]
    status, _, _ = await gh_get(fake_session, fake_server, "/repos/o/r")
    assert status == 200
    assert fake_world.github.quota(None).used == 1, "secondary-limit answers cost no quota"


async def test_github_secondary_limit_on_concurrency(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.github.add_repo("o/r")
    fake_world.github.max_concurrent = 2
    fake_world.github.latency = 0.2
    results = await asyncio.gather(
        *(gh_get(fake_session, fake_server, "/repos/o/r") for _ in range(4))
    )
    assert sorted(status for status, _, _ in results) == [200, 200, 403, 403]
    arrivals = [r.status for r in fake_server.log.of("github")]
    assert arrivals == [200, 200, 403, 403], "the limit is decided on arrival"
    assert all(h.get("Retry-After") == "60" for s, _, h in results if s == 403)


async def test_github_contents(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.github.add_repo(
        "o/r",
        files=["README.md", "docs/guide.md", "docs/img/a.png"],
        branches={"feature/x": ["README.md", "new.py"]},
        tags={"v1.0": ["README.md"]},
    )
    status, data, _ = await gh_get(fake_session, fake_server, "/repos/o/r/contents/docs/guide.md")
    assert status == 200
    assert data["type"] == "file"
    assert data["encoding"] == "base64"
    assert list(data)[:9] == [
        "name",
        "path",
        "sha",
        "size",
        "url",
        "html_url",
        "git_url",
        "download_url",
        "type",
    ]
    assert data["html_url"] == "https://github.com/o/r/blob/main/docs/guide.md"
    status, data, _ = await gh_get(fake_session, fake_server, "/repos/o/r/contents/docs")
    assert status == 200
    assert [(d["name"], d["type"]) for d in data] == [
        ("guide.md", "file"),
        ("img", "dir"),
    ]
    status, data, _ = await gh_get(fake_session, fake_server, "/repos/o/r/contents/")
    assert [d["name"] for d in data] == ["README.md", "docs"]
    status, data, _ = await gh_get(
        fake_session, fake_server, "/repos/o/r/contents/new.py", params={"ref": "feature/x"}
    )
    assert status == 200
    for path, params, message in [
        ("/repos/o/r/contents/new.py", None, "Not Found"),
        ("/repos/o/r/contents/nope.md", {"ref": "v1.0"}, "Not Found"),
        ("/repos/o/r/contents/README.md", {"ref": "gone"}, "No commit found for the ref gone"),
    ]:
        status, data, _ = await gh_get(fake_session, fake_server, path, params=params)
        assert status == 404
        assert data == {
            "message": message,
            "documentation_url": "https://docs.github.com/rest/repos/contents#get-repository-content",
            "status": "404",
        }
    async with fake_session.get(
        fake_server.github_api_url + "/repos/o/r/contents/README.md",
        headers={"Accept": "application/vnd.github.raw+json"},
    ) as response:
        assert response.headers["Content-Type"] == "application/vnd.github.v3.raw; charset=utf-8"
        assert await response.read() == b"# README.md\n"


async def test_github_refs_tell_missing_ref_from_missing_path(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    repo = fake_world.github.add_repo("o/r", branches={"release/2.0": ["a"]})
    status, data, _ = await gh_get(fake_session, fake_server, "/repos/o/r/branches/release/2.0")
    assert status == 200
    assert data["name"] == "release/2.0"
    status, data, _ = await gh_get(fake_session, fake_server, "/repos/o/r/branches/nope")
    assert status == 404
    assert data["message"] == "Branch not found"
    sha = repo.sha("main")
    status, data, _ = await gh_get(fake_session, fake_server, f"/repos/o/r/commits/{sha[:7]}")
    assert status == 200
    assert data["sha"] == sha
    status, data, _ = await gh_get(fake_session, fake_server, "/repos/o/r/commits/deadbeef")
    assert status == 422
    assert data["message"] == "No commit found for SHA: deadbeef"
    status, data, _ = await gh_get(fake_session, fake_server, "/repos/o/nope/branches/main")
    assert status == 404


async def test_github_contents_of_renamed_repo_redirect(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    repo = fake_world.github.add_repo("o/old", files=["src/x.py"])
    fake_world.github.rename("o/old", "o/new")
    status, _, headers = await gh_get(
        fake_session, fake_server, "/repos/o/old/contents/src/x.py", params={"ref": "main"}
    )
    assert status == 301
    assert headers["Location"] == (
        f"{fake_server.github_api_url}/repositories/{repo.id}/contents/src/x.py?ref=main"
    )
    async with fake_session.get(
        fake_server.github_api_url + "/repos/o/old/contents/src/x.py?ref=main"
    ) as response:
        assert response.status == 200
        assert (await response.json())["path"] == "src/x.py"


async def test_github_rate_limit_endpoint_is_free(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.github.add_repo("o/r")
    await gh_get(fake_session, fake_server, "/repos/o/r")
    for _ in range(3):
        status, data, _ = await gh_get(fake_session, fake_server, "/rate_limit")
        assert status == 200
    assert data["resources"]["core"]["used"] == 1
    assert data["resources"]["graphql"]["limit"] == 5000
    assert data["rate"]["remaining"] == 59


async def test_github_unknown_path(
    fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    status, data, _ = await gh_get(fake_session, fake_server, "/user/repos")
    assert status == 404
    assert data["message"] == "Not Found"


# =========================================================================== GitHub GraphQL


async def graphql(
    session: aiohttp.ClientSession,
    server: FakeInternet,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = TOKEN,
) -> tuple[int, bytes, CIMultiDictProxy[str]]:
    headers = {"Authorization": f"bearer {token}"} if token else {}
    payload: dict[str, Any] = {"query": query}
    if variables is not None:
        payload["variables"] = variables
    async with session.post(server.github_api_url + "/graphql", json=payload, headers=headers) as r:
        return r.status, await r.read(), r.headers


BATCH = """
query {
  r0: repository(owner: "o", name: "live") { nameWithOwner url isArchived isPrivate
    defaultBranchRef { name } }
  r1: repository(owner: "o", name: "old") { nameWithOwner }
  r2: repository(owner: "o", name: "gone") { nameWithOwner url }
  r3: repository(owner: "o", name: "attic") { isArchived }
}
"""


async def test_graphql_needs_a_token(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    status, body, _ = await graphql(fake_session, fake_server, "{ viewer { login } }", token=None)
    assert status == 401
    assert body == load("github", "graphql_unauthenticated_401_2023").body
    fake_world.github.bad_tokens.add("ghp_bad")
    status, body, _ = await graphql(fake_session, fake_server, BATCH, token="ghp_bad")
    assert status == 401
    assert body == load("github", "graphql_bad_credentials_401_2018").body


async def test_graphql_aliased_batch(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.github.add_repo("o/live", default_branch="trunk")
    fake_world.github.add_repo("o/old")
    fake_world.github.rename("o/old", "o/renamed")
    fake_world.github.add_repo("o/attic", archived=True)
    status, body, headers = await graphql(fake_session, fake_server, BATCH)
    assert status == 200
    answer = json.loads(body)
    assert answer["data"] == {
        "r0": {
            "nameWithOwner": "o/live",
            "url": "https://github.com/o/live",
            "isArchived": False,
            "isPrivate": False,
            "defaultBranchRef": {"name": "trunk"},
        },
        "r1": {"nameWithOwner": "o/renamed"},
        "r2": None,
        "r3": {"isArchived": True},
    }
    assert answer["errors"] == [
        {
            "type": "NOT_FOUND",
            "path": ["r2"],
            "locations": [{"line": 6, "column": 3}],
            "message": "Could not resolve to a Repository with the name 'o/gone'.",
        }
    ]
    assert list(answer["errors"][0]) == list(
        load("github", "graphql_node_not_found_200_2024").json()["errors"][0]
    )
    assert headers["X-RateLimit-Resource"] == "graphql"
    assert headers["X-RateLimit-Remaining"] == "4999"
    assert headers["X-GitHub-Media-Type"] == "github.v4; format=json"


async def test_graphql_recorded_request_gets_recorded_answer(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.github.add_repo("PyGithub/PyGithub")
    request = load("github", "graphql_repository_request_2024").json()
    status, body, _ = await graphql(
        fake_session, fake_server, request["query"], request["variables"]
    )
    assert status == 200
    assert body == load("github", "graphql_repository_200_2024").body


async def test_graphql_recorded_batch_with_renamed_alias(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.github.add_repo("benjaminwinokur/test")
    fake_world.github.rename("benjaminwinokur/test", "benjaminwinokur/test2")
    request = load("github", "graphql_repos_batch_request").json()
    _, body, _ = await graphql(fake_session, fake_server, request["query"])
    assert json.loads(body) == load("github", "graphql_repos_batch_200_renamed_alias_2019").json()


async def test_graphql_private_repo_is_not_found_unless_readable(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.github.add_repo("o/secret", private=True, readers={"ghp_member"})
    query = '{ s: repository(owner: "o", name: "secret") { isPrivate } }'
    _, body, _ = await graphql(fake_session, fake_server, query)
    assert json.loads(body)["data"] == {"s": None}
    _, body, _ = await graphql(fake_session, fake_server, query, token="ghp_member")
    assert json.loads(body) == {"data": {"s": {"isPrivate": True}}}


async def test_graphql_paths_refs_fragments_and_typename(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.github.add_repo(
        "o/r", files=["docs/a.md", "README.md"], branches={"dev": ["README.md"]}
    )
    query = """
    fragment Bits on Repository { __typename nameWithOwner }
    query Paths($path: String!) {
      repo: repository(owner: "o", name: "r") {
        ...Bits
        file: object(expression: $path) { __typename ... on Blob { byteSize } }
        dir: object(expression: "main:docs") { __typename ... on Tree { entries { name type } } }
        absent: object(expression: "dev:docs/a.md") { __typename }
        badref: object(expression: "nope:README.md") { __typename }
        dev: ref(qualifiedName: "refs/heads/dev") { name prefix target { oid } }
        nodev: ref(qualifiedName: "refs/heads/missing") { name }
        owner { login ... on Organization { login } }
      }
    }
    """
    _, body, _ = await graphql(fake_session, fake_server, query, {"path": "HEAD:docs/a.md"})
    answer = json.loads(body)
    assert "errors" not in answer
    repo = answer["data"]["repo"]
    assert repo["__typename"] == "Repository"
    assert repo["nameWithOwner"] == "o/r"
    assert repo["file"] == {"__typename": "Blob", "byteSize": 0}
    assert repo["dir"] == {"__typename": "Tree", "entries": [{"name": "a.md", "type": "blob"}]}
    assert repo["absent"] is None
    assert repo["badref"] is None
    assert repo["dev"]["name"] == "dev"
    assert repo["dev"]["prefix"] == "refs/heads/"
    assert re.fullmatch(r"[0-9a-f]{40}", repo["dev"]["target"]["oid"])
    assert repo["nodev"] is None
    assert repo["owner"] == {"login": "o"}


async def test_graphql_validation_errors_have_no_data(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.github.add_repo("o/r")
    query = (
        '{ a: repository(owner: "o", name: "r") { nameWithOwner stars }'
        ' b: repository(owner: "o") { url } }'
    )
    _, body, _ = await graphql(fake_session, fake_server, query)
    answer = json.loads(body)
    assert "data" not in answer
    codes = [e["extensions"]["code"] for e in answer["errors"]]
    assert codes == ["undefinedField", "missingRequiredArguments"]
    assert answer["errors"][0]["message"] == "Field 'stars' doesn't exist on type 'Repository'"
    assert answer["errors"][0]["path"] == ["query", "a", "stars"]
    _, body, _ = await graphql(fake_session, fake_server, "{ repository(owner: ")
    assert json.loads(body)["errors"][0]["message"].startswith("Parse error on")


async def test_graphql_rate_limit(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.github.add_repo("o/r")
    fake_world.github.graphql_limit = 2
    query = '{ r: repository(owner: "o", name: "r") { url } rateLimit { cost remaining limit } }'
    _, body, _ = await graphql(fake_session, fake_server, query)
    assert json.loads(body)["data"]["rateLimit"] == {"cost": 1, "remaining": 1, "limit": 2}
    await graphql(fake_session, fake_server, query)
    status, body, headers = await graphql(fake_session, fake_server, query)
    assert status == 200
    uid = fake_world.github.user_id(TOKEN)
    recorded = load("github", "graphql_rate_limited_2026").body
    assert body == recorded.replace(b"xxxxx", str(uid).encode())
    assert headers["X-RateLimit-Remaining"] == "0"
    fake_world.github.graphql_rate_limit_type = "RATE_LIMITED"
    _, body, _ = await graphql(fake_session, fake_server, query)
    assert json.loads(body)["errors"][0]["type"] == "RATE_LIMITED"
    assert fake_world.github.quota(TOKEN).used == 0, "GraphQL has its own bucket"


async def test_graphql_bad_json(
    fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    async with fake_session.post(
        fake_server.github_api_url + "/graphql", data=b"{nope", headers=auth()
    ) as response:
        assert response.status == 400
        assert (await response.json())["message"] == "Problems parsing JSON"


# =========================================================================== Hugging Face


async def hf_get(
    session: aiohttp.ClientSession,
    server: FakeInternet,
    path: str,
    token: str | None = None,
    **kwargs: Any,
) -> tuple[int, bytes, CIMultiDictProxy[str]]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with session.get(server.hf_endpoint + path, headers=headers, **kwargs) as response:
        return response.status, await response.read(), response.headers


async def test_hf_model_is_byte_identical_to_sample(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    sample = load("huggingface", "models_get_200")
    data = sample.json()
    fake_world.hf.add_model(
        "google-bert/bert-base-uncased",
        sha=data["sha"],
        object_id=data["_id"],
        last_modified=data["lastModified"],
        files=[s["rfilename"] for s in data["siblings"]],
    )
    status, body, headers = await hf_get(
        fake_session, fake_server, "/api/models/google-bert/bert-base-uncased"
    )
    assert status == 200
    assert body == sample.body
    assert headers["ETag"] == sample.header("ETag")


async def test_hf_dataset_is_byte_identical_to_sample(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    sample = load("huggingface", "datasets_get_200")
    data = sample.json()
    fake_world.hf.add_dataset(
        "wzshiming/fixtures_image_utils",
        sha=data["sha"],
        object_id=data["_id"],
        last_modified=data["lastModified"],
        files=[s["rfilename"] for s in data["siblings"]],
    )
    status, body, headers = await hf_get(
        fake_session, fake_server, "/api/datasets/wzshiming/fixtures_image_utils"
    )
    assert status == 200
    assert body == sample.body
    assert [
        (k, v) for k, v in headers.items() if k not in {"Content-Length", "Date", "Server"}
    ] == [(k, v) for k, v in sample.response_headers()]


@pytest.mark.parametrize("gated", [False, "auto", "manual"])
async def test_hf_gated_repos_answer_200(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession, gated: Any
) -> None:
    fake_world.hf.add_model("org/model", gated=gated)
    status, body, _ = await hf_get(fake_session, fake_server, "/api/models/org/model")
    assert status == 200
    assert json.loads(body)["gated"] == gated


async def test_hf_missing_repo_anonymous_is_recorded_401(
    fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    sample = load("huggingface", "models_get_401_missing_repo_anonymous")
    for kind in ("models", "datasets", "spaces"):
        status, body, headers = await hf_get(fake_session, fake_server, f"/api/{kind}/x/missing")
        assert status == 401
        assert body == sample.body
        assert "X-Error-Code" not in headers
        assert headers["X-Error-Message"] == "Invalid username or password."
        assert headers["ETag"] == sample.header("Etag")
    raw = await raw_http(
        fake_server.ports["huggingface"],
        b"GET /api/models/x/missing HTTP/1.1\r\nHost: huggingface.co\r\nConnection: close\r\n\r\n",
    )
    head = raw.split(b"\r\n\r\n", 1)[0].decode().split("\r\n")
    recorded = [f"{k}: {v}" for k, v in sample.response_headers()]
    assert [line for line in head if line in recorded] == recorded


async def test_hf_missing_repo_with_token_is_404(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    status, body, headers = await hf_get(
        fake_session, fake_server, "/api/datasets/x/missing", token="hf_abc"
    )
    assert status == 404
    assert headers["X-Error-Code"] == "RepoNotFound"
    assert json.loads(body) == {"error": "Repository not found"}
    assert "WWW-Authenticate" not in headers
    assert headers["ETag"] == hf_etag(body)


async def test_hf_private_repo(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.hf.add_model("org/private", private=True, readers={"hf_member"})
    status, _, _ = await hf_get(fake_session, fake_server, "/api/models/org/private")
    assert status == 401
    status, _, _ = await hf_get(fake_session, fake_server, "/api/models/org/private", "hf_other")
    assert status == 404
    status, body, _ = await hf_get(
        fake_session, fake_server, "/api/models/org/private", "hf_member"
    )
    assert status == 200
    assert json.loads(body)["private"] is True


async def test_hf_legacy_name_redirects(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.hf.add_model("google-bert/bert-base-uncased")
    fake_world.hf.redirect("model", "bert-base-uncased", "google-bert/bert-base-uncased")
    sample = load("huggingface", "models_get_307_legacy_name_redirect")
    status, body, headers = await hf_get(
        fake_session, fake_server, "/api/models/bert-base-uncased", allow_redirects=False
    )
    assert status == 307
    assert body == sample.body
    assert headers["Location"] == "/api/models/google-bert/bert-base-uncased"
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    async with fake_session.get(fake_server.hf_endpoint + "/api/models/bert-base-uncased") as r:
        assert r.status == 200
        assert [h.status for h in r.history] == [307]
        assert (await r.json())["id"] == "google-bert/bert-base-uncased"


async def test_hf_revision_and_tree(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.hf.add_model("org/m", files=["config.json", "sub/w.bin"])
    status, _, _ = await hf_get(fake_session, fake_server, "/api/models/org/m/revision/main")
    assert status == 200
    status, body, headers = await hf_get(
        fake_session, fake_server, "/api/models/org/m/revision/does-not-exist"
    )
    assert status == 404
    assert headers["X-Error-Code"] == "RevisionNotFound"
    assert body == load("huggingface", "models_revision_404_RevisionNotFound").body
    status, body, _ = await hf_get(fake_session, fake_server, "/api/models/org/m/tree/main/sub")
    assert status == 200
    assert json.loads(body)[0]["path"] == "sub/w.bin"
    status, body, headers = await hf_get(
        fake_session, fake_server, "/api/models/org/m/tree/main/does-not-exist"
    )
    assert status == 404
    assert headers["X-Error-Code"] == "EntryNotFound"
    assert body == load("huggingface", "models_tree_404_EntryNotFound").body


async def test_hf_spaces_disabled_and_bad_tokens(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.hf.add_space("org/demo")
    fake_world.hf.add_model("org/off", disabled=True)
    fake_world.hf.bad_tokens.add("hf_revoked")
    status, body, _ = await hf_get(fake_session, fake_server, "/api/spaces/org/demo")
    assert status == 200
    assert json.loads(body)["sdk"] == "gradio"
    status, _, headers = await hf_get(fake_session, fake_server, "/api/models/org/off")
    assert status == 403
    assert headers["X-Error-Message"] == "Access to this resource is disabled."
    status, _, headers = await hf_get(
        fake_session, fake_server, "/api/spaces/org/demo", "hf_revoked"
    )
    assert status == 401
    assert headers["X-Error-Message"] == "Invalid credentials in Authorization header"


async def test_hf_forced_responses(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.hf.add_model("org/m")
    fake_world.hf.force(Forced.reply(429, "slow down", {"Retry-After": "3"}, match="/api/models"))
    status, _, headers = await hf_get(fake_session, fake_server, "/api/datasets/org/m")
    assert status == 401, "the forced reply only matches its path prefix"
    status, _, headers = await hf_get(fake_session, fake_server, "/api/models/org/m")
    assert status == 429
    assert headers["Retry-After"] == "3"
    status, _, _ = await hf_get(fake_session, fake_server, "/api/models/org/m")
    assert status == 200


# =========================================================================== generic web


async def get_web(
    session: aiohttp.ClientSession, server: FakeInternet, url: str, **kwargs: Any
) -> tuple[int, bytes, aiohttp.ClientResponse]:
    async with session.get(server.web_url(url), **kwargs) as response:
        return response.status, await response.read(), response


async def test_web_pages_missing_and_gone(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.web.page("https://example.com/paper", "<h1>paper</h1>")
    fake_world.web.missing("https://example.com/old")
    fake_world.web.missing("https://example.com/older", 410)
    status, body, response = await get_web(fake_session, fake_server, "https://example.com/paper")
    assert status == 200
    assert body == b"<h1>paper</h1>"
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert (await get_web(fake_session, fake_server, "https://example.com/old"))[0] == 404
    assert (await get_web(fake_session, fake_server, "https://example.com/older"))[0] == 410
    assert (await get_web(fake_session, fake_server, "https://unknown.org/x"))[0] == 404
    assert fake_world.web.hits("https://EXAMPLE.com/paper") == 1
    assert fake_world.web.hits("https://unknown.org/x") == 1


async def test_web_lookup_falls_back_on_scheme_and_query(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.web.page("https://example.com/p", "secure")
    fake_world.web.page("http://example.com/p", "plain")
    fake_world.web.page("https://example.com/q?a=1", "with query")
    fake_world.web.page("https://example.com/q", "without query")
    assert (await get_web(fake_session, fake_server, "http://example.com/p"))[1] == b"plain"
    assert (await get_web(fake_session, fake_server, "https://EXAMPLE.com/p"))[1] == b"secure"
    assert (await get_web(fake_session, fake_server, "http://example.com/q?a=1"))[1] == (
        b"with query"
    )
    assert (await get_web(fake_session, fake_server, "https://example.com/q?utm=x"))[1] == (
        b"without query"
    )


async def test_web_redirect_chain(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    urls = [
        "http://a.example/1",
        "https://a.example/2",
        "https://b.example/3",
        "https://b.example/4",
        "https://c.example/final",
    ]
    fake_world.web.redirect(urls[0], urls[1], 301)
    fake_world.web.redirect(urls[1], urls[2], 302)
    fake_world.web.redirect(urls[2], "/4", 307)
    fake_world.web.redirect(urls[3], urls[4], 308)
    fake_world.web.page(urls[4], "here")
    status, body, response = await get_web(fake_session, fake_server, urls[0])
    assert status == 200
    assert body == b"here"
    assert [h.status for h in response.history] == [301, 302, 307, 308]
    assert fake_server.real_url(str(response.url)) == urls[4]
    assert [fake_server.real_url(str(h.url)) for h in response.history] == urls[:4]
    async with fake_session.get(fake_server.web_url(urls[2]), allow_redirects=False) as r:
        assert r.headers["Location"] == "/https/b.example/4"


async def test_web_redirect_loop(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.web.redirect_loop("https://loop.example/a", "https://loop.example/b")
    with pytest.raises(aiohttp.TooManyRedirects):
        await get_web(fake_session, fake_server, "https://loop.example/a", max_redirects=5)
    assert fake_world.web.hits("https://loop.example/a") == 3


async def test_web_head_refused_get_works(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.web.head_not_allowed("https://nohead.example/doc")
    async with fake_session.head(fake_server.web_url("https://nohead.example/doc")) as response:
        assert response.status == 405
        assert response.headers["Allow"] == "GET"
    status, body, _ = await get_web(fake_session, fake_server, "https://nohead.example/doc")
    assert status == 200
    assert body.startswith(b"<!doctype html>")
    assert [r.method for r in fake_server.log.of("web")] == ["HEAD", "GET"]


async def test_web_head_answers_without_body(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.web.page("https://example.com/", "abc")
    async with fake_session.head(fake_server.web_url("https://example.com/")) as response:
        assert response.status == 200
        assert response.headers["Content-Length"] == "3"
        assert await response.read() == b""


async def test_web_bot_blocking_host(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.web.block_bots("arxiv.org")
    fake_world.web.page("https://arxiv.org/robots-welcome", "fine")
    for url in ("https://arxiv.org/abs/2401.00001", "https://arxiv.org/pdf/2401.00001v2"):
        assert (await get_web(fake_session, fake_server, url))[0] == 403
    assert (await get_web(fake_session, fake_server, "https://arxiv.org/robots-welcome"))[0] == 200
    assert fake_world.web.hits("https://arxiv.org/abs/2401.00001") == 1


async def test_web_slow_page_times_out(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.web.slow("https://slow.example/", 30)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        await get_web(
            fake_session,
            fake_server,
            "https://slow.example/",
            timeout=aiohttp.ClientTimeout(total=0.3),
        )
    assert time.monotonic() - started < 5
    await wait_until_idle(fake_world.web)


async def test_web_endless_body_stops_with_the_client(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.web.endless("https://endless.example/stream")
    async with fake_session.get(fake_server.web_url("https://endless.example/stream")) as r:
        assert r.status == 200
        assert "Content-Length" not in r.headers
        prefix = await r.content.readexactly(100_000)
    assert len(prefix) == 100_000
    await wait_until_idle(fake_world.web)
    assert 100_000 <= fake_world.web.sent("https://endless.example/stream") < 64 * 1024**2


async def test_web_huge_body_is_lazy(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.web.huge("https://cdn.example/weights.bin")
    async with fake_session.get(fake_server.web_url("https://cdn.example/weights.bin")) as r:
        assert r.headers["Content-Length"] == str(5 * 1024**3)
        assert len(await r.content.readexactly(1024**2)) == 1024**2
    await wait_until_idle(fake_world.web)
    assert fake_world.web.sent("https://cdn.example/weights.bin") < 64 * 1024**2


async def test_web_connection_reset_mid_body(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.web.reset("https://flaky.example/page")
    with pytest.raises(aiohttp.ClientPayloadError):
        await get_web(fake_session, fake_server, "https://flaky.example/page")


async def test_web_hang_up_before_status(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.web.hang_up("https://gone.example/")
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await get_web(fake_session, fake_server, "https://gone.example/")


async def test_web_retry_after_then_success(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.web.rate_limited_then_ok("https://busy.example/", retry_after=2, times=2)
    fake_world.web.unavailable_then_ok("https://down.example/")
    fake_world.web.always("https://broken.example/")
    seen = []
    for _ in range(3):
        status, body, response = await get_web(fake_session, fake_server, "https://busy.example/")
        seen.append((status, response.headers.get("Retry-After"), body))
    assert seen == [
        (429, "2", b"Too Many Requests"),
        (429, "2", b"Too Many Requests"),
        (200, None, b"ok"),
    ]
    assert [
        (await get_web(fake_session, fake_server, "https://down.example/"))[0] for _ in range(3)
    ] == [
        503,
        200,
        200,
    ]
    assert {
        (await get_web(fake_session, fake_server, "https://broken.example/"))[0] for _ in range(3)
    } == {500}


async def test_web_counter_body(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.web.counter("https://count.example/")
    bodies = [
        (await get_web(fake_session, fake_server, "https://count.example/"))[1] for _ in range(3)
    ]
    assert bodies == [b"hit 1", b"hit 2", b"hit 3"]
    assert fake_world.web.hits("https://count.example/") == 3


async def test_web_forced_response_by_path(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.web.page("https://example.com/a", "a")
    fake_world.web.force(Forced.reply(502, "bad gateway", match="/https/example.com/a"))
    assert (await get_web(fake_session, fake_server, "https://example.com/a"))[0] == 502
    assert (await get_web(fake_session, fake_server, "https://example.com/a"))[0] == 200


async def test_web_prefix_mode_needs_a_scheme_and_host(
    fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    async with fake_session.get(fake_server.web_base + "/example.com/x") as response:
        assert response.status == 400


async def test_web_host_mode(
    fake_world: World, fake_server: FakeInternet, fake_host_session: aiohttp.ClientSession
) -> None:
    fake_world.web.redirect("http://example.com/", "https://www.example.com/")
    fake_world.web.page("https://www.example.com/", "home")
    url = fake_server.web_url_by_host("http://example.com/")
    assert url == f"http://example.com:{fake_server.ports['web']}/"
    async with fake_host_session.get(url) as response:
        assert response.status == 200
        assert await response.read() == b"home"
        assert [h.status for h in response.history] == [301]
        assert str(response.url) == (f"http://www.example.com:{fake_server.ports['web_https']}/")
        assert fake_server.real_url(str(response.url)) == "https://www.example.com/"
    hosts = [r.host for r in fake_server.log.of("web")]
    assert hosts == [
        f"example.com:{fake_server.ports['web']}",
        f"www.example.com:{fake_server.ports['web_https']}",
    ]
    assert [r.url for r in fake_server.log.of("web")] == [
        "http://example.com/",
        "https://www.example.com/",
    ]


async def test_web_unresolvable_and_refused(
    fake_world: World, fake_server: FakeInternet, fake_host_session: aiohttp.ClientSession
) -> None:
    fake_world.web.unresolvable.add("no-such-host.invalid")
    with pytest.raises(aiohttp.ClientConnectorDNSError):
        async with fake_host_session.get(
            fake_server.web_url_by_host("https://no-such-host.invalid/")
        ):
            pass
    with pytest.raises(aiohttp.ClientConnectorError):
        async with fake_host_session.get(fake_server.dead_url()):
            pass


# =========================================================================== recording


async def test_requests_are_recorded_whole(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.github.add_repo("o/r")
    await gh_get(fake_session, fake_server, "/repos/o/r", auth())
    async with fake_session.post(
        fake_server.web_url("https://hooks.example/in?x=1&x=2"),
        data=b"payload",
        headers={"X-Trace": "t1"},
    ):
        pass
    api, page = fake_server.log.entries
    assert api.service == "github"
    assert api.method == "GET"
    assert api.path == "/repos/o/r"
    assert api.authorization == f"token {TOKEN}"
    assert api.token == TOKEN
    assert api.status == 200
    assert api.finished_at is not None
    assert api.finished_at >= api.at
    assert page.service == "web"
    assert page.host == "hooks.example"
    assert page.url == "https://hooks.example/in?x=1&x=2"
    assert page.query.getall("x") == ["1", "2"]
    assert page.headers["X-Trace"] == "t1"
    assert page.body == b"payload"
    assert page.status == 404


async def test_token_never_reaching_other_hosts_is_checkable(
    fake_world: World, fake_server: FakeInternet, fake_session: aiohttp.ClientSession
) -> None:
    fake_world.github.add_repo("o/r")
    fake_world.web.page("https://github.com/o/r", "repo page")
    await gh_get(fake_session, fake_server, "/repos/o/r", auth())
    await get_web(fake_session, fake_server, "https://github.com/o/r")
    assert {r.service for r in fake_server.log.with_authorization()} == {"github"}
    assert fake_server.log.to_host("github.com")[0].authorization is None


async def test_close_does_not_wait_for_stalled_requests() -> None:
    world = World()
    world.arxiv.force(Forced.stall(60))
    world.web.endless("https://endless.example/")
    async with FakeInternet(world) as internet, aiohttp.ClientSession() as session:
        stalled = asyncio.create_task(session.get(internet.arxiv_api_url))
        streaming = await session.get(internet.web_url("https://endless.example/"))
        await asyncio.sleep(0.1)
        started = time.monotonic()
        await internet.close()
        assert time.monotonic() - started < 2
        streaming.release()
        with contextlib.suppress(aiohttp.ClientError):
            (await stalled).release()


def test_urls_and_mappings_round_trip() -> None:
    internet = FakeInternet()
    internet.ports.update({"arxiv": 1001, "github": 1002, "huggingface": 1003, "web": 1004})
    internet.ports["web_https"] = 1005
    internet.web_ports.update({1004: "http", 1005: "https"})
    assert internet.urls.arxiv_api == "http://127.0.0.1:1001/api/query"
    assert internet.urls.github_api == "http://127.0.0.1:1002"
    assert internet.urls.hf_endpoint == "http://127.0.0.1:1003"
    for real in (
        "https://Example.com/a/b?c=d",
        "http://x.org",
        "https://q.org?x=1",
        "https://h.io/p/#frag",
    ):
        by_prefix = internet.web_url(real)
        assert by_prefix.startswith("http://127.0.0.1:1004/")
        by_host = internet.web_url_by_host(real)
        expected = real.replace("Example.com", "example.com")
        expected = expected.replace("x.org", "x.org/").replace("q.org?", "q.org/?")
        assert internet.real_url(by_prefix) == expected
        assert internet.real_url(by_host).lower() == expected.lower()
    assert internet.real_url("http://127.0.0.1:1002/repos/o/r") == "http://127.0.0.1:1002/repos/o/r"


def test_fake_env_points_at_the_fakes(fake_env: FakeInternet) -> None:
    assert os.environ["GITHUB_API_URL"] == fake_env.github_api_url
    assert os.environ["HF_ENDPOINT"] == fake_env.hf_endpoint
    assert "GITHUB_TOKEN" not in os.environ
    assert "HF_TOKEN" not in os.environ


def test_dead_url_refuses() -> None:
    url = FakeInternet.dead_url()
    port = int(url.rsplit(":", 1)[1].strip("/"))
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError):
        sock.connect(("127.0.0.1", port))
