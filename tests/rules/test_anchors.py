"""anchor/not-found and anchor/shadowed on hand-built documents, Markdown snippets and the
real corpus lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from listcheck.models import Document, Finding, Heading, HtmlAnchor, Link, LinkKind, LinkSyntax
from listcheck.rules.anchors import anchor_not_found
from listcheck.rules.base import OFFLINE_RULES, LintContext
from listcheck.rules.toc import anchor_shadowed
from listcheck.slugs import assign_slugs

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
CTX = LintContext(root=Path("."))

Toc = list[tuple[str, int | None]]


def make_doc(
    headings: list[tuple[int, str]],
    links: Toc,
    *,
    html_anchors: tuple[str, ...] = (),
    kind: LinkKind = LinkKind.ANCHOR,
) -> Document:
    """A document whose headings sit after its links, one per line; links share block 1
    and carry the given list depth (None: outside a list, in a block of their own)."""
    slugs = assign_slugs([text for _, text in headings])
    first_heading_line = len(links) + 2
    return Document(
        path="README.md",
        text="",
        lines=(),
        headings=tuple(
            Heading(level=level, text=text, slug=slug, line=first_heading_line + n, column=1)
            for n, ((level, text), slug) in enumerate(zip(headings, slugs, strict=True))
        ),
        html_anchors=tuple(HtmlAnchor(name=name, line=1, column=1) for name in html_anchors),
        links=tuple(
            Link(
                url=url,
                line=n + 1,
                column=5,
                text_line=n + 1,
                text_column=3,
                syntax=LinkSyntax.INLINE,
                kind=kind,
                block=1 if depth is not None else 100 + n,
                list_depth=depth,
            )
            for n, (url, depth) in enumerate(links)
        ),
    )


def not_found(doc: Document) -> list[Finding]:
    return list(anchor_not_found(doc, CTX))


def shadowed(doc: Document) -> list[Finding]:
    return list(anchor_shadowed(doc, CTX))


def test_rules_are_registered() -> None:
    assert OFFLINE_RULES["anchor/not-found"] is anchor_not_found
    assert OFFLINE_RULES["anchor/shadowed"] is anchor_shadowed


HEADINGS = [
    (1, "Awesome List"),
    (2, "Datasets, Benchmarks:"),
    (2, "🔥 News"),
    (2, "你好"),
    (2, "Café"),
    (2, "Foo"),
    (2, "Foo"),
    (3, "Copyright Protection:"),
]


@pytest.mark.parametrize(
    "url",
    [
        "#awesome-list",
        "#datasets-benchmarks",
        "#-news",
        "#foo",
        "#foo-1",
        "#copyright-protection",
        "#Datasets-Benchmarks",  # GitHub's script retries lowercased
        "#user-content-foo",  # the id GitHub really renders
        "#%E4%BD%A0%E5%A5%BD",  # percent-encoded 你好
        "#你好",
        "#caf%C3%A9",
        "#",
        "#top",
        "#Top",
        "#my-anchor",  # <a name="my-anchor">
        "#Legacy",  # <a name="Legacy">, exact case
    ],
)
def test_reachable_fragments_pass(url: str) -> None:
    doc = make_doc(HEADINGS, [(url, None)], html_anchors=("my-anchor", "Legacy"))
    assert not_found(doc) == []


@pytest.mark.parametrize(
    ("url", "suggestion"),
    [
        ("#copyright-protection-1", "#copyright-protection"),  # only one such heading
        ("#news", "#-news"),
        ("#datasets--benchmarks", "#datasets-benchmarks"),
        ("#awesome-lists", "#awesome-list"),
        ("#foo-2", None),  # two Foo headings: which one is not clear
        ("#completely-unrelated", None),
        ("#legacy", None),  # an HTML anchor matches its own case only
        ("#user-content-bar", None),
    ],
)
def test_unreachable_fragments_are_errors(url: str, suggestion: str | None) -> None:
    doc = make_doc(HEADINGS, [(url, None)], html_anchors=("my-anchor", "Legacy"))
    (found,) = not_found(doc)
    assert found.rule == "anchor/not-found"
    assert found.severity.value == "error"
    assert url.removeprefix("#") in found.message
    assert (found.line, found.column, found.url) == (1, 5, url)
    assert found.suggestion == suggestion


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://example.org/#missing", LinkKind.WEB),
        ("other.md#missing", LinkKind.FILE),
        ("https://github.com/someone/else#missing", LinkKind.GITHUB),
    ],
)
def test_links_to_other_pages_are_not_checked(url: str, kind: LinkKind) -> None:
    doc = make_doc(HEADINGS, [(url, None)], kind=kind)
    assert not_found(doc) == []


# A list shaped like the corpus: an h4 under Benchmarks shares its text with a later h2.
SHADOW_HEADINGS = [
    (1, "Title"),
    (2, "Contents"),
    (2, "Benchmarks:"),
    (4, "Image Models"),
    (4, "LLMs"),
    (2, "Image Models:"),
    (2, "Applications"),
    (3, "Safety"),
    (3, "Other"),
]


@pytest.mark.parametrize(
    ("toc", "expected"),
    [
        pytest.param(
            [
                ("#title", 0),
                ("#contents", 1),
                ("#benchmarks", 1),
                ("#image-models", 1),
                ("#applications", 1),
                ("#safety", 2),
            ],
            [(4, "#image-models", "#image-models-1")],
            id="depth-of-h2-lands-on-h4",
        ),
        pytest.param(
            [
                ("#title", 0),
                ("#contents", 1),
                ("#benchmarks", 1),
                ("#image-models-1", 1),
                ("#applications", 1),
            ],
            [],
            id="numbered-anchor-is-right",
        ),
        pytest.param(
            [
                ("#title", 0),
                ("#benchmarks", 1),
                ("#image-models", 3),
                ("#llms", 3),
                ("#applications", 1),
            ],
            [],
            id="entry-at-h4-depth-means-the-h4",
        ),
        pytest.param(
            [("#image-models", 1), ("#image-models-1", 1)],
            [],
            id="no-sure-entry-no-guess",
        ),
        pytest.param(
            [
                ("#title", 0),
                ("#contents", 0),
                ("#benchmarks", 0),
                ("#image-models", 0),
                ("#image-models-1", 0),
                ("#applications", 0),
            ],
            [],
            id="flat-toc-links-both-headings",
        ),
    ],
)
def test_shadowed_by_depth(toc: Toc, expected: list[tuple[int, str, str]]) -> None:
    doc = make_doc(SHADOW_HEADINGS, toc)
    found = shadowed(doc)
    assert [(f.line, f.url, f.suggestion) for f in found] == expected
    for finding in found:
        assert finding.severity.value == "warning"
        assert "Image Models:" in finding.message


PARTS = [(2, "Part A"), (3, "Setup"), (3, "Usage"), (2, "Part B"), (3, "Setup"), (3, "Usage")]


@pytest.mark.parametrize(
    ("toc", "expected"),
    [
        pytest.param(
            [("#part-a", 0), ("#setup", 1), ("#part-b", 0), ("#setup", 1)],
            [(4, "#setup-1")],
            id="second-setup-in-toc-order",
        ),
        pytest.param(
            [("#part-a", 0), ("#setup", 1), ("#part-b", 0), ("#setup-1", 1)],
            [],
            id="numbered-right",
        ),
        pytest.param(
            [("#part-a", 0), ("#setup", 1), ("#usage", 1), ("#part-b", 0), ("#setup", 1)],
            [(5, "#setup-1")],
            id="same-level-only-order-decides",
        ),
        pytest.param(
            [("#part-a", None), ("#setup", None), ("#part-b", None), ("#setup", None)],
            [],
            id="not-in-a-list",
        ),
    ],
)
def test_shadowed_by_order(toc: Toc, expected: list[tuple[int, str]]) -> None:
    doc = make_doc(PARTS, toc)
    assert [(f.line, f.suggestion) for f in shadowed(doc)] == expected


def test_missing_fragment_is_not_also_shadowed() -> None:
    doc = make_doc(PARTS, [("#part-a", 0), ("#setup-7", 1), ("#part-b", 0)])
    assert shadowed(doc) == []
    assert [f.url for f in not_found(doc)] == ["#setup-7"]


# Through the real parser, once it is there.


def _parse(text: str, path: str = "README.md") -> Document:
    parse = pytest.importorskip("listcheck.parse")
    document: Document = parse.parse_document(text, path)
    return document


SNIPPET = """\
# My List

- [Intro](#intro)
  - [Tools](#tools)
- [Reference](#reference)
  - [Tools](#tools)
  - [Nothing](#nothing-here)

## Intro
### Tools
## Reference
### Tools `v2`
"""


def test_snippet_through_parser() -> None:
    doc = _parse(SNIPPET)
    assert [h.slug for h in doc.headings] == ["my-list", "intro", "tools", "reference", "tools-v2"]
    # "Tools `v2`" is a different anchor, so both #tools reach the first "Tools".
    assert [(f.line, f.suggestion) for f in not_found(doc)] == [(7, None)]
    assert shadowed(doc) == []


SNIPPET_SHADOWED = SNIPPET.replace("### Tools `v2`", "### Tools:")


def test_snippet_shadowed_through_parser() -> None:
    doc = _parse(SNIPPET_SHADOWED)
    assert [h.slug for h in doc.headings][-1] == "tools-1"
    assert [(f.line, f.url, f.suggestion) for f in shadowed(doc)] == [(6, "#tools", "#tools-1")]


CORPUS_FINDINGS = {
    # file: (rule, line, fragment, suggestion)
    "awesome-genai-unlearning.md": [
        ("anchor/not-found", 23, "#copyright-protection-1", "#copyright-protection"),
        ("anchor/shadowed", 18, "#generative-image-models", "#generative-image-models-1"),
    ],
    "awesome-genai-unlearning-early.md": [
        ("anchor/not-found", 20, "#copyright-protection-1", "#copyright-protection"),
        ("anchor/shadowed", 15, "#generative-image-models", "#generative-image-models-1"),
    ],
}


@pytest.mark.parametrize("name", sorted(CORPUS_FINDINGS))
def test_corpus_anchor_defects(name: str) -> None:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {path} is not available")
    doc = _parse(path.read_text(encoding="utf-8"), str(path))
    found = not_found(doc) + shadowed(doc)
    assert [(f.rule, f.line, f.url, f.suggestion) for f in found] == CORPUS_FINDINGS[name]


def test_long_table_of_contents_points_each_entry_at_its_own_section() -> None:
    sections = 300
    headings = [heading for n in range(sections) for heading in ((2, f"Part {n}"), (3, "Setup"))]
    toc: Toc = [link for n in range(sections) for link in ((f"#part-{n}", 0), ("#setup", 1))]
    found = shadowed(make_doc(headings, toc))
    assert [f.suggestion for f in found] == [f"#setup-{n}" for n in range(1, sections)]
    assert [f.line for f in found] == [2 * n + 2 for n in range(1, sections)]


def test_fuzzy_suggestions_stop_after_a_budget_but_numbered_fixes_do_not() -> None:
    """Each fuzzy guess compares the fragment with every anchor of the file: past a
    budget of dead anchors the list is broken wholesale and guesses stop (a pull request
    of thousands of headings and dead links would otherwise take minutes)."""
    from hashlib import sha256

    from listcheck.parse import parse_document
    from listcheck.rules.anchors import _FUZZY_BUDGET

    names = [sha256(str(i).encode()).hexdigest()[:10] + "xy" for i in range(_FUZZY_BUDGET + 1)]
    typos = "".join(f"- [x](#{name[:-2]}{name[-1]}{name[-2]})\n" for name in names)
    markdown = typos + "- [x](#solo-1)\n" + "".join(f"## {name}\n" for name in names) + "## Solo\n"
    found = list(anchor_not_found(parse_document(markdown, "README.md"), CTX))
    suggestions = [f.suggestion for f in found]
    assert len(found) == _FUZZY_BUDGET + 2
    assert suggestions[:_FUZZY_BUDGET] == [f"#{name}" for name in names[:_FUZZY_BUDGET]]
    assert suggestions[_FUZZY_BUDGET] is None  # one guess too many
    assert suggestions[-1] == "#solo"  # #solo-1 of the only "Solo": exact, always offered
