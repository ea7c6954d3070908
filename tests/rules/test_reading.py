"""``entry/unread`` and the per-file reading counts: a list listcheck cannot read says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from listcheck.models import Document
from listcheck.parse import parse_document
from listcheck.reading import file_reading, line_shape
from listcheck.rules.base import LintContext
from listcheck.rules.reading import entry_unread

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

# Papers written as prose: each a sentence with its link inside. No entry shape matches,
# so without the notice the entry checks would pass this list silently.
PROSE = "# Papers\n\n" + "".join(
    f"We liked Paper {n} by Author {n} (https://arxiv.org/abs/2401.{n:05d}), a fine read.\n\n"
    for n in range(1, 13)
)


def _findings(doc: Document) -> list[str]:
    return [f.message for f in entry_unread(doc, LintContext(root=Path(".")))]


def test_prose_list_gets_one_notice_with_its_line_shape() -> None:
    doc = parse_document(PROSE, "README.md")
    assert doc.entries == ()
    (message,) = _findings(doc)
    assert message.startswith("12 of 12 external links (100 %) are in no entry")
    assert "entry/no-link, entry/duplicate, arxiv/tag-month" in message
    assert "We liked Paper 1 by Author 1" in message


def test_a_few_stray_links_are_no_blind_spot() -> None:
    text = "- [Paper A](https://arxiv.org/abs/2401.00001)\n\n" + "See https://example.org.\n" * 3
    assert _findings(parse_document(text, "README.md")) == []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
@pytest.mark.parametrize("path", sorted(CORPUS.rglob("*.md")), ids=lambda p: p.name)
def test_no_notice_on_lists_listcheck_reads(path: Path) -> None:
    doc = parse_document(path.read_text(encoding="utf-8"), path.name)
    assert _findings(doc) == []


def test_reading_counts_entries_by_shape_and_titles() -> None:
    text = (
        "- [Paper A](https://arxiv.org/abs/2401.00001)\n- Paper B without a link\n\n"
        "| Paper | Link |\n|---|---|\n| Paper C | [pdf](https://arxiv.org/abs/2401.00003) |\n\n"
        "Stray https://example.org/x\n"
    )
    read = file_reading(parse_document(text, "README.md"))
    assert read.entries == 3
    assert read.titled == 3
    assert read.shapes == {"list-item": 2, "table-row": 1}
    assert (read.external_links, read.links_outside_entries) == (3, 1)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("**Paper A: A Title** \\", "**Another Paper, Longer Title** \\"),
        ("Paper 1 (https://arxiv.org/abs/2401.00001)", "Paper 22 (https://github.com/a/b)"),
    ],
)
def test_lines_of_one_shape_share_it(first: str, second: str) -> None:
    assert line_shape(first) == line_shape(second)
