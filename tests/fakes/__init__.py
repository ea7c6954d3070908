"""listcheck's fake internet: arXiv, GitHub, Hugging Face and any other host, on 127.0.0.1.

The checkers are tested against local servers that answer the way the real
services do — same status codes, header names and values, bodies — because
those answers come from recorded responses (``samples/``). A test describes
the internet it needs as a :class:`World`, and reads back every request the
code under test sent (:class:`RequestLog`).

Typical use, through the fixtures in ``tests/conftest.py``::

    async def test_renamed_repo(fake_world, fake_server):
        fake_world.github.add_repo("new-owner/tool")
        fake_world.github.rename("new-owner/tool", "new-owner/tool2")
        fake_world.arxiv.add("2401.00001", "A Title", versions=2)
        ...  # point the checker at fake_server.github_api_url / .arxiv_api_url
        assert fake_server.log.of("github")[0].status == 301

Import it as ``tests.fakes`` (``tests/`` is a package).
"""

from .github import secondary_limit
from .record import RecordedRequest, RequestLog
from .server import FakeInternet, FakeResolver, ServiceUrls
from .world import (
    WITHDRAWN_COMMENT,
    ArxivPaper,
    ArxivVersion,
    ArxivWorld,
    Bucket,
    FakeRepo,
    Forced,
    GitHubWorld,
    HfRepo,
    HfWorld,
    Reply,
    ServiceWorld,
    WebWorld,
    World,
)

__all__ = [
    "WITHDRAWN_COMMENT",
    "ArxivPaper",
    "ArxivVersion",
    "ArxivWorld",
    "Bucket",
    "FakeInternet",
    "FakeRepo",
    "FakeResolver",
    "Forced",
    "GitHubWorld",
    "HfRepo",
    "HfWorld",
    "RecordedRequest",
    "Reply",
    "RequestLog",
    "ServiceUrls",
    "ServiceWorld",
    "WebWorld",
    "World",
    "secondary_limit",
]
