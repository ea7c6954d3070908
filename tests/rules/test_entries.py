"""entry/no-link and entry/duplicate on small lists written like the real ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from listcheck.models import Finding
from listcheck.parse import parse_document
from listcheck.rules.base import OFFLINE_RULES, LintContext
from listcheck.rules.entries import duplicate, no_link, normalise_url

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def run(rule_id: str, markdown: str) -> list[Finding]:
    doc = parse_document(markdown, "README.md")
    rule = {"entry/no-link": no_link, "entry/duplicate": duplicate}[rule_id]
    return list(rule(doc, LintContext(Path("."))))


def places(findings: list[Finding]) -> list[tuple[int, int]]:
    return [(f.line, f.column) for f in findings]


def test_rules_are_registered() -> None:
    assert OFFLINE_RULES["entry/no-link"] is no_link
    assert OFFLINE_RULES["entry/duplicate"] is duplicate


# -- entry/no-link -------------------------------------------------------------------------

IMAGE_MODELS = """\
## Generative Image Models:
- Forget-me-not: Learning to forget ([code](https://github.com/SHI-Labs/Forget-Me-Not))
- Erasediff: Erasing data influence in diffusion models
- Erasing Concepts from Diffusion Models ([code](https://github.com/rohitgandikota/erasing))
- Receler: Reliable Concept Erasing of Text-to-Image Diffusion Models via Lightweight Erasers
- Ablating Concepts ([code](https://github.com/nupurkmr9/concept-ablation))
"""


def test_linkless_entries_in_a_paper_section_are_reported_at_the_entry() -> None:
    findings = run("entry/no-link", IMAGE_MODELS)
    assert places(findings) == [(3, 3), (5, 3)]
    assert findings[0].message == (
        'entry has no link: "Erasediff: Erasing data influence in diffusion models"'
    )
    assert findings[0].severity.value == "warning"


def test_long_titles_are_cut_to_one_line() -> None:
    message = run("entry/no-link", IMAGE_MODELS)[1].message
    assert message.startswith('entry has no link: "Receler: Reliable Concept Erasing')
    assert message.endswith('…"')
    assert len(message) < 90


@pytest.mark.parametrize(
    "markdown",
    [
        pytest.param(
            "## Table of Contents\n"
            "- [Datasets](#datasets)\n"
            "- [Benchmarks](#benchmarks)\n"
            "- Applications\n"
            "  - [Safety](#safety)\n",
            id="table-of-contents",
        ),
        pytest.param(
            "## Contributing:\n"
            "- Fork the repository\n"
            "- Add your paper as `- 【YYYYMM】Title ([PDF](url))`\n"
            "- Open a [pull request](https://github.com/org/list/pulls)\n",
            id="prose-bullets",
        ),
        pytest.param(
            "## Contributing\n"
            "- Read the [guide](CONTRIBUTING.md)\n"
            "- Open an [issue](https://github.com/org/list/issues)\n"
            "- Be kind\n",
            id="contributing-heading-with-linked-bullets",
        ),
        pytest.param(
            "## 📰 News\n"
            "- [2024-05] We added [30 papers](https://github.com/org/list/pull/12)\n"
            "- [2024-04] Survey accepted at [TMLR](https://openreview.net/forum?id=x)\n"
            "- [2024-03] First release\n",
            id="news",
        ),
        pytest.param(
            "## LLMs\n- Paper One ([PDF](https://arxiv.org/abs/2401.00001))\n- Paper Two\n",
            id="too-few-linked-entries-to-tell",
        ),
        pytest.param(
            "## Drafts\n"
            "- Paper One ([PDF](https://arxiv.org/abs/2401.00001))\n"
            "- Paper Two ([PDF](https://arxiv.org/abs/2401.00002))\n"
            "- Paper Three\n"
            "- Paper Four\n",
            id="linked-entries-are-not-the-majority",
        ),
        pytest.param(
            "#### Copyrights Protection\n"
            "- **Harry Potter** Copyright issue, cannot be disclosed.\n"
            "- **Bookcorpus** [arxiv 1506.06724] Aligning Books and Movies "
            "([code](https://huggingface.co/datasets/bookcorpus/bookcorpus))\n"
            "- **TOFU** [arxiv 2401.06121] TOFU ([code](https://locuslab.github.io/tofu/))\n",
            id="entry-says-why-it-has-no-link",
        ),
        pytest.param(
            "## LLMs\n"
            "- Paper One\n"
            "  - [PDF](https://arxiv.org/abs/2401.00001)\n"
            "  - [code](https://github.com/a/one)\n"
            "- Paper Two\n"
            "  - [PDF](https://arxiv.org/abs/2401.00002)\n",
            id="links-in-nested-items",
        ),
        pytest.param(
            "## LLMs\n"
            "- [Paper One](https://arxiv.org/abs/2401.00001)\n"
            "  - Authors: A. Author, B. Author\n"
            "  - Venue: ICLR 2024\n"
            "- [Paper Two](https://arxiv.org/abs/2401.00002)\n"
            "  - Authors: C. Author\n",
            id="detail-items-under-a-linked-paper",
        ),
    ],
)
def test_no_finding_outside_paper_sections(markdown: str) -> None:
    assert run("entry/no-link", markdown) == []


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        pytest.param(
            "#### Copyrights Protection\n"
            "- **Harry Potter** Copyright issue, cannot be disclosed.\n"
            "- **Bookcorpus** Aligning Books and Movies "
            "([code](https://huggingface.co/datasets/bookcorpus/bookcorpus))\n"
            "- **TOFU** TOFU: A Task of Fictitious Unlearning "
            "([code](https://locuslab.github.io/tofu/))\n"
            "- **Pile** The Pile: An 800GB Dataset\n",
            [(5, 3)],
            id="only-the-unexplained-one",
        ),
        pytest.param(
            "## Methods\n"
            "- Diffusion\n"
            "  - Paper One ([PDF](https://arxiv.org/abs/2401.00001))\n"
            "  - Paper Two ([PDF](https://arxiv.org/abs/2401.00002))\n"
            "  - Paper Three\n",
            [(5, 5)],
            id="nested-paper-under-a-category",
        ),
        pytest.param(
            "## Benchmarks\n"
            "| Title | Venue | Links |\n"
            "|---|---|---|\n"
            "| Paper One | ICLR 2024 | [PDF](https://arxiv.org/abs/2401.00001) |\n"
            "| Paper Two | ICML 2024 | |\n"
            "| Paper Three | NeurIPS 2024 | [PDF](https://arxiv.org/abs/2401.00003) |\n",
            [(5, 3)],
            id="table-row",
        ),
        pytest.param(
            "## 🔄 Knowledge Updates\n"
            "- Paper One ([PDF](https://arxiv.org/abs/2401.00001))\n"
            "- Paper Two ([PDF](https://arxiv.org/abs/2401.00002))\n"
            "- Paper Three\n",
            [(4, 3)],
            id="paper-section-named-like-housekeeping",
        ),
        pytest.param(
            "## LLMs\n"
            "- Paper One ([PDF](https://arxiv.org/abs/2401.00001))\n"
            "- Paper Two ([PDF](https://arxiv.org/abs/2401.00002))\n"
            "- Not Released Yet: Paper Three\n",
            [(4, 3)],
            id="title-merely-containing-not-released",
        ),
    ],
)
def test_linkless_entries_found(markdown: str, expected: list[tuple[int, int]]) -> None:
    assert places(run("entry/no-link", markdown)) == expected


def test_an_empty_link_is_left_to_link_empty() -> None:
    markdown = (
        "## LLMs\n"
        "- Paper One ([PDF](https://arxiv.org/abs/2401.00001))\n"
        "- Paper Two ([PDF](https://arxiv.org/abs/2401.00002))\n"
        "- Paper Three ([PDF]())\n"
    )
    assert run("entry/no-link", markdown) == []


# -- entry/duplicate -----------------------------------------------------------------------


def two_entries(first: str, second: str, *, between: str = "") -> str:
    return (
        "## LLMs\n"
        f"- 【202402】EFUF: Efficient Fine-grained Unlearning ({first})\n"
        "- 【202401】Another Paper ([PDF](https://arxiv.org/abs/2401.15241))\n"
        f"{between}"
        f"- 【202402】EFUF: Efficient Fine-grained Unlearning ({second})\n"
    )


ARXIV = "arXiv 2402.09801"


@pytest.mark.parametrize(
    ("first", "second", "label"),
    [
        ("https://arxiv.org/abs/2402.09801", "https://arxiv.org/pdf/2402.09801", ARXIV),
        ("https://arxiv.org/pdf/2402.09801", "https://arxiv.org/pdf/2402.09801.pdf", ARXIV),
        ("https://arxiv.org/abs/2402.09801v1", "https://arxiv.org/pdf/2402.09801v3.pdf", ARXIV),
        ("https://www.arxiv.org/abs/2402.09801", "http://arxiv.org/abs/2402.09801", ARXIV),
        (
            "https://arxiv.org/ftp/arxiv/papers/2311/2311.15766.pdf",
            "https://arxiv.org/abs/2311.15766",
            "arXiv 2311.15766",
        ),
        (
            "https://github.com/HITsz-TMG/Ext-Sub",
            "https://github.com/hitsz-tmg/Ext-Sub/",
            "GitHub hitsz-tmg/Ext-Sub",
        ),
        (
            "https://github.com/guangyaodou/SSU/tree/main",
            "https://github.com/guangyaodou/SSU",
            "GitHub guangyaodou/SSU",
        ),
        (
            "https://aclanthology.org/2023.findings-acl.375.pdf",
            "https://aclanthology.org/2023.findings-acl.375/",
            "https://aclanthology.org/2023.findings-acl.375/",
        ),
        ("http://www.wmdp.ai/", "https://wmdp.ai", "https://wmdp.ai"),
    ],
)
def test_same_paper_twice_in_a_section(first: str, second: str, label: str) -> None:
    findings = run("entry/duplicate", two_entries(f"[PDF]({first})", f"[PDF]({second})"))
    assert len(findings) == 1
    assert (findings[0].line, findings[0].column) == (4, 3)
    assert findings[0].message == f"same paper as line 2 ({label})"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(
            "[PDF](https://arxiv.org/abs/2402.09801)",
            "[PDF](https://arxiv.org/abs/2402.09802)",
            id="different-arxiv-ids",
        ),
        pytest.param(
            "[PDF](https://arxiv.org/abs/2310.12508), [code](https://github.com/OPTML-Group/X)",
            "[PDF](https://arxiv.org/abs/2410.07163), [code](https://github.com/OPTML-Group/X)",
            id="two-arxiv-papers-sharing-a-repository",
        ),
        pytest.param(
            "[code](https://github.com/google-research/google-research/tree/master/a)",
            "[code](https://github.com/google-research/google-research/tree/master/b)",
            id="different-folders-of-a-monorepo",
        ),
        pytest.param(
            "[PDF](https://openreview.net/pdf?id=abc)",
            "[PDF](https://openreview.net/pdf?id=xyz)",
            id="query-names-the-paper",
        ),
        pytest.param(
            "[PDF](https://arxiv.org/abs/2402.09801) ![](https://img.shields.io/badge/ICLR-2024-blue)",
            "[PDF](https://arxiv.org/abs/2402.09802) ![](https://img.shields.io/badge/ICLR-2024-blue)",
            id="shared-badge",
        ),
        pytest.param(
            "[PDF](https://arxiv.org/abs/2402.09801) [top](#llms)",
            "[PDF](https://arxiv.org/abs/2402.09802) [top](#llms)",
            id="shared-back-link",
        ),
    ],
)
def test_different_papers_are_not_duplicates(first: str, second: str) -> None:
    assert run("entry/duplicate", two_entries(first, second)) == []


def test_same_paper_in_different_sections_is_normal() -> None:
    markdown = two_entries(
        "[PDF](https://arxiv.org/abs/2402.09801)",
        "[PDF](https://arxiv.org/abs/2402.09801)",
        between="\n## LMMs\n",
    )
    assert run("entry/duplicate", markdown) == []


def test_a_third_copy_points_at_the_first() -> None:
    markdown = (
        two_entries(
            "[PDF](https://arxiv.org/abs/2402.09801)",
            "[PDF](https://arxiv.org/pdf/2402.09801.pdf)",
        )
        + "- 【202402】EFUF ([PDF](https://arxiv.org/abs/2402.09801v2))\n"
    )
    findings = run("entry/duplicate", markdown)
    assert [(f.line, f.message) for f in findings] == [
        (4, "same paper as line 2 (arXiv 2402.09801)"),
        (5, "same paper as line 2 (arXiv 2402.09801)"),
    ]


def test_dataset_entries_are_identified_by_their_arxiv_tag() -> None:
    markdown = (
        "#### LLMs\n"
        "- **TOFU** [arxiv 2401.06121] TOFU ([code](https://locuslab.github.io/tofu/))\n"
        "- **WMDP** [arxiv 2403.03218] WMDP ([code](https://www.wmdp.ai/))\n"
        "- **TOFU v2** [arxiv 2401.06121] TOFU ([data](https://huggingface.co/datasets/locuslab/TOFU))\n"
    )
    findings = run("entry/duplicate", markdown)
    assert [(f.line, f.message) for f in findings] == [
        (4, "same paper as line 2 (arXiv 2401.06121)")
    ]


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
    ],
)
def test_normalise_url(url: str, normal: str) -> None:
    assert normalise_url(url) == normal


# -- the real lists ------------------------------------------------------------------------


def corpus_findings(name: str, rule_id: str) -> list[tuple[int, str]]:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    doc = parse_document(path.read_text(encoding="utf-8"), name)
    rule = {"entry/no-link": no_link, "entry/duplicate": duplicate}[rule_id]
    return [(f.line, f.message) for f in rule(doc, LintContext(path.parent))]


def test_early_list_linkless_image_model_papers() -> None:
    found = corpus_findings("awesome-genai-unlearning-early.md", "entry/no-link")
    assert [line for line, _ in found] == [85, 90, 92, 93, 94]
    assert "Erasediff: Erasing data influence in diffusion models" in found[0][1]


@pytest.mark.parametrize(
    ("name", "rule_id"),
    [
        ("awesome-genai-unlearning.md", "entry/no-link"),
        ("awesome-genai-unlearning.md", "entry/duplicate"),
        ("awesome-genai-unlearning-early.md", "entry/duplicate"),
    ],
)
def test_clean_in_the_real_lists(name: str, rule_id: str) -> None:
    # The mature list repeats dozens of papers (2310.10683 five times), always in
    # different sections; the Harry Potter dataset says why it has no link.
    assert corpus_findings(name, rule_id) == []
