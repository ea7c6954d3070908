from __future__ import annotations

import pytest

from listcheck.config.selectors import closest_rule, is_known_selector, selector_matches


@pytest.mark.parametrize(
    ("selector", "known"),
    [
        ("arxiv", True),
        ("arxiv/", True),
        ("arxiv/tag-month", True),
        ("ARXIV", False),
        ("arxiv/tag", False),
        ("/", False),
        ("", False),
        ("arxiv//", False),
    ],
)
def test_known_selectors(selector: str, known: bool) -> None:
    assert is_known_selector(selector) is known


@pytest.mark.parametrize(
    ("selector", "rule", "matches"),
    [
        ("arxiv", "arxiv/tag-month", True),
        ("arxiv/", "arxiv/tag-month", True),
        ("arxiv/tag-month", "arxiv/tag-month", True),
        ("arx", "arxiv/tag-month", False),
        ("arxiv/tag", "arxiv/tag-month", False),
        ("link", "linkedin/x", False),
    ],
)
def test_selector_matches(selector: str, rule: str, matches: bool) -> None:
    assert selector_matches(selector, rule) is matches


def test_closest_rule_always_names_something() -> None:
    assert closest_rule("hf/notfound") == "hf/not-found"
    assert is_known_selector(closest_rule("zzzz"))
