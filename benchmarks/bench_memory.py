"""Peak memory of ``listcheck --offline`` against the size of the list: generated lists
of about 1, 4 and 16 MiB (the last just under the default ``max_file_size``) and one
list written on a single 7.4 MB line, each run in a fresh process.

Run: ``python benchmarks/bench_memory.py [--format text] [--sizes 1 4 16]``. Prints a
table; asserts nothing. The peak is the child's own maximum resident set (``wait4``),
the baseline is the same command on an empty list (the interpreter with listcheck's
imports), and the ratio is (peak - baseline) / file size; issue 9 asks for at most 20.
Linux counts what a child had when it was forked in its peak, so the lists are written
by a helper process and this one stays small.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import generate_list

MIB = 1 << 20
BYTES_PER_ENTRY = 169
"""About what one generated entry takes (with its share of headings)."""
LONG_LINE_BYTES = 7_400_000
TARGET_RATIO = 20


def sized_list(size: int) -> str:
    """A generated list just under ``size`` bytes of UTF-8."""
    entries = size // BYTES_PER_ENTRY
    text = generate_list(entries)
    while len(text.encode()) > size:
        entries = int(entries * 0.99)
        text = generate_list(entries)
    return text


def long_line(size: int) -> str:
    """A generated list's entries run together on one line (one entry with tens of
    thousands of links): nothing to cut between blocks."""
    lines = generate_list(size // 100).splitlines()
    items = [line[2:] for line in lines if line.startswith("- ") and "](#" not in line]
    text = "- " + " ".join(items)
    cut = text.encode()[:size].decode("utf-8", "ignore")
    return cut[: cut.rfind(")") + 1] + "\n"


def peak_of(path: Path, fmt: str) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MiB) of one ``listcheck --offline`` process."""
    argv = [sys.executable, "-m", "listcheck", "--offline", "--format", fmt, str(path)]
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--format", default="text", choices=["text", "json"])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 4, 16], help="MiB")
    parser.add_argument(
        "--write", nargs=3, metavar=("KIND", "BYTES", "PATH"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.write:
        kind, size, path = args.write
        text = sized_list(int(size)) if kind == "list" else long_line(int(size))
        Path(path).write_text(text, encoding="utf-8")
        return

    folder = Path(tempfile.mkdtemp())
    cases = [(f"{size} MiB list", "list", size * MIB - 4096) for size in args.sizes]
    cases.append(("one 7.4 MB line", "line", LONG_LINE_BYTES))
    empty = folder / "empty.md"
    empty.write_text("", encoding="utf-8")
    _, baseline = peak_of(empty, args.format)
    print(f"listcheck --offline --format {args.format}; baseline (empty list) {baseline:.0f} MiB")
    print("| list | size | lines | peak RSS | over baseline | ratio | time |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, kind, want in cases:
        path = folder / "README.md"
        subprocess.run(
            [sys.executable, __file__, "--write", kind, str(want), str(path)], check=True
        )
        size = path.stat().st_size
        lines = path.read_bytes().count(b"\n")
        wall, peak = peak_of(path, args.format)
        ratio = (peak - baseline) * MIB / size
        flag = "" if ratio <= TARGET_RATIO else f" (> {TARGET_RATIO})"
        print(
            f"| {label} | {size / MIB:.1f} MiB | {lines:,} | {peak:.0f} MiB "
            f"| {peak - baseline:.0f} MiB | {ratio:.1f}x{flag} | {wall:.1f} s |"
        )


if __name__ == "__main__":
    main()
