"""arxiv/malformed-id, arxiv/url-form and arxiv/tag-month on Markdown snippets, a
hand-built document and the corpus lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from listcheck.classify import classify_url
from listcheck.models import (
    Document,
    Entry,
    Finding,
    Link,
    LinkSyntax,
    Severity,
    Tag,
    TagKind,
)
from listcheck.parse import parse_document
from listcheck.rules.arxiv import (
    arxiv_malformed_id,
    arxiv_tag_month,
    arxiv_url_form,
    canonical_arxiv_url,
)
from listcheck.rules.base import OFFLINE_RULES, LintContext

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
CTX = LintContext(root=Path("."))


def run(rule: str, markdown: str) -> list[Finding]:
    return list(OFFLINE_RULES[rule](parse_document(markdown, "README.md"), CTX))


def test_rules_are_registered() -> None:
    assert OFFLINE_RULES["arxiv/malformed-id"] is arxiv_malformed_id
    assert OFFLINE_RULES["arxiv/url-form"] is arxiv_url_form
    assert OFFLINE_RULES["arxiv/tag-month"] is arxiv_tag_month


# --- arxiv/malformed-id -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "https://arxiv.org/abs/2401.1234567",
            'arXiv id "2401.1234567" in link "PDF" has 7 digits after the dot;'
            " ids since 2015 have 5 (YYMM.NNNNN)",
        ),
        (
            "https://arxiv.org/abs/2413.00001",
            'arXiv id "2413.00001" in link "PDF" has month 13, which is not 01-12',
        ),
        (
            "https://arxiv.org/pdf/abc",
            'arXiv id "abc" in link "PDF" is not an arXiv identifier'
            " (expected YYMM.NNNNN or archive/YYMMNNN)",
        ),
        (
            "https://arxiv.org/pdf/2401.12345v0.pdf",
            'arXiv id "2401.12345v0" in link "PDF" has version v0; versions start at v1',
        ),
        (
            "https://arxiv.org/abs/hep-tx/9901001",
            'arXiv id "hep-tx/9901001" in link "PDF" names \'hep-tx\','
            " which is not an arXiv archive",
        ),
        ("https://arxiv.org/abs/", 'arXiv abs URL in link "PDF" has no id'),
    ],
)
def test_malformed_ids_are_named_with_the_reason(url: str, message: str) -> None:
    (found,) = run("arxiv/malformed-id", f"- Paper ([PDF]({url}))\n")
    assert (found.rule, found.severity) == ("arxiv/malformed-id", Severity.ERROR)
    assert (found.line, found.column) == (1, 16)
    assert found.message == message
    assert found.url == url


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2404.11577",
        "https://arxiv.org/pdf/2312.12736v1.pdf",
        "https://arxiv.org/abs/hep-th/9901001",
        "https://arxiv.org/abs/math.GT/0309136v2",
        "https://arxiv.org/list/cs.LG/recent",
        "https://example.com/abs/2401.1234567",
    ],
)
def test_valid_ids_and_non_paper_links_are_not_malformed(url: str) -> None:
    assert run("arxiv/malformed-id", f"- Paper ([PDF]({url}))\n") == []


# --- arxiv/url-form ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "because", "canonical"),
    [
        (
            "https://www.arxiv.org/abs/2502.15910",
            "the host www.arxiv.org",
            "https://arxiv.org/abs/2502.15910",
        ),
        (
            "https://arxiv.org/ftp/arxiv/papers/2311/2311.15766.pdf",
            "the legacy /ftp/ path",
            "https://arxiv.org/pdf/2311.15766",
        ),
        (
            "http://arxiv.org/abs/1506.06724v2",
            "http:// instead of https://",
            "https://arxiv.org/abs/1506.06724v2",
        ),
        (
            "http://arxiv.org/pdf/1506.06724.pdf",
            "http:// instead of https://",
            "https://arxiv.org/pdf/1506.06724",
        ),
        (
            "https://export.arxiv.org/abs/2401.06121",
            "export.arxiv.org, the host meant for the API and robots",
            "https://arxiv.org/abs/2401.06121",
        ),
        (
            "http://xxx.lanl.gov/abs/hep-th/9711200",
            "http:// instead of https:// and xxx.lanl.gov, arXiv's original address",
            "https://arxiv.org/abs/hep-th/9711200",
        ),
        (
            "https://arxiv.org/ftp/hep-th/papers/9901/9901001.pdf",
            "the legacy /ftp/ path",
            "https://arxiv.org/pdf/hep-th/9901001",
        ),
        (
            "http://www.arxiv.org/pdf/2401.06121v3",
            "http:// instead of https:// and the host www.arxiv.org",
            "https://arxiv.org/pdf/2401.06121v3",
        ),
        (
            "https://arxiv.org:443/abs/2401.06121",
            "port 443",
            "https://arxiv.org/abs/2401.06121",
        ),
        (
            "http://arxiv.org/html/2401.06121v2",
            "http:// instead of https://",
            "https://arxiv.org/html/2401.06121v2",
        ),
    ],
)
def test_legacy_forms_get_the_canonical_url_of_the_same_kind(
    url: str, because: str, canonical: str
) -> None:
    (found,) = run("arxiv/url-form", f"- Paper [[PDF]({url})]\n")
    assert (found.rule, found.severity) == ("arxiv/url-form", Severity.NOTICE)
    assert (found.line, found.column) == (1, 16)
    assert found.message == (
        f'arXiv URL in link "PDF" uses {because}; the canonical form is {canonical}'
    )
    assert found.suggestion == canonical
    assert found.url == url


def test_an_odd_host_on_a_form_without_canonical_url_has_no_suggestion() -> None:
    (found,) = run("arxiv/url-form", "[src](http://arxiv.org/src/2401.06121)\n")
    assert found.suggestion is None
    assert found.message == 'arXiv URL in link "src" uses http:// instead of https://'


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2407.20516",
        "https://arxiv.org/pdf/2404.11045.pdf",
        "https://arxiv.org/pdf/2312.12736v1.pdf",
        "https://arxiv.org/pdf/2406.14796v1",
        "https://arxiv.org/abs/2401.06121?context=cs",
        "https://arxiv.org/pdf/2401.06121#page=2",
        "https://arxiv.org/html/2401.06121v2",
        "https://arxiv.org/abs/hep-th/9901001",
        "http://www.arxiv.org/abs/2413.00001",  # malformed-id reports it instead
        "http://www.arxiv.org/list/cs.LG/recent",  # not a paper link
    ],
)
def test_canonical_forms_are_fine(url: str) -> None:
    assert run("arxiv/url-form", f"[PDF]({url})\n") == []


def test_canonical_url_of_every_form() -> None:
    def canonical(url: str) -> str | None:
        ref = classify_url(url).arxiv
        assert ref is not None
        return canonical_arxiv_url(ref)

    assert canonical("http://arxiv.org/ps/2401.06121") is None
    assert canonical("https://arxiv.org/abs/2413.00001") is None
    assert canonical("https://arxiv.org/abs/math.GT/0309136v2") == (
        "https://arxiv.org/abs/math/0309136v2"
    )


# --- arxiv/tag-month --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "column", "message", "suggestion"),
    [
        (
            "- 【202406】Towards Reliable Empirical Machine Unlearning Evaluation"
            " ([PDF](https://arxiv.org/pdf/2404.11577))\n",
            3,
            "date tag 【202406】 says 2024-06 but arXiv 2404.11577 is from 2024-04",
            "【202404】",
        ),
        (
            "- [202310] Feature Unlearning for Pre-trained GANs and VAEs"
            " ([PDF](https://arxiv.org/abs/2303.05699))\n",
            3,
            "date tag [202310] says 2023-10 but arXiv 2303.05699 is from 2023-03",
            "[202303]",
        ),
        (
            "- **KU** 【202302】Knowledge Unlearning ([PDF](https://arxiv.org/abs/2210.01504v2),"
            " [code](https://github.com/joeljang/knowledge-unlearning))\n",
            10,
            "date tag 【202302】 says 2023-02 but arXiv 2210.01504 is from 2022-10",
            "【202210】",
        ),
        (
            "- 【202401】Old Physics ([PDF](https://arxiv.org/abs/hep-th/9901001))\n",
            3,
            "date tag 【202401】 says 2024-01 but arXiv hep-th/9901001 is from 1999-01",
            "【199901】",
        ),
        (
            "- 【202401】Two Papers ([a](https://arxiv.org/abs/2402.00001),"
            " [b](https://arxiv.org/abs/2403.00002))\n",
            3,
            "date tag 【202401】 says 2024-01 but none of its arXiv ids is:"
            " 2402.00001 (2024-02), 2403.00002 (2024-03)",
            None,
        ),
    ],
)
def test_tags_that_disagree_with_every_id(
    markdown: str, column: int, message: str, suggestion: str | None
) -> None:
    (found,) = run("arxiv/tag-month", markdown)
    assert (found.rule, found.severity) == ("arxiv/tag-month", Severity.WARNING)
    assert (found.line, found.column) == (1, column)
    assert found.message == message
    assert found.suggestion == suggestion


def test_tag_is_reported_on_its_own_line_in_a_longer_list() -> None:
    markdown = (
        "# Papers\n\n"
        "- 【202404】Offset Unlearning ([PDF](https://arxiv.org/pdf/2404.11045.pdf))\n"
        "- 【202406】SOUL ([PDF](https://arxiv.org/pdf/2404.18239),"
        " [code](https://github.com/OPTML-Group/SOUL))\n"
    )
    (found,) = run("arxiv/tag-month", markdown)
    assert (found.line, found.column) == (4, 3)
    assert "2404.18239" in found.message


@pytest.mark.parametrize(
    "markdown",
    [
        # the tag matches the id
        "- 【202503】Deep Contrastive Unlearning ([PDF](https://arxiv.org/abs/2503.14900))\n",
        "- [202410] Meta-Unlearning ([PDF](https://arxiv.org/pdf/2410.12777v2.pdf))\n",
        # one of several ids matches
        "- 【202403】Two ([a](https://arxiv.org/abs/2402.00001), [b](https://arxiv.org/abs/2403.00002))\n",
        # a venue tag is not a date
        "- 【ICLR 2025】A Probabilistic Perspective ([PDF](https://arxiv.org/pdf/2410.03523))\n",
        # no arXiv link at all
        "- 【202310】Unlearning Bias ([PDF](https://aclanthology.org/2023.findings-acl.375.pdf))\n",
        # only an invalid id: arxiv/malformed-id speaks for it
        "- 【202401】Bad ([PDF](https://arxiv.org/abs/2413.00001))\n",
        # no tag
        "- Open Problems in Machine Unlearning ([PDF](https://arxiv.org/abs/2501.04952))\n",
        # an arXiv tag that agrees with the date tag
        "- 【202310】 [arxiv 2310.12773] Safe RLHF ([code](https://github.com/PKU-Alignment/x))\n",
    ],
)
def test_tags_that_agree_or_cannot_be_judged(markdown: str) -> None:
    assert run("arxiv/tag-month", markdown) == []


def test_arxiv_tags_count_as_evidence() -> None:
    markdown = "- 【202311】 [arxiv 2310.12773] Safe RLHF ([code](https://github.com/a/b))\n"
    (found,) = run("arxiv/tag-month", markdown)
    assert found.message == "date tag 【202311】 says 2023-11 but arXiv 2310.12773 is from 2023-10"


def test_tag_month_on_a_built_document() -> None:
    # Independent of the parser: the rule reads entries, tags and link indexes only.
    url = "https://arxiv.org/abs/2307.03941"
    classified = classify_url(url)
    link = Link(
        url=url,
        text="PDF",
        line=7,
        column=40,
        text_line=7,
        text_column=34,
        syntax=LinkSyntax.INLINE,
        kind=classified.kind,
        arxiv=classified.arxiv,
        entry=0,
    )
    tag = Tag(
        raw="【202305】", text="202305", kind=TagKind.MONTH, line=7, column=3, year=2023, month=5
    )
    entry = Entry(
        section=("LLMs",),
        section_index=None,
        line=7,
        column=1,
        end_line=7,
        text="【202305】Right to be Forgotten",
        tags=(tag,),
        links=(0,),
    )
    doc = Document(path="list.md", text="", lines=(), entries=(entry,), links=(link,))
    (found,) = arxiv_tag_month(doc, CTX)
    assert (found.path, found.line, found.column) == ("list.md", 7, 3)
    assert found.suggestion == "【202307】"


# --- the corpus -------------------------------------------------------------------------

MATURE_TAG_MONTH = [
    (106, "[202310]", "2303.05699", "[202303]"),
    (169, "【202406】", "2404.11577", "【202404】"),
    (170, "【202406】", "2404.18239", "【202404】"),
    (217, "【202305】", "2307.03941", "【202307】"),
    (218, "【202302】", "2210.01504", "【202210】"),
    (234, "【202503】", "2502.11051", "【202502】"),
    (239, "【202405】", "2406.02575", "【202406】"),
    (267, "【202302】", "2210.01504", "【202210】"),
    (285, "【202302】", "2210.01504", "【202210】"),
    (294, "【202310】", "2303.05699", "【202303】"),
]


def _corpus(name: str) -> Document:
    return parse_document((CORPUS / name).read_text(encoding="utf-8"), name)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_corpus_mature_list() -> None:
    doc = _corpus("awesome-genai-unlearning.md")
    assert list(arxiv_malformed_id(doc, CTX)) == []
    forms = [(f.line, f.column, f.url, f.suggestion) for f in arxiv_url_form(doc, CTX)]
    assert forms == [
        (
            201,
            80,
            "https://arxiv.org/ftp/arxiv/papers/2311/2311.15766.pdf",
            "https://arxiv.org/pdf/2311.15766",
        ),
        (233, 99, "https://www.arxiv.org/abs/2502.15910", "https://arxiv.org/abs/2502.15910"),
    ]
    months = list(arxiv_tag_month(doc, CTX))
    assert [(f.line, f.column) for f in months] == [(line, 3) for line, *_ in MATURE_TAG_MONTH]
    for found, (_line, raw, arxiv_id, suggestion) in zip(months, MATURE_TAG_MONTH, strict=True):
        assert found.message.startswith(f"date tag {raw} says ")
        assert f"arXiv {arxiv_id} is from" in found.message
        assert found.suggestion == suggestion


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_corpus_early_draft_has_no_arxiv_findings() -> None:
    doc = _corpus("awesome-genai-unlearning-early.md")
    for rule in (arxiv_malformed_id, arxiv_url_form, arxiv_tag_month):
        assert list(rule(doc, CTX)) == []
