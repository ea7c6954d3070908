"""Where ``listcheck add`` may put a paper: the sections holding papers (and empty ones
being started), never one that a heading or the list's own housekeeping rules out. The
same judgement as ``entry/misplaced``'s, so the two never disagree."""

from __future__ import annotations

import pytest

from listcheck.add.sections import candidates, display
from listcheck.parse import parse_document

PAPER = "- Some Paper Title Here [[paper](https://arxiv.org/abs/2401.0000{n})]\n"


def _list(headings: list[str]) -> str:
    return "# Awesome Things\n" + "".join(
        f"\n## {heading}\n\n{PAPER.format(n=n)}" for n, heading in enumerate(headings, 1)
    )


@pytest.mark.parametrize(
    ("heading", "allowed"),
    [
        ("Knowledge Updates", True),  # papers on updating knowledge, not news of the list
        ("How to Train Your Model", True),
        ("About Reasoning", True),
        ("Contributing", False),
        ("Citation", False),
        ("Related Awesome Lists", False),
        ("Table of Contents", False),
        ("News", False),
    ],
)
def test_a_heading_rules_a_section_out_only_when_it_is_not_about_papers(
    heading: str, allowed: bool
) -> None:
    doc = parse_document(_list(["Surveys", heading]), "README.md")
    names = [display(doc, key) for key in candidates(doc)]
    assert any("Surveys" in name for name in names)
    assert any(heading in name for name in names) is allowed
