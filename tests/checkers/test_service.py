"""What every service shares: a suggested URL replaces the repository in the path only,
and a service that knows only "there", "moved" and "gone" is judged the web's way."""

from __future__ import annotations

import pytest

from listcheck.checkers.base import CheckResult
from listcheck.checkers.service import judge_web_link, replace_in_path
from listcheck.models import Verdict
from listcheck.parse import parse_document


@pytest.mark.parametrize(
    ("url", "old", "new", "expected"),
    [
        ("https://github.com/com/com", "com/com", "org/com", "https://github.com/org/com"),
        (
            "https://github.com/Old/Repo/tree/main/src",
            "old/repo",
            "new/repo",
            "https://github.com/new/repo/tree/main/src",
        ),
        (
            "https://huggingface.co/bert-base-uncased",
            "bert-base-uncased",
            "google-bert/bert-base-uncased",
            "https://huggingface.co/google-bert/bert-base-uncased",
        ),
        (
            "https://github.com/a/b?tab=readme#x",
            "a/b",
            "c/d",
            "https://github.com/c/d?tab=readme#x",
        ),
    ],
)
def test_replace_in_path(url: str, old: str, new: str, expected: str) -> None:
    assert replace_in_path(url, old, new) == expected


@pytest.mark.parametrize(
    ("verdict", "final_url", "expected"),
    [
        (Verdict.OK, None, []),
        (Verdict.BROKEN, None, [("link/broken", None)]),
        (Verdict.MOVED, "https://b.org/new", [("link/moved", "https://b.org/new")]),
        (Verdict.MOVED, None, []),  # a redirect that names no target offers no fix
    ],
)
def test_a_plain_service_is_judged_the_webs_way(
    verdict: Verdict, final_url: str | None, expected: list[tuple[str, str | None]]
) -> None:
    doc = parse_document("# L\n\n- A paper [x](https://a.org/old)\n", "README.md")
    (link,) = doc.links
    result = CheckResult(key="web:x", verdict=verdict, final_url=final_url, detail="404")
    given, found = judge_web_link(doc, link, result)
    assert given is verdict
    assert [(f.rule, f.suggestion) for f in found] == expected
    assert all((f.line, f.column) == (link.line, link.column) for f in found)
