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
from collections.abc import Iterator
from typing import Any, TextIO

from pydantic import TypeAdapter

from listcheck.models import LINK_ROWS, EntrySummary, Finding, Report
from listcheck.reporters.base import Reporter


class JsonReporter(Reporter):
    name = "json"
    for_programs = True

    def write(self, report: Report, stream: TextIO) -> None:
        for piece in _pieces(report):
            stream.write(piece)


def dumps(report: Report) -> str:
    """The JSON document for ``report``, with a final newline.

    Compact (no indentation): the standard library encodes compact JSON in C and
    indented JSON in Python, and a 10,000-entry report is megabytes. ``python -m
    json.tool`` or ``jq`` pretty-print it for a person."""
    return "".join(_pieces(report))


_ROWS: dict[str, TypeAdapter[Any]] = {
    "entries": TypeAdapter(tuple[EntrySummary, ...]),
    "links": LINK_ROWS,
    "findings": TypeAdapter(tuple[Finding, ...]),
}
_BATCH = 256
_ENCODE = json.JSONEncoder(ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode


def _pieces(report: Report) -> Iterator[str]:
    """The document a piece at a time, the row tables (entries, links, findings) a
    batch of rows at a time: dumped whole, a 16 MiB list's report took more memory as
    Python dicts and one string than everything before it. The pieces join to exactly
    the one compact document."""
    rest = report.model_dump(mode="json", exclude=set(_ROWS))
    stats = rest["stats"]
    for key in ("findings", "verdicts", "requests"):
        stats[key] = dict(sorted(stats[key].items()))
    if not math.isfinite(stats["wall_time_s"]):
        stats["wall_time_s"] = None
    separator = "{"
    for name, info in Report.model_fields.items():
        if info.exclude:
            continue
        yield f"{separator}{_ENCODE(name)}:"
        separator = ","
        if name not in _ROWS:
            yield _ENCODE(rest[name])
            continue
        rows = getattr(report, name)
        yield "["
        for start in range(0, len(rows), _BATCH):
            dumped = _ROWS[name].dump_python(rows[start : start + _BATCH], mode="json")
            yield ("," if start else "") + _ENCODE(dumped)[1:-1]
        yield "]"
    yield "}\n"
