"""Every shape an entry takes in real lists, each as a minimal fixture: what is one entry,
which links it owns, its title, and the section a reader sees it in."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from listcheck.models import Document, EntryShape, SectionKind
from listcheck.parse import parse_document


def _doc(text: str) -> Document:
    return parse_document(text, "README.md")


@dataclass(frozen=True)
class Shape:
    text: str
    entries: list[tuple[EntryShape, str | None, int]]
    """Per entry: shape, title, number of links it owns."""


SHAPES: dict[str, Shape] = {
    "bold-title-runs-into-authors": Shape(
        "- [2023/10] **Paper A: A Title.** *Ann Author et al. arXiv.* "
        "[[paper](https://arxiv.org/abs/2310.00001)]\n",
        [(EntryShape.LIST_ITEM, "Paper A: A Title", 1)],
    ),
    "bold-title-then-year-and-authors": Shape(
        "- **Distilling the knowledge in a neural network** (2015), G. Hinton et al. "
        "[[pdf]](https://arxiv.org/pdf/1503.02531)\n",
        [(EntryShape.LIST_ITEM, "Distilling the knowledge in a neural network", 1)],
    ),
    "bold-link-title": Shape(
        "1. **[Title Of The Paper](https://arxiv.org/abs/2401.00001)** "
        "[[code](https://github.com/a/b)]\n",
        [(EntryShape.LIST_ITEM, "Title Of The Paper", 2)],
    ),
    "bold-short-name-then-title": Shape(
        "- **TOFU** [arxiv 2401.06121] TOFU: A Task of Fictitious Unlearning for LLMs "
        "([code](https://locuslab.github.io/tofu/))\n",
        [(EntryShape.LIST_ITEM, "TOFU: A Task of Fictitious Unlearning for LLMs", 1)],
    ),
    "bracketed-bold-name-and-venue": Shape(
        "- **[OHEM]** Training Region-based Object Detectors with Online Hard Example "
        "Mining | **[CVPR' 16]** |[`[pdf]`](https://arxiv.org/pdf/1604.03540.pdf)\n",
        [
            (
                EntryShape.LIST_ITEM,
                "Training Region-based Object Detectors with Online Hard Example Mining",
                1,
            )
        ],
    ),
    "badge-before-bold-link-in-table": Shape(
        "| Paper | Links |\n|---|---|\n"
        "| ![Star](https://img.shields.io/github/stars/a/b) <br> "
        "[**Paper A**](https://arxiv.org/abs/2401.00002) | [code](https://github.com/a/b) |\n",
        [(EntryShape.TABLE_ROW, "Paper A", 3)],
    ),
    "label-before-link": Shape(
        "- Paper: [Paper B](https://arxiv.org/abs/2401.00003)\n",
        [(EntryShape.LIST_ITEM, "Paper B", 1)],
    ),
    "table-cell-title-and-summary": Shape(
        "| **Paper** | **Links** |\n| --- | --- |\n"
        "| 1) MEM1  This work introduces MEM1, an RL framework for agents. | "
        "[Paper](https://arxiv.org/abs/2506.15841), [Tweet](https://x.com/a/status/1) |\n",
        [(EntryShape.TABLE_ROW, "MEM1", 2)],
    ),
    "detail-sub-bullets": Shape(
        "* ModelA\n  * 地址：https://github.com/x/y\n  * 简介：A model.\n",
        [(EntryShape.LIST_ITEM, "ModelA", 1)],
    ),
    "code-badge-sub-bullet": Shape(
        "- [Paper C](https://arxiv.org/abs/2401.00004)\n"
        "  - Code: [![badge](https://img.shields.io/x.svg)](https://github.com/a/c)\n",
        [(EntryShape.LIST_ITEM, "Paper C", 3)],
    ),
    "paragraph-entries-with-hard-breaks": Shape(
        "**Paper A: A Title** \\\n*Ann Author* \\\n"
        "arXiv 2024. [[Paper](https://arxiv.org/abs/2401.00005)] \\\n10 Jan 2024\n\n"
        "**Paper B: Another** \\\n*Bo Author* \\\n"
        "arXiv 2024. [[Paper](https://arxiv.org/abs/2401.00006)] \\\n11 Jan 2024\n",
        [
            (EntryShape.PARAGRAPH, "Paper A: A Title", 1),
            (EntryShape.PARAGRAPH, "Paper B: Another", 1),
        ],
    ),
    "bold-paragraph-then-detail-bullets": Shape(
        "**Paper D: Title** \n\n- Paper: https://arxiv.org/abs/2401.00007\n"
        "- Code: https://github.com/a/d\n",
        [(EntryShape.PARAGRAPH, "Paper D: Title", 2)],
    ),
    "heading-entry-with-details": Shape(
        "## [(owner/dataset)|52K|EN](https://github.com/owner/dataset)\n\n"
        "- Summary: A dataset.\n"
        "- paper: [Dataset Paper Title](https://arxiv.org/abs/2401.00008)\n"
        "- License: [`MIT`](https://opensource.org/license/mit/)\n",
        [(EntryShape.HEADING, "Dataset Paper Title", 3)],
    ),
    "html-table-rows": Shape(
        "<table>\n<tr><th>Paper</th><th>Code</th></tr>\n"
        '<tr><td><a href="https://arxiv.org/abs/2401.00009">Paper E</a></td>'
        '<td><a href="https://github.com/a/e">code</a></td></tr>\n'
        '<tr><td><a href="https://arxiv.org/abs/2401.00010">Paper F</a></td><td></td></tr>\n'
        "</table>\n",
        [(EntryShape.HTML_TABLE_ROW, "Paper E", 2), (EntryShape.HTML_TABLE_ROW, "Paper F", 1)],
    ),
    "html-list-items": Shape(
        '<ul>\n<li><a href="https://arxiv.org/abs/2401.00011">Paper G</a> (ICLR 2024)</li>\n'
        '<li><a href="#top">Back to top</a></li>\n</ul>\n',
        [(EntryShape.HTML_LIST_ITEM, "Paper G", 1)],
    ),
    "group-parent-is-no-entry": Shape(
        "- Surveys\n  - [Survey A](https://arxiv.org/abs/2401.00012)\n"
        "  - [Survey B](https://arxiv.org/abs/2401.00013)\n",
        [(EntryShape.LIST_ITEM, "Survey A", 1), (EntryShape.LIST_ITEM, "Survey B", 1)],
    ),
    # A colon inside a linked title is no "Label:": both papers are entries of the
    # group, neither is a detail of "Prompting" (which would own the second one's link).
    "linked-titles-with-colons-under-a-group": Shape(
        "- Prompting\n"
        "  - [Chain-of-Thought Prompting Elicits Reasoning](https://arxiv.org/abs/2201.11903)\n"
        "  - [Tree of Thoughts: Deliberate Problem Solving](https://arxiv.org/abs/2305.10601)\n",
        [
            (EntryShape.LIST_ITEM, "Chain-of-Thought Prompting Elicits Reasoning", 1),
            (EntryShape.LIST_ITEM, "Tree of Thoughts: Deliberate Problem Solving", 1),
        ],
    ),
    "title-then-authors-then-venue": Shape(
        "- Chain-of-Thought Prompting Elicits Reasoning. Jason Wei, Xuezhi Wang. "
        "NeurIPS 2022. [paper](https://arxiv.org/abs/2201.11903)\n"
        "- Tree of Thoughts: Deliberate Problem Solving. Shunyu Yao et al. NeurIPS 2023. "
        "[paper](https://arxiv.org/abs/2305.10601)\n"
        "- Self-Consistency Improves Chain of Thought Reasoning in Language Models. "
        "Xuezhi Wang. ICLR 2023. [paper](https://arxiv.org/abs/2203.11171)\n"
        "- Learning Transferable Visual Models From Natural Language Supervision. "
        "[paper](https://arxiv.org/abs/2103.00020)\n",
        [
            (EntryShape.LIST_ITEM, "Chain-of-Thought Prompting Elicits Reasoning", 1),
            (EntryShape.LIST_ITEM, "Tree of Thoughts: Deliberate Problem Solving", 1),
            (
                EntryShape.LIST_ITEM,
                "Self-Consistency Improves Chain of Thought Reasoning in Language Models",
                1,
            ),
            (
                EntryShape.LIST_ITEM,
                "Learning Transferable Visual Models From Natural Language Supervision",
                1,
            ),
        ],
    ),
    "table-of-contents-is-no-entry": Shape(
        "- [Week 1](./#week-1)\n- [Week 2](README.md#week-2)\n",
        [],
    ),
    "results-table-without-links-is-no-entry": Shape(
        "| Model | mAP |\n|---|---|\n| R-CNN | 58.5 |\n| SSD | 76.8 |\n",
        [],
    ),
    "emoji-code-in-title": Shape(
        "**:fast_forward: DiffusionFastForward: train from scratch** \\\n*Mikolaj* \\\n"
        "[[Github](https://github.com/mikonvergence/DiffusionFastForward)]\n",
        [(EntryShape.PARAGRAPH, "DiffusionFastForward: train from scratch", 1)],
    ),
}


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_shapes(shape: Shape) -> None:
    doc = _doc(shape.text)
    got = [(entry.shape, entry.title, len(entry.links)) for entry in doc.entries]
    assert got == shape.entries


def test_blockquote_links_in_a_list_item_belong_to_the_item() -> None:
    doc = _doc(
        "- [Paper H](https://arxiv.org/abs/2401.00014)\n"
        "  > Also see [the code](https://github.com/a/h)\n"
    )
    assert [link.url for link in doc.links] == [
        "https://arxiv.org/abs/2401.00014",
        "https://github.com/a/h",
    ]
    assert doc.entries[0].links == (0, 1)


def test_title_position_points_at_the_title_as_written() -> None:
    doc = _doc(
        "- [2023/10] **Paper A: A Title.** *Ann.* [[paper](https://arxiv.org/abs/2310.00001)]\n"
    )
    entry = doc.entries[0]
    assert entry.title_line == 1
    assert entry.title_column is not None
    line = doc.lines[0]
    assert line[entry.title_column - 1 :].startswith("Paper A: A Title")


def test_details_groups_and_html_headings_are_sections() -> None:
    doc = _doc(
        '<h2 id="papers">Papers</h2>\n\n'
        "<details open>\n<summary>Fast</summary>\n\n"
        "- [Paper A](https://arxiv.org/abs/2401.00001)\n\n</details>\n\n"
        "<details open>\n<summary>Slow</summary>\n\n"
        "- [Paper A](https://arxiv.org/abs/2401.00001)\n\n</details>\n"
    )
    kinds = [(s.kind, s.title) for s in doc.sections]
    assert kinds == [
        (SectionKind.HTML_HEADING, "Papers"),
        (SectionKind.DETAILS, "Fast"),
        (SectionKind.DETAILS, "Slow"),
    ]
    first, second = doc.entries
    assert first.section == ("Papers", "Fast")
    assert second.section == ("Papers", "Slow")
    assert first.section_key != second.section_key
    assert doc.sections[first.section_key or 0].parent == 0


def test_a_markdown_heading_closes_an_unclosed_details_group() -> None:
    doc = _doc(
        "## A\n\n<details>\n<summary>Group</summary>\n\n- [P](https://arxiv.org/abs/2401.00001)\n\n"
        "## B\n\n- [Q](https://arxiv.org/abs/2401.00002)\n"
    )
    assert [entry.section for entry in doc.entries] == [("A", "Group"), ("B",)]
