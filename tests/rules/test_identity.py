"""What a link says about which paper its entry lists."""

from __future__ import annotations

import pytest

from listcheck.rules.identity import normalise_url


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("https://www.Example.org/papers/x.pdf", "example.org/papers/x"),
        ("http://example.org/papers/x/", "example.org/papers/x"),
        ("https://example.org/x.PDF", "example.org/x"),
        ("https://openreview.net/forum?id=abc", "openreview.net/forum?id=abc"),
        ("https://cocodataset.org/#home", "cocodataset.org"),
        ("https://example.org/#/paper/12", "example.org#/paper/12"),
        ("./papers/../papers/x.pdf", "papers/x"),
        ("./#week-of-june-23", ".#week-of-june-23"),
        ("./NeRF-and-Beyond.bib#L206-L212", "NeRF-and-Beyond.bib#L206-L212"),
        (
            "https://github.com/o/r/blob/main/notes.md#setup",
            "github.com/o/r/blob/main/notes.md#setup",
        ),
        ("https://example.org/code.py#L10-L20", "example.org/code.py#L10-L20"),
    ],
)
def test_normalise_url(url: str, normal: str) -> None:
    assert normalise_url(url) == normal
