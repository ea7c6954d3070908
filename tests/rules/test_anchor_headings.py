"""The anchor github.com gives a heading, from the Markdown as written, through the real
parser: what text the slugger sees (images, badges, HTML, entities, code, line breaks)
and how repeats are numbered.

Where each case is known from:

* SLUGGER: github-slugger's fixtures (Flet/github-slugger, test/fixtures.json). Its
  script/generate-fixtures.mjs renders every case in a real gist on github.com and reads
  the anchors back, so these are GitHub's own output.
* PIPELINE: GitHub's anchor filter (html-pipeline, lib/html/pipeline/toc_filter.rb) takes
  ``node.text`` of the rendered ``<h1>``..``<h6>``: the DOM text content, so an ``<img>``
  or a badge adds nothing, a tag adds nothing but the text it wraps, an entity counts as
  the character it stands for, and a space next to an image stays.
* COMMONMARK: the CommonMark spec (ATX and setext headings, code spans, entity
  references): which source characters are heading content at all.
* ISSUE8: issue 8 of this project, observed on github.com.
* CORPUS: a heading of a real list in ../shared/corpus/real/.
"""

from __future__ import annotations

import pytest

from listcheck.models import Document
from listcheck.parse import parse_document


def _headings(markdown: str) -> list[tuple[str, str]]:
    doc: Document = parse_document(markdown, "README.md")
    return [(heading.text, heading.slug) for heading in doc.headings]


CASES = [
    # (markdown, rendered text, anchor)  # source
    pytest.param(
        "# Awesome-X [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)",
        "Awesome-X ",
        "awesome-x-",
        id="badge-at-end",  # ISSUE8; PIPELINE (the space before the badge is text)
    ),
    pytest.param(
        "# Awesome Neural Radiance Fields [![Awesome](https://cdn.rawgit.com/sindresorhus/"
        "awesome/d7305f38d29fed78fa85652e3a63e154dd8e8829/media/badge.svg)]"
        "(https://github.com/sindresorhus/awesome)",
        "Awesome Neural Radiance Fields ",
        "awesome-neural-radiance-fields-",
        id="badge-at-end-real",  # CORPUS awesome-NeRF line 1; PIPELINE
    ),
    pytest.param(
        "# ![logo](assets/logo.png) Awesome Papers",
        " Awesome Papers",
        "-awesome-papers",
        id="image-at-start",  # PIPELINE; SLUGGER "# &#x20;a" -> "-a"
    ),
    pytest.param(
        "## Models ![new](new.gif) 2024",
        "Models  2024",
        "models--2024",
        id="image-in-middle",  # PIPELINE; SLUGGER "heading with a - dash" keeps "--"
    ),
    pytest.param(
        "## [![badge](b.svg)](https://x.org)",
        "",
        "",
        id="only-a-badge",  # PIPELINE: no text at all
    ),
    pytest.param(
        '## <img src="icon.png" width="20"> Datasets',
        " Datasets",
        "-datasets",
        id="html-img",  # PIPELINE
    ),
    pytest.param(
        '## Surveys <a name="surveys"></a>',
        "Surveys ",
        "surveys-",
        id="html-anchor-at-end",  # PIPELINE: the empty <a> adds nothing, the space stays
    ),
    pytest.param(
        "## Scaling Laws<sup>new</sup>",
        "Scaling Lawsnew",
        "scaling-lawsnew",
        id="html-sup",  # PIPELINE: a tag's wrapped text is text
    ),
    pytest.param(
        "## Tom &amp; Jerry",
        "Tom & Jerry",
        "tom--jerry",
        id="entity",  # PIPELINE (decoded text); SLUGGER "I ♥ unicode" -> "i--unicode"
    ),
    pytest.param(
        "# a&#x20;",
        "a ",
        "a-",
        id="entity-space-at-end",  # SLUGGER "Characters: final space"
    ),
    pytest.param(
        "# &#x20;a&#x20;",
        " a ",
        "-a-",
        id="entity-spaces-at-both-ends",  # SLUGGER "Characters: initial and final spaces"
    ),
    pytest.param(
        "## AT&T Research",
        "AT&T Research",
        "att-research",
        id="ampersand-not-an-entity",  # COMMONMARK: a reference needs its ";"
    ),
    pytest.param(
        "## `torch.nn` Modules",
        "torch.nn Modules",
        "torchnn-modules",
        id="code-span",  # PIPELINE (<code> text); SLUGGER "heading with a period.txt"
    ),
    pytest.param(
        "## `a &amp; b`",
        "a &amp; b",
        "a-amp-b",
        id="entity-in-code-span-stays",  # COMMONMARK: no entities inside code spans
    ),
    pytest.param(
        "## [Papers](https://example.org/papers) and Code",
        "Papers and Code",
        "papers-and-code",
        id="link-text-counts",  # PIPELINE
    ),
    pytest.param(
        "## **Bold** and _emphasis_",
        "Bold and emphasis",
        "bold-and-emphasis",
        id="emphasis",  # PIPELINE
    ),
    pytest.param(
        "## 🔥 News",
        "🔥 News",
        "-news",
        id="emoji-at-start",  # SLUGGER "😄 unicode emoji" -> "-unicode-emoji"
    ),
    pytest.param(
        "## :smile: - a gemoji",
        ":smile: - a gemoji",
        "smile---a-gemoji",
        id="gemoji-shortcode",  # SLUGGER: the shortcode is slugged as written
    ),
    pytest.param(
        "## ⚙️ Installation",
        "⚙️ Installation",
        "\ufe0f-installation",
        id="emoji-variation-selector",  # SLUGGER "Mark" (kept); real TOCs "#️-installation"
    ),
    pytest.param(
        "## Top ML Papers of the Week (June 2 - June 8) - 2025",
        "Top ML Papers of the Week (June 2 - June 8) - 2025",
        "top-ml-papers-of-the-week-june-2---june-8---2025",
        id="dair-ai-week",  # CORPUS dair-ai line 196; SLUGGER "heading with a - dash"
    ),
    pytest.param(
        "#   Closing hashes   ##   ",
        "Closing hashes",
        "closing-hashes",
        id="atx-closing-sequence",  # COMMONMARK: the closing #s and edge blanks go
    ),
    pytest.param(
        "## C\\#",
        "C#",
        "c",
        id="escaped-hash-is-text",  # COMMONMARK; SLUGGER drops punctuation
    ),
    pytest.param(
        "## Issue #12",
        "Issue #12",
        "issue-12",
        id="hash-inside-is-text",  # COMMONMARK: only a closing sequence after a blank goes
    ),
    pytest.param(
        "  Setext Heading  \n===",
        "Setext Heading",
        "setext-heading",
        id="setext",  # COMMONMARK
    ),
    pytest.param(
        "Two\nlines\n---",
        "Two\nlines",
        "twolines",
        id="setext-two-lines",  # PIPELINE: the line break is "\n" in the text, dropped
    ),
    pytest.param(
        "",
        None,
        None,
        id="no-heading",
    ),
]


@pytest.mark.parametrize(("markdown", "text", "anchor"), CASES)
def test_heading_anchor(markdown: str, text: str | None, anchor: str | None) -> None:
    expected = [] if text is None or anchor is None else [(text, anchor)]
    assert _headings(markdown + "\n") == expected


@pytest.mark.parametrize(
    ("markdown", "anchors"),
    [
        pytest.param(
            "# echo\n# echo\n# echo 1\n# echo-1\n# echo\n",
            ["echo", "echo-1", "echo-1-1", "echo-1-2", "echo-2"],
            id="repeats-skip-taken",  # SLUGGER "Repetition (1)".."(5)"
        ),
        pytest.param(
            "# foxtrot-1\n# foxtrot\n# foxtrot\n",
            ["foxtrot-1", "foxtrot", "foxtrot-2"],
            id="explicit-number-first",  # SLUGGER "More repetition"
        ),
        pytest.param(
            "# Awesome [![a](a.svg)](x)\n## Awesome\n## Awesome \\#\n",
            ["awesome-", "awesome", "awesome--1"],
            id="badge-makes-its-own-anchor",  # PIPELINE + SLUGGER numbering
        ),
        pytest.param(
            "Title\n=====\n# Title\n",
            ["title", "title-1"],
            id="setext-and-atx-share-numbering",  # SLUGGER numbering is per document
        ),
    ],
)
def test_repeats_through_parser(markdown: str, anchors: list[str]) -> None:
    assert [anchor for _, anchor in _headings(markdown)] == anchors
