"""``--format json``: the report exactly as DESIGN.md's contract describes it.

The output is :class:`~listcheck.models.Report` dumped in JSON mode and nothing else,
so scripts and the GitHub Action can rely on it. Keys keep the models' field order
(``version`` first, as documented); free-form maps (counts by severity, verdict or
host) are sorted, so two runs with the same results give byte-identical files. The
text is ASCII-only (other characters as ``\\u`` escapes) so it survives any console
encoding, and a non-finite number becomes ``null``: the output always parses.
"""

from __future__ import annotations

import json
import math
from typing import Any, TextIO

from pydantic import BaseModel

from listcheck.models import Report
from listcheck.reporters.base import Reporter


class JsonReporter(Reporter):
    name = "json"

    def write(self, report: Report, stream: TextIO) -> None:
        stream.write(dumps(report))


def dumps(report: Report) -> str:
    """The JSON document for ``report``, with a final newline."""
    ordered = _stable(report.model_dump(mode="json"), report)
    return json.dumps(ordered, indent=2, ensure_ascii=True, allow_nan=False) + "\n"


def _stable(dumped: Any, value: Any) -> Any:
    """Walks the dump beside the model it came from: a model keeps its field order, a
    plain mapping is sorted."""
    if isinstance(value, BaseModel) and isinstance(dumped, dict):
        return {key: _stable(item, getattr(value, key, None)) for key, item in dumped.items()}
    if isinstance(dumped, dict):
        items = value if isinstance(value, dict) else {}
        return {key: _stable(dumped[key], items.get(key)) for key in sorted(dumped)}
    if isinstance(dumped, list):
        values = list(value) if isinstance(value, list | tuple) else [None] * len(dumped)
        return [_stable(item, original) for item, original in zip(dumped, values, strict=True)]
    if isinstance(dumped, float) and not math.isfinite(dumped):
        return None
    return dumped
