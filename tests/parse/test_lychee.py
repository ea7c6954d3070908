"""Every link lychee extracts, listcheck extracts too (lychee is the reference extractor
generic link checkers use). Skipped where the lychee binary is not installed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from listcheck.models import Document
from listcheck.parse import parse_document
from tests.parse.test_positions import _lists

LYCHEE = shutil.which("lychee") or shutil.which("lychee", path=str(Path(sys.executable).parent))


def _ours(doc: Document) -> set[str]:
    """Our URLs in the forms lychee prints (a bare host gains a slash, fragments of this
    file become file:// URLs; those are compared by fragment below)."""
    urls = set()
    for link in doc.links:
        urls.add(link.url)
        parts = urlsplit(link.url)
        if parts.scheme in ("http", "https") and parts.path == "":
            urls.add(link.url + "/")
    return urls


@pytest.mark.skipif(LYCHEE is None, reason="lychee is not installed")
@pytest.mark.parametrize("path", _lists(), ids=lambda p: p.name)
def test_listcheck_finds_every_link_lychee_finds(path: Path) -> None:
    assert LYCHEE is not None
    dumped = subprocess.run(
        [LYCHEE, "--dump", "--no-progress", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    ).stdout.split()
    doc = parse_document(path.read_text(encoding="utf-8"), str(path))
    ours = _ours(doc)
    fragments = {link.url for link in doc.links if link.url.startswith("#")}
    files = [link.url.lstrip("./") for link in doc.links if not urlsplit(link.url).scheme]
    missing = []
    for url in dumped:
        if url.startswith("file://"):
            fragment = "#" + url.split("#", 1)[1] if "#" in url else None
            if fragment in fragments or any(url.endswith(name) for name in files if name):
                continue
        if url not in ours:
            missing.append(url)
    assert dumped
    assert missing == []
