"""arxiv/malformed-id, arxiv/url-form and arxiv/tag-month on Markdown snippets, a
hand-built document and the corpus lists."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from listcheck.classify import classify_url
from listcheck.dates import find_dates
from listcheck.models import (
    Document,
    Entry,
    EntryShape,
    Finding,
    Link,
    LinkSyntax,
    Severity,
    Tag,
    TagKind,
)
from listcheck.parse import parse_document
from listcheck.rules.arxiv import (
    announced_next_month,
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


# --- arxiv/tag-month: dates in the forms lists write ----------------------------------------


@pytest.mark.parametrize(
    ("markdown", "position", "message", "suggestion"),
    [
        (
            "- [2023/10] **Paper A: A Title.** *Ann Author et al. arXiv.*"
            " [[paper](https://arxiv.org/abs/2309.01234)]\n",
            (1, 3),
            "date tag [2023/10] says 2023-10 but arXiv 2309.01234 is from 2023-09",
            None,  # "[2023/9]" or "[2023/09]": the list's habit is unknown
        ),
        (
            "- [2023/09] Paper A [[paper](https://arxiv.org/abs/2310.01234)]\n",
            (1, 3),
            "date tag [2023/09] says 2023-09 but arXiv 2310.01234 is from 2023-10",
            "[2023/10]",
        ),
        (
            "- Paper A [[paper](https://arxiv.org/abs/2506.01234)]\n  Date: 2025-07\n",
            (2, 9),
            "date 2025-07 says 2025-07 but arXiv 2506.01234 is from 2025-06",
            "2025-06",
        ),
        (
            "| Date | Paper | Links |\n|---|---|---|\n"
            "| 2022.01 | Paper A | [PDF](https://arxiv.org/abs/2112.01234) |\n",
            (3, 3),
            "date 2022.01 says 2022-01 but arXiv 2112.01234 is from 2021-12",
            "2021.12",
        ),
        (
            "| Date | Paper | Links |\n|---|---|---|\n"
            "| 202310 | Paper A | [PDF](https://arxiv.org/abs/2308.01234) |\n",
            (3, 3),
            "date 202310 says 2023-10 but arXiv 2308.01234 is from 2023-08",
            "202308",
        ),
        (
            "- Paper A ([PDF](https://arxiv.org/abs/2401.01234)), Jan 10, 2023\n",
            (1, 54),
            "date Jan 10, 2023 says 2023-01 but arXiv 2401.01234 is from 2024-01",
            None,  # the day would be left wrong
        ),
        (
            "- Paper A ([PDF](https://arxiv.org/abs/2402.01234)). January 2024\n",
            (1, 54),
            "date January 2024 says 2024-01 but arXiv 2402.01234 is from 2024-02",
            "February 2024",
        ),
    ],
)
def test_dates_in_other_forms_are_compared(
    markdown: str, position: tuple[int, int], message: str, suggestion: str | None
) -> None:
    (found,) = run("arxiv/tag-month", markdown)
    assert (found.line, found.column) == position
    assert found.message == message
    assert found.suggestion == suggestion


@pytest.mark.parametrize(
    "markdown",
    [
        # a venue year is never compared (hoya012 line 279: CVPR 2019, arXiv 1902)
        "- **[GIoU]** Generalized Intersection over Union: A Metric and A Loss for Bounding Box"
        " Regression | **[CVPR' 19]** |[`[pdf]`](https://arxiv.org/pdf/1902.09630.pdf) \n",
        "- [ICLR 2024] SalUn ([PDF](https://arxiv.org/abs/2310.12508))\n",
        "- Paper A ([PDF](https://arxiv.org/abs/2310.12508)) [NeurIPS 2023.12]\n",
        # a model's date in a title, a date in a sentence, the list's own date
        "- GPT-4 2023.03 Evaluations ([PDF](https://arxiv.org/abs/2310.12508))\n",
        "- Paper A ([PDF](https://arxiv.org/abs/2310.12508)): its data ends in March 2023\n",
        "- Paper A ([PDF](https://arxiv.org/abs/2310.12508)) (added 2024-01)\n",
        # the id itself, a range, a version
        "- [2310.12508] Paper A ([PDF](https://arxiv.org/abs/2310.12508))\n",
        "- Paper A (2023.01 - 2023.06) ([PDF](https://arxiv.org/abs/2310.12508))\n",
        "- Toolkit v2023.03 ([PDF](https://arxiv.org/abs/2310.12508))\n",
        # a date in a URL
        "- Paper A ([blog](https://example.com/2023/03/a.html), [PDF](https://arxiv.org/abs/2310.12508))\n",
    ],
)
def test_dates_that_are_not_the_papers_are_not_compared(markdown: str) -> None:
    assert run("arxiv/tag-month", markdown) == []


def test_a_sub_item_is_judged_by_its_own_ids_only() -> None:
    markdown = (
        "- [2023/10] Parent ([PDF](https://arxiv.org/abs/2310.00001))\n"
        "  - [2024/01] Child ([PDF](https://arxiv.org/abs/2401.00001))\n"
        "  - [2024/05] Other child ([PDF](https://arxiv.org/abs/2402.00001))\n"
    )
    (found,) = run("arxiv/tag-month", markdown)
    assert (found.line, found.column) == (3, 5)
    assert "arXiv 2402.00001 is from 2024-02" in found.message


# --- the month's end: submitted in one month, announced (and numbered) in the next ------


def run_paragraphs(markdown: str) -> list[Finding]:
    """The rule over paragraph entries, the shape of the diff-usion list (bold title,
    authors, ``arXiv 2023. [[Paper](…)] \\``, a date line)."""
    doc = parse_document(markdown, "README.md")
    assert [entry.shape for entry in doc.entries] == [EntryShape.PARAGRAPH] * len(doc.entries)
    return list(arxiv_tag_month(doc, CTX))


@pytest.mark.parametrize(
    ("paper_line", "date_line"),
    [
        # diff-usion lines 526-527 and 1881-1882: the last days of the month before
        ("arXiv 2023. [[Paper](https://arxiv.org/abs/2310.00318)] \\", "30 Sep 2023"),
        ("arXiv 2022. [[Paper](https://arxiv.org/abs/2206.00070)] \\", "31 May 2022"),
        ("arXiv 2023. [[Paper](https://arxiv.org/abs/2302.01394)] \\", "26 Jan 2023"),
        # a week before the month's end, in a leap year's February
        ("arXiv 2024. [[Paper](https://arxiv.org/abs/2403.00001)] \\", "23 Feb 2024"),
        # arXiv's holiday break carries late December into January
        ("arXiv 2024. [[Paper](https://arxiv.org/abs/2401.00001)] \\", "19 Dec 2023"),
        # the same month
        ("arXiv 2023. [[Paper](https://arxiv.org/abs/2310.00808)] \\", "1 Oct 2023"),
    ],
)
def test_a_submission_announced_next_month_agrees(paper_line: str, date_line: str) -> None:
    markdown = f"**Paper A** \\\n*Ann Author* \\\n{paper_line}\n{date_line}\n"
    assert run_paragraphs(markdown) == []


@pytest.mark.parametrize(
    ("paper_line", "date_line", "message"),
    [
        # diff-usion line 11039: a date after the id's month is no first version's
        (
            "CVPR Workshop 2023. [[Paper](https://arxiv.org/abs/2303.16378)] \\",
            "3 Apr 2023",
            "date 3 Apr 2023 says 2023-04 but arXiv 2303.16378 is from 2023-03",
        ),
        (
            "CVPR 2022. [[Paper](https://arxiv.org/abs/2111.15640)] \\",
            "30 Dec 2021",
            "date 30 Dec 2021 says 2021-12 but arXiv 2111.15640 is from 2021-11",
        ),
        # diff-usion line 13899: mid-month, a month before the id's
        (
            "arXiv 2023. [[Paper](https://arxiv.org/abs/2309.02564)] \\",
            "3 Aug 2023",
            "date 3 Aug 2023 says 2023-08 but arXiv 2309.02564 is from 2023-09",
        ),
        # a week and a day before the month's end
        (
            "arXiv 2023. [[Paper](https://arxiv.org/abs/2310.04429)] \\",
            "23 Sep 2023",
            "date 23 Sep 2023 says 2023-09 but arXiv 2310.04429 is from 2023-10",
        ),
        # two months before (diff-usion line 6677)
        (
            "arXiv 2023. [[Paper](https://arxiv.org/abs/2310.05934)] \\",
            "23 Aug 2023",
            "date 23 Aug 2023 says 2023-08 but arXiv 2310.05934 is from 2023-10",
        ),
    ],
)
def test_other_differences_are_reported_at_the_date(
    paper_line: str, date_line: str, message: str
) -> None:
    markdown = f"**Paper A** \\\n*Ann Author* \\\n{paper_line}\n{date_line}\n"
    (found,) = run_paragraphs(markdown)
    assert (found.line, found.column) == (4, 1)
    assert found.message == message
    assert found.suggestion is None


def test_a_month_without_a_day_gets_no_month_end_allowance() -> None:
    # awesome-genai-unlearning.md line 239: May, and arXiv numbered it in June
    markdown = (
        "- 【202405】Cross-Modal Safety Alignment: Is textual unlearning all you need?"
        " [[PDF](https://arxiv.org/abs/2406.02575)]\n"
    )
    (found,) = run("arxiv/tag-month", markdown)
    assert found.suggestion == "【202406】"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30 Sep 2023", True),
        ("24 Sep 2023", True),
        ("23 Sep 2023", False),
        ("25 Jan 2023", True),
        ("24 Jan 2023", False),
        ("22 Feb 2023", True),
        ("21 Feb 2023", False),
        ("23 Feb 2024", True),
        ("22 Feb 2024", False),
        ("18 Dec 2023", True),
        ("17 Dec 2023", False),
        ("September 2023", False),
    ],
)
def test_announced_next_month(text: str, expected: bool) -> None:
    (date,) = find_dates(text)
    assert announced_next_month(date) is expected


# --- the real lists --------------------------------------------------------------------------

REAL = CORPUS / "real"
DIFF_USION = REAL / "diff-usion__Awesome-Diffusion-Models.md"


@pytest.mark.skipif(not DIFF_USION.is_file(), reason="../shared/corpus/real is not present")
def test_diff_usion_dates_against_their_ids() -> None:
    """2,928 paragraphs of the list carry a date and an arXiv id: 2,862 agree, 44 are a
    submission in the month's last week announced the next month, 17 differ by one
    month otherwise and 5 by more (counted by find_dates and the ids of each paragraph).
    The list's dates are arXiv dates even under a venue line: 587 paragraphs read
    "CVPR 2022." or the like, and 8 of them are among the 22 reported. Each of the 22
    was listed with its venue line, date and id; the id's month is what arXiv shows."""
    doc = _read(DIFF_USION)
    found = list(arxiv_tag_month(doc, CTX))
    assert len(found) == 22
    assert all(f.column == 1 and f.suggestion is None for f in found)
    gaps = Counter(_gap(f.message) for f in found)
    assert gaps == {-1: 12, 1: 5, -2: 3, 2: 1, -10: 1}
    lines = {f.line for f in found}
    assert {2071, 3340, 11039, 13899, 2106, 6677} <= lines  # quoted in the cases above
    assert not {527, 532, 1882, 15173} & lines  # month-end submissions


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus/real is not present")
@pytest.mark.parametrize(
    "name",
    [
        "hoya012__deep_learning_object_detection.md",
        "awesome-NeRF__awesome-NeRF.md",
        "atfortes__Awesome-LLM-Reasoning.md",
    ],
)
def test_venue_years_on_real_lists_raise_nothing(name: str) -> None:
    # Every entry line of these lists dates its paper by venue only ("**[CVPR' 16]**",
    # "Arxiv 2020", "Preprint'25"), and those years are never compared.
    doc = _read(REAL / name)
    dated = [
        e
        for e in doc.entries
        if any(find_dates(line) for line in doc.lines[e.line - 1 : e.end_line])
    ]
    assert len(dated) > 100
    assert list(arxiv_tag_month(doc, CTX)) == []


def _read(path: Path) -> Document:
    return parse_document(path.read_text(encoding="utf-8"), path.name)


def _gap(message: str) -> int:
    """Months from the id's to the stated date (negative: the date is earlier), read
    back from a message."""
    said, _, rest = message.partition(" but ")
    year, month = (int(x) for x in said.rsplit(" ", 1)[1].split("-"))
    id_year, id_month = (int(x) for x in rest.rsplit(" ", 1)[1].split("-"))
    return (year * 12 + month) - (id_year * 12 + id_month)
