"""link/empty and link/malformed on Markdown snippets, hand-built links and the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from listcheck.classify import classify_url
from listcheck.models import Document, Finding, Link, LinkKind, LinkSyntax, Severity
from listcheck.parse import parse_document
from listcheck.rules.base import OFFLINE_RULES, LintContext
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
    ],
)
def test_repair_url(url: str, repaired: str | None) -> None:
    assert repair_url(url) == repaired
    if repaired is not None:
        assert _link(repaired).kind is not LinkKind.MALFORMED


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
