"""entry/no-link on small lists written like the real ones."""

from __future__ import annotations

import pytest
from tests.rules.runs import RuleRun, places

from listcheck.rules.base import OFFLINE_RULES
from listcheck.rules.entries import no_link

_RULE = RuleRun(no_link)
run = _RULE.run
corpus_findings = _RULE.corpus_findings


def test_rule_is_registered() -> None:
    assert OFFLINE_RULES["entry/no-link"] is no_link


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
    findings = run(IMAGE_MODELS)
    assert places(findings) == [(3, 3), (5, 3)]
    assert findings[0].message == (
        'entry has no link: "Erasediff: Erasing data influence in diffusion models"'
    )
    assert findings[0].severity.value == "warning"


def test_long_titles_are_cut_to_one_line() -> None:
    message = run(IMAGE_MODELS)[1].message
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
    assert run(markdown) == []


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
    assert places(run(markdown)) == expected


def test_an_empty_link_is_left_to_link_empty() -> None:
    markdown = (
        "## LLMs\n"
        "- Paper One ([PDF](https://arxiv.org/abs/2401.00001))\n"
        "- Paper Two ([PDF](https://arxiv.org/abs/2401.00002))\n"
        "- Paper Three ([PDF]())\n"
    )
    assert run(markdown) == []


# -- the real lists ------------------------------------------------------------------------


def test_early_list_linkless_image_model_papers() -> None:
    found = corpus_findings("awesome-genai-unlearning-early.md")
    assert [line for line, _ in found] == [85, 90, 92, 93, 94]
    assert "Erasediff: Erasing data influence in diffusion models" in found[0][1]


def test_clean_in_the_real_list() -> None:
    # The Harry Potter dataset says why it has no link.
    assert corpus_findings("awesome-genai-unlearning.md") == []
