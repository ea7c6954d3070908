"""``--fix`` speed: the whole ``listcheck --offline --fix`` process on generated lists
with 1,000, 8,000 and 30,000 fixable defects (legacy arXiv URL forms, which
``arxiv/url-form`` rewrites offline), beside the same run without ``--fix``, and the
fix stages in process (planning, which includes the one re-parse that verifies the
fixes, and applying the edits).

Run: ``python benchmarks/bench_fix.py [--fixes 1000,8000,30000] [--runs 3]``. Prints
figures; asserts nothing but the number of fixes (speed is measured here, not in the
test suite). Process times are the best of ``--runs``: other work on the machine only
ever adds time. The figure to watch is time per fix, which stays flat when ``--fix``
is linear in the number of fixes.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_offline import best_of
from generate import generate_fixable_list

from listcheck.config import Config
from listcheck.fix.apply import apply_edits
from listcheck.fix.plan import plan_fixes
from listcheck.lint import lint_document
from listcheck.parse import parse_document
from listcheck.rules.base import LintContext

_FIXED = re.compile(r"fixed (\d+) findings?")


def fix_process(text: str, folder: Path, fix: bool) -> tuple[float, int]:
    """Wall time of one ``listcheck --offline [--fix]`` process on a fresh copy of the
    list, and how many findings it says it fixed."""
    path = folder / "README.md"
    path.write_text(text, encoding="utf-8")
    argv = [sys.executable, "-m", "listcheck", "--offline", "--no-cache", "--format", "json"]
    argv += ["--fix", str(path)] if fix else [str(path)]
    started = time.perf_counter()
    done = subprocess.run(
        argv,
        stdout=subprocess.DEVNULL,
        capture_output=False,
        check=False,
        stderr=subprocess.PIPE,
        text=True,
    )
    wall = time.perf_counter() - started
    match = _FIXED.search(done.stderr)
    return wall, int(match.group(1)) if match else 0


def measure(fixes: int, runs: int) -> None:
    text = generate_fixable_list(fixes)
    folder = Path(tempfile.mkdtemp())
    doc = parse_document(text, "README.md")
    findings = lint_document(doc, LintContext(root=folder), Config())
    plan_time = best_of(runs, lambda: plan_fixes(doc, findings))
    plan = plan_fixes(doc, findings)
    apply_time = best_of(runs, lambda: apply_edits(doc.text, plan.edits))
    parse_time = best_of(1, lambda: parse_document(text, "README.md"))

    walls = [fix_process(text, folder, fix=True) for _ in range(runs)]
    wall, fixed = min(walls)
    if fixed != fixes or len(plan.fixed) != fixes:
        raise SystemExit(f"expected {fixes} fixes, the run made {fixed} ({len(plan.fixed)})")
    lint_only = min(fix_process(text, folder, fix=False)[0] for _ in range(runs))
    print(f"\n{fixes} fixes: {len(doc.lines)} lines, {len(text) / 1e6:.2f} MB")
    print(f"  parse (once):          {parse_time:.3f} s")
    print(f"  plan_fixes:            {plan_time:.3f} s   (includes one verifying re-parse)")
    print(f"  apply_edits:           {apply_time:.3f} s")
    print(f"  --offline process:     {lint_only:.3f} s")
    print(f"  --offline --fix:       {wall:.3f} s   ({wall / fixes * 1e6:.0f} µs per fix)")
    print(f"  --fix costs:           {wall - lint_only:.3f} s over the run without it")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixes", default="1000,8000,30000", help="comma-separated counts")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for fixes in (int(n) for n in args.fixes.split(",")):
        measure(fixes, args.runs)


if __name__ == "__main__":
    main()
