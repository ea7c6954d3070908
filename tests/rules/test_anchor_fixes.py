"""Anchor fixes cannot break a working link: for any set of headings and any fragment,
a fragment that resolves gets no finding, and every suggested fix resolves through the
same index (to a heading or HTML anchor, never merely to the top of the page)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from listcheck.models import Document, Finding, Heading, HtmlAnchor, Link, LinkKind, LinkSyntax
from listcheck.rules.anchor_index import AnchorIndex, fragment_of, written_fragment
from listcheck.rules.anchors import anchor_not_found
from listcheck.rules.base import LintContext
from listcheck.slugs import assign_slugs

CTX = LintContext(root=Path("."))

WORDS = ["Foo", "foo", "Bar", "Data", "LLMs", "Image Models", "Safety", "Q&A", "2024", "x"]
DECOR = ["", ":", " ", "-1", " 1", " (v2)", " 🔥", "🔥 ", "’s", " - ", "  ", "!", "\ufe0f"]

heading_texts = st.builds(
    lambda words, decor: "".join(w + d for w, d in zip(words, decor, strict=False)),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
    st.lists(st.sampled_from(DECOR), min_size=1, max_size=3),
) | st.text(max_size=12)

html_names = st.lists(st.sampled_from(["top-anchor", "Legacy", "a b", "50%", "readme-top"]))


def _document(texts: list[str], names: list[str], urls: list[str]) -> Document:
    slugs = assign_slugs(texts)
    return Document(
        path="README.md",
        text="",
        lines=(),
        headings=tuple(
            Heading(level=2, text=text, slug=slug, line=100 + n, column=1)
            for n, (text, slug) in enumerate(zip(texts, slugs, strict=True))
        ),
        html_anchors=tuple(HtmlAnchor(name=name, line=1, column=1) for name in names),
        links=tuple(
            Link(
                url=url,
                line=n + 1,
                column=3,
                text_line=n + 1,
                text_column=1,
                syntax=LinkSyntax.INLINE,
                kind=LinkKind.ANCHOR,
            )
            for n, url in enumerate(urls)
        ),
    )


@st.composite
def fragments(draw: st.DrawFn, slugs: list[str]) -> str:
    """Near misses of real anchors (the fixes worth offering) and arbitrary text."""
    near: bool = draw(st.booleans())
    if slugs and near:
        slug = draw(st.sampled_from(slugs))
        edit = draw(st.sampled_from(["same", "upper", "drop", "add", "number", "trim"]))
        if edit == "upper":
            return slug.upper()
        if edit == "drop" and slug:
            cut = draw(st.integers(0, len(slug) - 1))
            return slug[:cut] + slug[cut + 1 :]
        if edit == "add":
            return slug + draw(st.sampled_from(["s", "-", "-1", "-2", "x"]))
        if edit == "number":
            return f"{slug}-{draw(st.integers(1, 3))}"
        if edit == "trim":
            return slug.strip("-")
        return slug
    return draw(st.text(max_size=15))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_fixes_resolve_and_resolving_links_are_left_alone(data: st.DataObject) -> None:
    texts = data.draw(st.lists(heading_texts, max_size=8))
    names = data.draw(html_names)
    wanted = data.draw(st.lists(fragments(assign_slugs(texts)), min_size=1, max_size=6))
    urls = ["#" + written_fragment(fragment) for fragment in wanted]
    doc = _document(texts, names, urls)
    index = AnchorIndex.of(doc)
    found: dict[int, Finding] = {f.line: f for f in anchor_not_found(doc, CTX)}
    for line, url in enumerate(urls, start=1):
        fragment = fragment_of(url)
        resolves = index.resolve(fragment) is not None
        assert resolves == (line not in found), (url, resolves)
        suggestion = found[line].suggestion if line in found else None
        if suggestion is None:
            continue
        fixed = fragment_of(suggestion)
        assert suggestion.startswith("#")
        assert index.resolve(fixed) not in (None, ""), (url, suggestion)
        fixed_doc = _document(texts, names, [suggestion])
        assert list(anchor_not_found(fixed_doc, CTX)) == []


def test_a_badge_heading_is_not_fixed_into_a_broken_link() -> None:
    """Issue 8: the working #awesome-x- got the fix #awesome-x, which broke it."""
    texts = ["Awesome-X ", "Contents"]
    doc = _document(texts, [], ["#awesome-x-", "#awesome-x"])
    (found,) = anchor_not_found(doc, CTX)
    assert (found.url, found.suggestion) == ("#awesome-x", "#awesome-x-")


def test_an_empty_heading_is_never_offered() -> None:
    """An empty heading's anchor is "": "#" would only scroll to the top."""
    doc = _document(["🔥"], [], ["#-1"])  # "-1" reads as the 2nd of the "" headings
    (found,) = anchor_not_found(doc, CTX)
    assert found.suggestion is None


def test_html_anchor_names_are_written_so_they_read_back() -> None:
    names = ["related work", "score (100%)"]
    doc = _document(["Intro"], names, ["#related-work", "#score-(100%25)"])
    suggestions = [f.suggestion for f in anchor_not_found(doc, CTX)]
    assert suggestions == ["#related%20work", "#score%20%28100%25%29"]
    assert [fragment_of(s or "") for s in suggestions] == names
