"""Fixtures shared by the whole suite: the fake internet the online checks are tested against.

No test reaches the real network. A test that needs a service describes what
exists through ``fake_world`` (see ``tests/fakes/world.py``) and points the
code under test at the addresses of ``fake_server``; both are fresh per test,
so quotas, queued failures and the request log never leak between tests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.fakes import FakeInternet, World

# Variables a CI runner (GitHub Actions among them) may set, that change what listcheck
# does: tests set the ones they mean to, never inherit them.
AMBIENT = (
    "GITHUB_ACTIONS",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_OUTPUT",
    "GITHUB_TOKEN",
    "GITHUB_API_URL",
    "GITHUB_BASE_REF",
    "GITHUB_REPOSITORY",
    "GITHUB_SHA",
    "HF_ENDPOINT",
    "HF_TOKEN",
    "NO_COLOR",
    "LISTCHECK_DEBUG",
)


@pytest.fixture(autouse=True)
def _no_ambient_ci_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in AMBIENT:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fake_world() -> World:
    """An empty world: no papers, repositories or pages until the test declares them."""
    return World()


@pytest.fixture
async def fake_server(fake_world: World) -> AsyncIterator[FakeInternet]:
    """The four fake services running on ``fake_world``, on random 127.0.0.1 ports.

    Use ``.arxiv_api_url``, ``.github_api_url``, ``.hf_endpoint``, ``.web_url(url)``
    (or ``.urls``) as addresses, and ``.log`` for what was sent.
    """
    async with FakeInternet(fake_world) as internet:
        yield internet


@pytest.fixture
def fake_env(fake_server: FakeInternet, monkeypatch: pytest.MonkeyPatch) -> FakeInternet:
    """``fake_server`` plus the standard variables pointing at it, and no ambient tokens.

    Sets ``GITHUB_API_URL`` and ``HF_ENDPOINT`` (the names GitHub Actions and
    ``huggingface_hub`` use) and removes ``GITHUB_TOKEN``, ``GH_TOKEN`` and
    ``HF_TOKEN`` so a developer's own credentials never reach a test.
    """
    monkeypatch.setenv("GITHUB_API_URL", fake_server.github_api_url)
    monkeypatch.setenv("HF_ENDPOINT", fake_server.hf_endpoint)
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return fake_server


@pytest.fixture
async def fake_session(fake_server: FakeInternet) -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp session (prefix-mode addresses, no redirects followed unless asked)."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def fake_host_session(fake_server: FakeInternet) -> AsyncIterator[aiohttp.ClientSession]:
    """A session resolving every host name to the fake (for ``fake_server.web_url_by_host``)."""
    connector = aiohttp.TCPConnector(resolver=fake_server.resolver())
    async with aiohttp.ClientSession(connector=connector) as session:
        yield session
