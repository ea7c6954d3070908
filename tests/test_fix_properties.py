"""``--fix`` bookkeeping in one pass agrees with the obvious quadratic version.

Overlap resolution, the column shift of re-parsed edits and applying edits are done
by sorting once (thousands of fixes took minutes when each edit was compared with
every other). Each is checked here against a plain reference written the slow,
evident way, on random span sets dense enough that overlaps, shared starts, empty
spans and identical fixes from two findings all occur.
"""

from __future__ import annotations

import copy

from hypothesis import given
from hypothesis import strategies as st

from listcheck.fix.apply import Edit, apply_edits
from listcheck.fix.candidates import Candidate, SkippedFix
from listcheck.fix.verify import _shifts as shifts
from listcheck.fix.verify import without_overlaps
from listcheck.models import Finding, Severity

RULES = ("github/renamed", "link/moved", "arxiv/url-form")


@st.composite
def candidates(draw: st.DrawFn) -> list[Candidate]:
    """Spans on three short lines with a small alphabet of replacements, so that most
    sets hold clashes and the same change asked for twice."""
    made: list[Candidate] = []
    for order in range(draw(st.integers(0, 25))):
        line, column = draw(st.integers(1, 3)), draw(st.integers(1, 12))
        old = "o" * draw(st.integers(0, 5))
        new = draw(st.sampled_from(["", "x", "yy", "zzzzzzz"]))
        found = Finding(
            rule=draw(st.sampled_from(RULES)),
            severity=Severity.WARNING,
            path="README.md",
            line=line,
            column=column,
            message=f"finding {order}",
        )
        made.append(Candidate(line, column, old, new, "link", new, (order,), order, [found]))
    return draw(st.permutations(made))


def reference_without_overlaps(
    cands: list[Candidate], skipped: list[SkippedFix]
) -> list[Candidate]:
    """Each candidate, in document order, against every fix kept so far."""
    kept: list[Candidate] = []
    for cand in sorted(cands, key=lambda c: (c.line, c.column, c.order)):
        clash = next((k for k in kept if k.edit().overlaps(cand.edit())), None)
        if clash is None:
            kept.append(cand)
        elif (clash.line, clash.column, clash.old, clash.new) == (
            cand.line,
            cand.column,
            cand.old,
            cand.new,
        ):
            clash.findings.extend(cand.findings)
        else:
            reason = f"overlaps the {clash.findings[0].rule} fix at {clash.line}:{clash.column}"
            skipped.extend(SkippedFix(f, reason) for f in cand.findings)
    return kept


def _seen(kept: list[Candidate]) -> list[tuple[int, int, str, str, int, list[str]]]:
    return [
        (c.line, c.column, c.old, c.new, c.order, [f.message for f in c.findings]) for c in kept
    ]


@given(candidates())
def test_overlap_sweep_keeps_and_skips_as_the_pairwise_check(cands: list[Candidate]) -> None:
    mine, theirs = copy.deepcopy(cands), copy.deepcopy(cands)
    skipped: list[SkippedFix] = []
    expected_skipped: list[SkippedFix] = []
    kept = without_overlaps(mine, skipped)
    assert _seen(kept) == _seen(reference_without_overlaps(theirs, expected_skipped))
    assert skipped == expected_skipped
    edits = [c.edit() for c in kept]
    assert not any(a.overlaps(b) for i, a in enumerate(edits) for b in edits[i + 1 :])
    settled = [f.message for c in kept for f in c.findings] + [s.finding.message for s in skipped]
    assert sorted(settled) == sorted(f.message for c in cands for f in c.findings)


@given(candidates())
def test_column_shifts_are_the_sum_of_the_edits_left_on_the_line(
    cands: list[Candidate],
) -> None:
    moved = shifts(cands)
    for cand in cands:
        assert moved[id(cand)] == sum(
            len(c.new) - len(c.old) for c in cands if c.line == cand.line and c.column < cand.column
        )


@given(
    # Rows are never empty: a lone CR, an empty row and an LF would read as one CRLF.
    st.lists(st.text("ab \u3010", min_size=1, max_size=14), min_size=1, max_size=6),
    st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=6, max_size=6),
    candidates(),
)
def test_apply_edits_matches_splicing_each_line(
    rows: list[str], endings: list[str], cands: list[Candidate]
) -> None:
    """The kept edits that fit the text, applied in one pass, give the text spliced
    line by line from the right (the way a person would do it by hand)."""
    edits: list[Edit] = []
    for cand in without_overlaps(cands, []):
        row = rows[cand.line - 1] if cand.line <= len(rows) else None
        start = cand.column - 1
        if row is None or start + len(cand.old) > len(row):
            continue
        old = row[start : start + len(cand.old)]
        edits.append(Edit(cand.line, cand.column, old, cand.new))
    text = "".join(row + end for row, end in zip(rows, endings, strict=False))
    spliced = list(rows)
    for edit in sorted(edits, key=lambda e: (e.line, -e.column)):
        row, start = spliced[edit.line - 1], edit.column - 1
        spliced[edit.line - 1] = row[:start] + edit.new_text + row[start + len(edit.old_text) :]
    assert apply_edits(text, edits) == "".join(
        row + end for row, end in zip(spliced, endings, strict=False)
    )
