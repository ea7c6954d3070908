"""``--fix``: the fix engine (:mod:`listcheck.fix`) applied to a finished run.

Fixes are planned from the run's findings, applied to each list as written and written
atomically (or shown as one unified diff); the report then keeps only the findings that
are still true, so the exit code speaks of what remains.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from listcheck.fix.apply import apply_edits, apply_reorders, unified_diff
from listcheck.fix.plan import plan_fixes
from listcheck.fix.write import write_fixed
from listcheck.models import Document, Finding, Report


@dataclass
class FixOutcome:
    report: Report
    diff: str = ""
    messages: list[str] = field(default_factory=list)


def fix_documents(
    documents: Sequence[Document], report: Report, *, titles: bool, preview: bool
) -> FixOutcome:
    fixed: list[Finding] = []
    diffs: list[str] = []
    messages: list[str] = []
    for doc in documents:
        mine = [f for f in report.findings if f.path == doc.path]
        plan = plan_fixes(doc, mine, titles=titles)
        if not plan.edits and not plan.moves:
            continue
        new_text = apply_reorders(apply_edits(doc.text, plan.edits), plan.moves)
        fixed.extend(plan.fixed)
        if preview:
            diffs.append(unified_diff(doc.path, doc.text, new_text))
            continue
        write_fixed(Path(doc.path), new_text, original=doc.text)
        count = len(plan.fixed)
        messages.append(f"fixed {count} finding{'s' if count != 1 else ''} in {doc.path}")
        for skip in plan.skipped:
            messages.append(
                f"not fixed: {doc.path}:{skip.finding.line}:{skip.finding.column} "
                f"{skip.finding.rule}: {skip.reason}"
            )
    settled = set(fixed)  # a list here made every finding scan every fix: quadratic
    remaining = [f for f in report.findings if f not in settled]
    return FixOutcome(
        report=report.model_copy(update={"findings": tuple(remaining)}),
        diff="".join(diffs),
        messages=messages,
    )
