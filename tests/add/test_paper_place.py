"""What ``listcheck add`` reads from what the user typed and from arXiv, and the order
conventions it finds in the corpus list's sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from listcheck.add.paper import Paper, arxiv_id_of
from listcheck.add.place import Order, convention
from listcheck.add.sections import entries_of, resolve
from listcheck.errors import InputError
from listcheck.models import ArxivId
from listcheck.parse import parse_document

CORPUS = Path("/work/shared/corpus/awesome-genai-unlearning.md")


@pytest.mark.parametrize(
    "typed",
    [
        "2401.06121",
        "arXiv:2401.06121v3",
        "https://arxiv.org/abs/2401.06121",
        "https://arxiv.org/pdf/2401.06121v2.pdf",
        "arxiv.org/html/2401.06121v1",
    ],
)
def test_every_id_form_names_the_paper(typed: str) -> None:
    assert arxiv_id_of(typed) == "2401.06121"


@pytest.mark.parametrize("typed", ["24010.6121", "https://example.org/abs/2401.06121", "tofu"])
def test_anything_else_is_refused(typed: str) -> None:
    with pytest.raises(InputError, match="is not an arXiv id or arXiv URL"):
        arxiv_id_of(typed)


def paper(comment: str = "", summary: str = "", journal_ref: str = "") -> Paper:
    return Paper(ArxivId("2401.00001"), "T", summary, comment, (), journal_ref)


@pytest.mark.parametrize(
    ("comment", "summary", "code"),
    [
        ("Code: https://github.com/a/b.", "", "https://github.com/a/b"),
        ("", "see github.com/a/b.git for code", "https://github.com/a/b"),
        ("", "https://github.com/a/b/tree/main/src", "https://github.com/a/b"),
        ("", "we build on https://github.com/topics/llm", None),
        ("Project page: https://a.github.io/b", "", None),
        ("", "", None),
    ],
)
def test_a_code_link_only_from_a_named_repository(
    comment: str, summary: str, code: str | None
) -> None:
    assert paper(comment, summary).code_url == code


@pytest.mark.parametrize(
    ("comment", "journal_ref", "venue"),
    [
        ("Accepted at ICLR 2025", "", "ICLR 2025"),
        ("", "Findings of ACL 2024", "ACL 2024"),
        ("NIPS'17 camera ready", "", "NeurIPS 2017"),
        ("12 pages, 3 figures", "", None),
    ],
)
def test_a_venue_only_when_one_is_named(comment: str, journal_ref: str, venue: str | None) -> None:
    assert paper(comment, journal_ref=journal_ref).venue == venue


@pytest.mark.parametrize(
    ("section", "order"),
    [
        ("Large Language Models (LLMs)", Order.NEWEST_FIRST),
        ("Large Multimodal Models (LMMs)", Order.NEWEST_FIRST),
        ("Awesome-GenAI-Unlearning > Generative Image Models", Order.NEWEST_FIRST),
        ("Applications > Safety Alignment", Order.NONE),
        ("Applications > Privacy Compliance", Order.NONE),
        ("Other Surveys", Order.NONE),
        ("Datasets > Safety Alignment", Order.NONE),
    ],
)
def test_order_conventions_of_the_corpus_sections(section: str, order: Order) -> None:
    doc = parse_document(CORPUS.read_text(encoding="utf-8"), str(CORPUS))
    assert convention(doc, entries_of(doc, resolve(doc, section))) is order
