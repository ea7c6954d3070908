"""The parser against a careful reader, on six real lists nobody here wrote.

``tests/real_lists.py`` says how each list's entries were counted by hand. The figures
asserted here are those counts: every entry the reader counts is found at its line, and
its title is the one the reader reads (case, spacing and edge punctuation aside).
"""

from __future__ import annotations

from collections import Counter

import pytest

from listcheck.models import Document, EntryShape
from listcheck.parse import parse_document
from tests.real_lists import READERS, REAL, normal_title, read_list

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus/real is absent")

# name -> (entries the reader counts, entries listcheck finds by shape)
EXPECTED: dict[str, tuple[int, dict[EntryShape, int]]] = {
    "atfortes__Awesome-LLM-Reasoning.md": (161, {EntryShape.LIST_ITEM: 164}),
    "awesome-NeRF__awesome-NeRF.md": (168, {EntryShape.LIST_ITEM: 168}),
    "dair-ai__ML-Papers-of-the-Week.md": (1300, {EntryShape.TABLE_ROW: 1300}),
    "diff-usion__Awesome-Diffusion-Models.md": (2975, {EntryShape.PARAGRAPH: 2975}),
    "hoya012__deep_learning_object_detection.md": (262, {EntryShape.LIST_ITEM: 265}),
    "yaodongC__awesome-instruction-dataset.md": (
        31,
        {EntryShape.HEADING: 31, EntryShape.LIST_ITEM: 54},
    ),
}
"""Where listcheck finds more entries than the reader counts, the extra ones are list
items a reader does not call papers but that are harmless: atfortes' three contributing
steps, hoya012's three contact links, yaodongC's table of contents and tag legend."""

_DOCS: dict[str, Document] = {}


def _doc(name: str) -> Document:
    if name not in _DOCS:
        _DOCS[name] = parse_document((REAL / name).read_text(encoding="utf-8"), name)
    return _DOCS[name]


@pytest.mark.parametrize("name", sorted(READERS))
def test_reader_counts_are_the_ones_written_down(name: str) -> None:
    _, wanted = read_list(name)
    assert len(wanted) == EXPECTED[name][0]


@pytest.mark.parametrize("name", sorted(READERS))
def test_every_entry_the_reader_counts_is_found_at_its_line(name: str) -> None:
    _, wanted = read_list(name)
    found = {entry.line for entry in _doc(name).entries}
    missing = sorted(set(wanted) - found)
    assert missing == [], f"{len(missing)} of {len(wanted)} entries not found"


@pytest.mark.parametrize("name", sorted(READERS))
def test_entries_by_shape(name: str) -> None:
    shapes = Counter(entry.shape for entry in _doc(name).entries)
    assert dict(shapes) == EXPECTED[name][1]


@pytest.mark.parametrize("name", sorted(READERS))
def test_every_title_is_the_one_the_reader_reads(name: str) -> None:
    _, wanted = read_list(name)
    by_line = {entry.line: entry for entry in _doc(name).entries}
    wrong = {
        line: (by_line[line].title, title)
        for line, title in wanted.items()
        if line in by_line and normal_title(by_line[line].title or "") != normal_title(title)
    }
    assert wrong == {}


@pytest.mark.parametrize(
    ("name", "line", "title"),
    [
        # A bold link's label, without the list's final period.
        (
            "atfortes__Awesome-LLM-Reasoning.md",
            46,
            "Multimodal Chain-of-Thought Reasoning: A Comprehensive Survey",
        ),
        # An emoji in front of the link label is decoration.
        (
            "awesome-NeRF__awesome-NeRF.md",
            None,
            "Know Your Neighbors: Improving Single-View "
            "Reconstruction via Spatial Vision-Language Reasoning",
        ),
        # The name before the two spaces that start the summary.
        ("dair-ai__ML-Papers-of-the-Week.md", 158, "MEM1"),
        # A run-on cell: the title ends where the description starts.
        (
            "dair-ai__ML-Papers-of-the-Week.md",
            216,
            "Building Production-Grade Conversational Agents with Workflow Graphs",
        ),
        # A dash after a bold name starts a description.
        ("dair-ai__ML-Papers-of-the-Week.md", None, "Auto-RAG"),
        # Brackets that belong to the title stay.
        (
            "diff-usion__Awesome-Diffusion-Models.md",
            None,
            "(Certified!!) Adversarial Robustness for Free!",
        ),
        # An emoji code in a bold title is decoration.
        (
            "diff-usion__Awesome-Diffusion-Models.md",
            None,
            "DiffusionFastForward: train from scratch in colab",
        ),
        # With a "|" separator, a dash inside the title is part of it.
        (
            "hoya012__deep_learning_object_detection.md",
            None,
            "What Object Should I Use? - Task Driven Object Detection",
        ),
        # A bold short name in brackets is the name, not the title.
        (
            "hoya012__deep_learning_object_detection.md",
            None,
            "Training Region-based Object Detectors with Online Hard Example Mining",
        ),
        # A dataset heading is titled by its paper detail.
        (
            "yaodongC__awesome-instruction-dataset.md",
            None,
            "How Close is ChatGPT to Human Experts? Comparison Corpus, Evaluation, and Detection",
        ),
        # ... and by its own name when the paper detail says "N/A".
        ("yaodongC__awesome-instruction-dataset.md", None, "gururise/Cleaned Alpaca"),
    ],
)
def test_spot_checked_titles(name: str, line: int | None, title: str) -> None:
    titles = {entry.title for entry in _doc(name).entries}
    assert title in titles
    if line is not None:
        assert next(e.title for e in _doc(name).entries if e.line == line) == title


@pytest.mark.parametrize("name", sorted(READERS))
def test_title_positions_point_at_the_title_as_written(name: str) -> None:
    doc = _doc(name)
    placed = [e for e in doc.entries if e.title and e.title_line and e.title_column]
    assert len(placed) >= 0.95 * len(doc.entries)
    for entry in placed:
        assert entry.title is not None
        line = doc.lines[(entry.title_line or 0) - 1]
        assert line[(entry.title_column or 0) - 1 :].startswith(entry.title), entry
