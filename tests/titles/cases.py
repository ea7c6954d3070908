"""The title fixture and the mature corpus list, shared by the title tests.

``tests/fixtures/titles_corpus.json`` holds real (listed, arXiv) pairs; each case says
how it was obtained. The corpus helpers read ../shared when it is present.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from listcheck.parse import parse_document

FIXTURE = Path(__file__).parents[1] / "fixtures" / "titles_corpus.json"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
MATURE = CORPUS / "awesome-genai-unlearning.md"

CASES: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]


def case_id(case: dict[str, Any]) -> str:
    return f"{case['how'].split(',')[0].replace(' ', '-')}:{case['expected']}:{case['listed'][:40]}"


def earlier_of(case: dict[str, Any]) -> dict[int, str]:
    return {int(version): title for version, title in case["earlier_titles"].items()}


def corpus_titles() -> list[tuple[str, str]]:
    """(arXiv id, listed title) per distinct paper, in document order."""
    document = parse_document(MATURE.read_text(encoding="utf-8"), str(MATURE))
    seen: dict[str, str] = {}
    for entry in document.entries:
        ids = [document.links[i].arxiv for i in entry.links]
        arxiv_ids = [ref.id for ref in ids if ref is not None]
        arxiv_ids += [tag.arxiv_id for tag in entry.tags if tag.arxiv_id]
        for arxiv_id in arxiv_ids:
            if entry.title:
                seen.setdefault(arxiv_id, entry.title)
    return list(seen.items())


needs_corpus = pytest.mark.skipif(not MATURE.is_file(), reason="../shared/corpus is not present")
