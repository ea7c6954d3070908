"""What the formats share: escaping, ordering, counting, the summary line, links to
lines on GitHub and GitHub's size limits (``listcheck nightly`` writes its issue with
them too).

The reporters stand on two floors: :mod:`~listcheck.reporters.base` and this module
below, one module per format above, and no format imports another. Text from a report
(titles, messages, URLs: a stranger's pull request or a remote server wrote them) enters
Markdown only through :func:`cell_text` or :func:`code_cell` and a terminal only through
:func:`visible`, which make it read exactly as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Final
from urllib.parse import quote

from listcheck.models import Finding, LinkHistory, Report, Severity, Verdict

PLACES_SHOWN: Final = 5
"""A URL cited more often than this lists its first places and "and N more"."""

SUMMARY_LIMIT: Final = 1024 * 1024
"""Bytes a step's job summary may hold (``$GITHUB_STEP_SUMMARY``); more is refused."""

DEFAULT_SERVER: Final = "https://github.com"

_REPOSITORY: Final = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
_COMMIT: Final = re.compile(r"[0-9a-fA-F]{7,64}")
_SERVER: Final = re.compile(r"https?://[A-Za-z0-9.:-]+(?:/[A-Za-z0-9._~/-]*)?")

_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")

_MARKUP: Final = re.compile(r"[\\`*_\[\]|~$]")

_HTML: Final = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}

_TICKS: Final = re.compile(r"`+")

_BIDI_CONTROLS: Final = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def ordered(
    findings: Iterable[Finding], files: Sequence[str], *, severity_first: bool = False
) -> list[Finding]:
    """Findings by file (in the report's file order), line, column, then rule; with
    ``severity_first``, errors before warnings before notices, each in that order (what
    to keep when a format has room for only some)."""
    return sorted(findings, key=finding_order(files, severity_first=severity_first))


def finding_order(
    files: Sequence[str], *, severity_first: bool = False
) -> Callable[[Finding], tuple[int, int, str, int, int, str, str]]:
    """The sort key of :func:`ordered`."""
    order = {path: index for index, path in enumerate(files)}

    def key(f: Finding) -> tuple[int, int, str, int, int, str, str]:
        rank = -f.severity.rank if severity_first else 0
        return (rank, order.get(f.path, len(order)), f.path, f.line, f.column, f.rule, f.message)

    return key


def finding_row(finding: Finding, *, with_rule: bool, where: str | None = None) -> str:
    """One finding as a table row; ``where`` replaces the plain ``path:line`` cell (the
    job summary links it to the line on GitHub) and must already be escaped."""
    place = where or cell_text(f"{finding.path}:{finding.line}")
    fix = cell_text(finding.suggestion) if finding.suggestion is not None else ""
    rule = [code_cell(finding.rule)] if with_rule else []
    return table_row([place, *rule, cell_text(finding.message), fix])


def table_head(titles: Sequence[str]) -> list[str]:
    return [table_row(titles), table_row(["---"] * len(titles))]


def table_row(cells: Sequence[str]) -> str:
    """One row; the cells must already be escaped."""
    return "| " + " | ".join(cells) + " |"


def cell_text(text: str) -> str:
    """``text`` as inert Markdown for a table cell: rendered, it reads exactly as written.

    Line breaks become ``<br>`` (a raw newline would end the row), other control
    characters and bidirectional overrides become visible escapes, ``& < >`` become
    entities (no HTML, no autolinks in angle brackets), and the characters that start
    Markdown markup are backslash-escaped: ``|`` (the cell), backticks, ``* _ ~`` and
    ``$`` (emphasis, strikethrough, math), ``[ ]`` (links, images) and ``\\`` itself.
    """
    parts = [_inert(visible(part)) for part in _LINE_BREAK.split(text)]
    return "<br>".join(parts)


def code_cell(text: str) -> str:
    """``text`` as a code span for a table cell (URLs, rule ids): verbatim and never a
    link, whatever it contains.

    Inside a code span nothing is markup, so only the table's ``|`` needs its escape
    (GFM removes it before the span is read). The fence is longer than any run of
    backticks inside; a space pads text that starts or ends with a backtick or a space,
    as CommonMark strips exactly one from each side (and none from text of spaces
    only). Line breaks become spaces.
    """
    flat = visible(" ".join(_LINE_BREAK.split(text)))
    if not flat:
        return ""
    longest = max((len(run) for run in _TICKS.findall(flat)), default=0)
    fence = "`" * (longest + 1)
    ends = flat[0] + flat[-1]
    pad = " " if ("`" in ends or " " in ends) and flat.strip(" ") else ""
    return f"{fence}{pad}{flat.replace('|', chr(92) + '|')}{pad}{fence}"


def since(history: LinkHistory | None) -> str:
    """``2025-01-03 (5 runs in a row)``: when the current streak of failures began
    (UTC date) and how long it is; a dash when no run before this one was recorded."""
    if history is None:
        return "—"
    count = history.consecutive_failures
    streak = "1 run" if count == 1 else f"{count} runs in a row"
    if history.first_failed_at is None:
        return streak
    return f"{utc_day(history.first_failed_at)} ({streak})"


def utc_day(stamp: float) -> str:
    """``2025-01-03``: the UTC date of a Unix time, as every report states dates."""
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d")


def cut_to_fit(text: str, budget: int, note: str, *, utf8: bool = False) -> str | None:
    """``text`` if it fits in ``budget`` (characters, or UTF-8 bytes with ``utf8``, as
    the job summary counts); else its head cut at a line break and ``note`` on a line
    of its own, together within ``budget``; None if not even the note fits.

    GitHub refuses a body or summary over its limit whole, so what is cut must say so
    rather than end mid-table."""

    def size(part: str) -> int:
        return len(part.encode("utf-8")) if utf8 else len(part)

    if size(text) <= budget:
        return text
    room = budget - size(note) - 1
    if room < 0:
        return None
    # never inside a character: a cut UTF-8 sequence is dropped whole
    head = text.encode("utf-8")[:room].decode("utf-8", errors="ignore") if utf8 else text[:room]
    cut = head.rfind("\n")
    return (head[:cut] if cut > 0 else head) + "\n" + note


def github_server(environ: Mapping[str, str]) -> str:
    """The GitHub server of the run (``GITHUB_SERVER_URL``) without a trailing slash;
    github.com when unset or when it does not look like a server address, so that
    nothing in it can end a Markdown link."""
    server = environ.get("GITHUB_SERVER_URL", "") or DEFAULT_SERVER
    return (server if _SERVER.fullmatch(server) else DEFAULT_SERVER).rstrip("/")


def line_links(environ: Mapping[str, str]) -> Callable[[str, int], str | None]:
    """A function giving the URL of a line on GitHub, or None where there is none.

    The link points at the exact commit (``GITHUB_SHA``) and at the file's source view
    (``?plain=1``): a Markdown file's rendered view has no line anchors. The repository,
    commit and server must look like what the runner sets, or no link is made; the
    path is percent-encoded, so nothing in it can end the Markdown link.
    """
    repository = environ.get("GITHUB_REPOSITORY", "")
    commit = environ.get("GITHUB_SHA", "")
    server = github_server(environ)
    workspace = environ.get("GITHUB_WORKSPACE", "")
    known = bool(_REPOSITORY.fullmatch(repository) and _COMMIT.fullmatch(commit))

    def url(path: str, line: int) -> str | None:
        relative = _in_repository(path, workspace)
        if not known or relative is None:
            return None
        where = quote(relative, safe="/")
        return f"{server}/{repository}/blob/{commit}/{where}?plain=1#L{line}"

    return url


def _in_repository(path: str, workspace: str) -> str | None:
    """``path`` relative to the repository root, as a link needs it, or None."""
    posix = PurePosixPath(path.replace("\\", "/"))
    if posix.is_absolute():
        root = PurePosixPath(workspace.replace("\\", "/")) if workspace else None
        if root is None or not posix.is_relative_to(root):
            return None
        posix = posix.relative_to(root)
    parts = [part for part in posix.parts if part != "."]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def verdict_counts(report: Report) -> dict[Verdict, int]:
    """Unique URLs per verdict (from the link rows, one per URL), in the verdicts'
    natural order, zero counts left out."""
    counts = Counter(link.verdict for link in report.links)
    return {verdict: counts[verdict] for verdict in Verdict if counts[verdict]}


def severity_counts(findings: Iterable[Finding]) -> str:
    """``3 errors, 5 warnings, 1 notice``, or ``no findings``."""
    counts = Counter(f.severity for f in findings)
    if not counts:
        return "no findings"
    return ", ".join(plural(counts[s], s.value) for s in Severity)


def _inert(text: str) -> str:
    text = "".join(_HTML.get(ch, ch) for ch in text)
    return _MARKUP.sub(lambda m: "\\" + m.group(0), text)


def html_text(text: str) -> str:
    """Text inside raw HTML (a ``<summary>``): entities only, as Markdown is not read
    there, and no line breaks."""
    return "".join(_HTML.get(ch, ch) for ch in visible(" ".join(_LINE_BREAK.split(text))))


def summary_line(report: Report) -> str:
    """``3 errors, 5 warnings, 1 notice in 2 files (120 entries, 310 links) — offline
    rules only``; also what the CLI prints on a terminal's stderr after a machine format."""
    counts = Counter(finding.severity for finding in report.findings)
    stats = report.stats
    found = (
        ", ".join(plural(counts[s], s.value) for s in Severity)
        if report.findings
        else "No findings"
    )
    files = plural(len(report.files), "file")
    scope = f"({plural(stats.entries, 'entry', 'entries')}, {plural(stats.links, 'link')})"
    return f"{found} in {files} {scope} — {_checked(report)}"


def visible(text: str) -> str:
    """``text`` with control characters and bidirectional overrides written as escapes,
    so a message shows exactly what the list says and does nothing to the terminal."""
    if text.isprintable():
        return text
    return "".join(_escape(ch) for ch in text)


def _escape(ch: str) -> str:
    if ch in _BIDI_CONTROLS or unicodedata.category(ch) == "Cc":
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return ch


def _checked(report: Report) -> str:
    stats = report.stats
    if stats.offline:
        return "offline rules only"
    urls = plural(stats.unique_urls, "URL")
    verdicts = ", ".join(
        f"{stats.verdicts[v.value]} {v.value}" for v in Verdict if stats.verdicts.get(v.value)
    )
    sent = sum(stats.requests.values())
    if sent:
        checked = (
            f"{urls} checked online in {_duration(stats.wall_time_s)}, "
            f"{plural(sent, 'request')} sent"
        )
    else:  # all from the cache, or nothing could be asked: say so, claim nothing
        checked = f"{urls}, no request sent"
    return f"{checked} ({verdicts})" if verdicts else checked


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"
