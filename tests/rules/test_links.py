"""link/empty and link/malformed on Markdown snippets, hand-built links and the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from listcheck.classify import classify_url
from listcheck.models import Document, Finding, Link, LinkKind, LinkSyntax, Severity
from listcheck.parse import parse_document
from listcheck.parse.inline import link_slip
from listcheck.rules.arxiv import arxiv_url_form
from listcheck.rules.base import OFFLINE_RULES, LintContext
from listcheck.rules.files import file_not_found
from listcheck.rules.links import describe_link, link_empty, link_malformed, repair_url

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
CTX = LintContext(root=Path("."))


def empty(markdown: str) -> list[Finding]:
    return list(link_empty(parse_document(markdown, "README.md"), CTX))


def malformed(markdown: str) -> list[Finding]:
    return list(link_malformed(parse_document(markdown, "README.md"), CTX))


def test_rules_are_registered() -> None:
    assert OFFLINE_RULES["link/empty"] is link_empty
    assert OFFLINE_RULES["link/malformed"] is link_malformed


@pytest.mark.parametrize(
    ("markdown", "line", "column", "message"),
    [
        ("We group works by [approaches]().\n", 1, 32, 'link "approaches" has no URL'),
        ("- [PDF]( ), [code](https://github.com/o/r)\n", 1, 10, 'link "PDF" has no URL'),
        ("Survey: [**Machine Unlearning**]()\n", 1, 34, 'link "Machine Unlearning" has no URL'),
        ("x [code](<>)\n", 1, 11, 'link "code" has no URL'),
        ("![teaser]()\n", 1, 11, 'image "teaser" has no URL'),
        ('<a href="">home</a>\n', 1, 10, "has no URL"),
    ],
)
def test_empty_links_are_reported_where_the_url_would_stand(
    markdown: str, line: int, column: int, message: str
) -> None:
    (found,) = empty(markdown)
    assert (found.rule, found.severity) == ("link/empty", Severity.ERROR)
    assert (found.line, found.column) == (line, column)
    assert message in found.message
    assert found.path == "README.md"


@pytest.mark.parametrize(
    "markdown",
    [
        "[anchor](#top) [file](./docs/a.md) [web](https://example.com) [m](mailto:a@b.c)\n",
        "[ftp](ftp://ftp.example.com/pub) <https://arxiv.org/abs/2401.06121>\n",
        "No links here, just [brackets] and (parentheses).\n",
        "`[code]()` in a code span is not a link\n",
    ],
)
def test_links_with_a_url_are_not_empty(markdown: str) -> None:
    assert empty(markdown) == []


@pytest.mark.parametrize(
    ("markdown", "column", "reason", "suggestion"),
    [
        ("[code](htp://github.com/a/b)\n", 8, "'htp', a misspelling", "http://github.com/a/b"),
        ("[code](htps://github.com/a/b)\n", 8, "'htps', a misspelling", "https://github.com/a/b"),
        ("[site](https//example.com)\n", 8, "missing the ':'", "https://example.com"),
        ("[site](http:/example.com)\n", 8, "no '//' after http:", "http://example.com"),
        ("[site](www.example.com)\n", 8, "no http(s)://", "https://www.example.com"),
        ("[repo](github.com/o/r)\n", 8, "no http(s)://", "https://github.com/o/r"),
        ("see <htp://x.org> here\n", 6, "'htp', a misspelling", "http://x.org"),
        ("[p](http://example.com:99999/)\n", 5, "invalid port '99999'", None),
        ("[p](https://a..b/)\n", 5, "empty label", None),
        ('<a href="http:/x.org">h</a>\n', 10, "no '//' after http:", "http://x.org"),
    ],
)
def test_malformed_urls_are_explained(
    markdown: str, column: int, reason: str, suggestion: str | None
) -> None:
    (found,) = malformed(markdown)
    assert (found.rule, found.severity) == ("link/malformed", Severity.ERROR)
    assert (found.line, found.column) == (1, column)
    assert "has a malformed URL" in found.message
    assert reason in found.message
    assert found.url is not None
    assert found.url in found.message
    assert found.suggestion == suggestion


def test_malformed_message_names_the_link_text() -> None:
    (found,) = malformed("- Paper ([code](htp://github.com/a/b))\n")
    assert found.message == (
        'link "code" has a malformed URL: "htp://github.com/a/b" has scheme \'htp\','
        " a misspelling of http(s)"
    )


@pytest.mark.parametrize(
    ("markdown", "scheme"),
    [
        ("[click](javascript:alert(1))\n", "javascript"),
        ("[x](JavaScript:void(0))\n", "JavaScript"),
        ("[img](data:image/png;base64,AAAA)\n", "data"),
    ],
)
def test_schemes_github_strips_are_malformed(markdown: str, scheme: str) -> None:
    (found,) = malformed(markdown)
    assert found.message.endswith(f"uses the {scheme}: scheme, which GitHub removes")


@pytest.mark.parametrize(
    "markdown",
    [
        "[web](<https://example.com/a b>) [ok](http://localhost:8080/x)\n",
        "[ftp](ftp://ftp.example.com/) [tel](tel:+15555555555) [m](mailto:x@y.z)\n",
        "[a](#x) [f](../up.md) [e]() [gh](https://github.com/o/r)\n",
        "[idn](https://bücher.de/) [v6](http://[::1]:80/)\n",
    ],
)
def test_well_formed_or_other_links_are_not_malformed(markdown: str) -> None:
    assert malformed(markdown) == []


def _link(url: str, text: str = "code", syntax: LinkSyntax = LinkSyntax.INLINE) -> Link:
    classified = classify_url(url)
    return Link(
        url=url,
        text=text,
        line=3,
        column=12,
        text_line=3,
        text_column=5,
        syntax=syntax,
        kind=classified.kind,
    )


def test_rules_use_the_link_position_on_built_documents() -> None:
    doc = Document(
        path="list.md",
        text="",
        lines=(),
        links=(_link(""), _link("htp://x.org"), _link("https://x.org")),
    )
    assert [(f.rule, f.line, f.column) for f in link_empty(doc, CTX)] == [("link/empty", 3, 12)]
    assert [(f.rule, f.line, f.column, f.url) for f in link_malformed(doc, CTX)] == [
        ("link/malformed", 3, 12, "htp://x.org")
    ]


@pytest.mark.parametrize(
    ("text", "syntax", "described"),
    [
        ("code", LinkSyntax.INLINE, 'link "code"'),
        ("", LinkSyntax.HTML, "link with no text"),
        ("", LinkSyntax.IMAGE, "image with no text"),
        ("  spaced\n  out  ", LinkSyntax.INLINE, 'link "spaced out"'),
        ("x" * 80, LinkSyntax.INLINE, 'link "' + "x" * 59 + '…"'),
    ],
)
def test_describe_link(text: str, syntax: LinkSyntax, described: str) -> None:
    assert describe_link(_link("https://a.b", text, syntax)) == described


@pytest.mark.parametrize(
    ("url", "repaired"),
    [
        ("hhttp://x.org/a", "http://x.org/a"),
        ("http:x.org", "http://x.org"),
        ("https;//x.org", "https://x.org"),
        ("http://exa mple.com", None),
        ("https:\\\\x.org", None),
        ("nothing-like-a-host", None),
        ("https://github.com/o/r\ufeff", "https://github.com/o/r"),
        ("https://arxiv.org/abs/\u200b2401.06121", "https://arxiv.org/abs/2401.06121"),
        ("\u200dhttps://x.org/a\u00ad", "https://x.org/a"),
        ("[https://github.com/o/llm", "https://github.com/o/llm"),
        ("[https://github.com/o/llm]", "https://github.com/o/llm"),
        ('("https://x.org/a")', "https://x.org/a"),
        ("( https://x.org/a", "https://x.org/a"),
        ("[https://exa mple.com", None),
    ],
)
def test_repair_url(url: str, repaired: str | None) -> None:
    assert repair_url(url) == repaired
    if repaired is not None:
        assert _link(repaired).kind is not LinkKind.MALFORMED


# --- slips -------------------------------------------------------------------------------

SLIPS = Path(__file__).resolve().parents[1] / "fixtures" / "slips.md"


def _slips_doc() -> Document:
    return parse_document(SLIPS.read_text(encoding="utf-8"), "slips.md")


@pytest.mark.parametrize(
    ("line", "column", "url", "says", "suggestion"),
    [
        (
            9,
            30,
            "https://arxiv.org/abs/2301.00001",
            '"[[pdf]] (" is not read as a link: the blank between "]" and "("',
            "[[pdf]](https://arxiv.org/abs/2301.00001)",
        ),
        (
            10,
            14,
            "https://example.net/teaser.png",
            '"![teaser] (" is not read as a link',
            "![teaser](https://example.net/teaser.png)",
        ),
        (
            11,
            33,
            "https://github.com/org/paper-b",
            'its URL is in braces, "{…}", where Markdown needs parentheses',
            "[({owner}/{Paper-B)|EN|MT}](https://github.com/org/paper-b)",
        ),
        (
            12,
            13,
            "https://example.net/papers/Paper",
            'destination "https://example.net/papers/Paper C.pdf" holds a blank, which ends a '
            "Markdown link destination",
            "[Paper C](https://example.net/papers/Paper%20C.pdf)",
        ),
        (
            # "%20" inside an arXiv id repairs nothing: reported, no fix offered
            13,
            13,
            "https://arxiv.org/abs/2301",
            "remove the blank, or write it as %20 if the address really holds one",
            None,
        ),
        (
            14,
            9,
            "[https://github.com/org/llm",
            "has the stray character '[' before its http(s)://",
            "https://github.com/org/llm",
        ),
    ],
)
def test_slips_are_malformed_links(
    line: int, column: int, url: str, says: str, suggestion: str | None
) -> None:
    found = [f for f in malformed(SLIPS.read_text(encoding="utf-8")) if f.line == line]
    assert [(f.rule, f.severity, f.column, f.url) for f in found] == [
        ("link/malformed", Severity.ERROR, column, url)
    ]
    assert says in found[0].message
    assert found[0].suggestion == suggestion


def test_the_fixture_has_no_other_malformed_links() -> None:
    """Its "Not slips" section: a task box, a citation, a reference label, a link title,
    angle brackets, prose in brackets and in parentheses, and the template in a code
    block (yaodongC's, which line 11 copied) stay quiet."""
    assert [f.line for f in malformed(SLIPS.read_text(encoding="utf-8"))] == [
        9,
        10,
        11,
        12,
        13,
        14,
    ]


def test_a_suggested_slip_repair_parses_as_the_link_meant() -> None:
    """Writing each suggestion in place of the slip gives a link (or image) to the URL
    meant, where the slip's label stood, and nothing left for link/malformed."""
    doc = _slips_doc()
    lines = list(doc.lines)
    repaired = 0
    for found in link_malformed(doc, CTX):
        if found.suggestion is None or found.suggestion.startswith("http"):
            continue
        text = lines[found.line - 1]
        slip = link_slip(text, found.column - 1, found.url or "")
        assert slip is not None
        lines[found.line - 1] = text[: slip.start] + found.suggestion + text[slip.end :]
        after = parse_document(lines[found.line - 1] + "\n", "fixed.md")
        meant = found.suggestion[found.suggestion.rindex("(") + 1 : -1]
        assert meant in [link.url for link in after.links]
        assert malformed(lines[found.line - 1] + "\n") == []
        repaired += 1
    assert repaired == 4
    whole = parse_document("\n".join(lines) + "\n", "fixed.md")
    assert [f.line for f in link_malformed(whole, CTX)] == [13, 14]


def test_a_suggested_url_repair_is_well_formed() -> None:
    markdown = "- [Paper C](https://github.com/o/r\ufeff) [LLM]([https://github.com/o/llm)\n"
    found = malformed(markdown)
    assert [(f.column, f.suggestion) for f in found] == [
        (13, "https://github.com/o/r"),
        (44, "https://github.com/o/llm"),
    ]
    assert "ends in an invisible U+FEFF (byte order mark)" in found[0].message
    for f in found:
        assert f.url is not None
        assert f.suggestion is not None
        fixed = markdown.replace(f.url, f.suggestion)
        assert all(f2.url != f.url for f2 in malformed(fixed))


def test_a_stray_bracket_is_not_also_a_missing_file(tmp_path: Path) -> None:
    doc = parse_document("- [LLM]([https://github.com/o/llm)\n", "README.md")
    (link,) = doc.links
    assert link.kind is LinkKind.MALFORMED
    assert list(file_not_found(doc, LintContext(root=tmp_path))) == []


def test_browse_arxiv_links_get_the_canonical_form() -> None:
    doc = _slips_doc()
    found = [(f.line, f.column, f.suggestion) for f in arxiv_url_form(doc, CTX) if f.line == 15]
    assert found == [
        (15, 17, "https://arxiv.org/pdf/2301.00005"),
        (15, 64, "https://arxiv.org/abs/2301.00005v2"),
    ]


# The lists in ../shared/corpus/real/ and ../shared/corpus/, searched for every slip by
# grep ("] (", "]{", zero-width characters, "([", "browse.arxiv", "](" not followed by a
# parsed link): one slip in all eight, yaodongC's README line 99, a heading that copied the
# list's template (line 71, inside a code block, which is not reported) braces and all.
REAL_SLIPS: dict[str, list[tuple[int, int, str | None]]] = {
    "atfortes__Awesome-LLM-Reasoning.md": [],
    "awesome-NeRF__awesome-NeRF.md": [],
    "dair-ai__ML-Papers-of-the-Week.md": [],
    "diff-usion__Awesome-Diffusion-Models.md": [],
    "hoya012__deep_learning_object_detection.md": [],
    "yaodongC__awesome-instruction-dataset.md": [
        (
            99,
            44,
            "[({sunrainyg}/{InstructCV)|EN|MT|MIX}](https://github.com/AlaaLab/InstructCV)",
        )
    ],
}


@pytest.mark.skipif(not (CORPUS / "real").is_dir(), reason="../shared/corpus/real is absent")
@pytest.mark.parametrize(("name", "expected"), REAL_SLIPS.items(), ids=list(REAL_SLIPS))
def test_real_lists(name: str, expected: list[tuple[int, int, str | None]]) -> None:
    doc = parse_document((CORPUS / "real" / name).read_text(encoding="utf-8"), name)
    found = list(link_malformed(doc, CTX))
    assert [(f.line, f.column, f.suggestion) for f in found] == expected


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "awesome-genai-unlearning-early.md",
            [
                (5, 158, 'link "Machine Unlearning in Generative AI: A Survey" has no URL'),
                (6, 58, 'link "approaches" has no URL'),
            ],
        ),
        ("awesome-genai-unlearning.md", []),
    ],
)
def test_corpus(name: str, expected: list[tuple[int, int, str]]) -> None:
    doc = parse_document((CORPUS / name).read_text(encoding="utf-8"), name)
    assert [(f.line, f.column, f.message) for f in link_empty(doc, CTX)] == expected
    assert list(link_malformed(doc, CTX)) == []
