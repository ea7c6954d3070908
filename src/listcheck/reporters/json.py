"""``--format json``: the report exactly as DESIGN.md's contract describes it.

The output is :class:`~listcheck.models.Report` dumped in JSON mode and nothing else,
so scripts and the GitHub Action can rely on it. Keys keep the models' field order
(``version`` first, as documented); the free-form maps (counts by severity, verdict or
host in ``stats``) are sorted, so two runs with the same results give byte-identical files. The
text is ASCII-only (other characters as ``\\u`` escapes) so it survives any console
encoding, and a non-finite number becomes ``null``: the output always parses.
"""

from __future__ import annotations

import json
import math
from typing import TextIO

from listcheck.models import Report
from listcheck.reporters.base import Reporter


class JsonReporter(Reporter):
    name = "json"
    for_programs = True

    def write(self, report: Report, stream: TextIO) -> None:
        stream.write(dumps(report))


def dumps(report: Report) -> str:
    """The JSON document for ``report``, with a final newline.

    Compact (no indentation): the standard library encodes compact JSON in C and
    indented JSON in Python, and a 10,000-entry report is megabytes. ``python -m
    json.tool`` or ``jq`` pretty-print it for a person."""
    dumped = report.model_dump(mode="json")
    stats = dumped["stats"]
    for key in ("findings", "verdicts", "requests"):
        stats[key] = dict(sorted(stats[key].items()))
    if not math.isfinite(stats["wall_time_s"]):
        stats["wall_time_s"] = None
    return json.dumps(dumped, ensure_ascii=True, allow_nan=False, separators=(",", ":")) + "\n"
