"""The typed data that flows between listcheck's stages.

parse -> :class:`Document`; lint/judge -> :class:`Finding`; check -> verdicts.
Everything a stage hands on is frozen, so a later stage can never change what an
earlier one saw. Positions are 1-based, counted in Unicode code points, and point
into the file as written (before any line-ending normalisation).
"""

from __future__ import annotations

from enum import StrEnum
from typing import NewType

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from pydantic.dataclasses import dataclass

ArxivId = NewType("ArxivId", str)
"""An arXiv identifier without version: ``2503.12345`` or ``hep-th/9901001``."""

RepoSlug = NewType("RepoSlug", str)
"""A GitHub repository as ``owner/name``, in the case the list wrote it."""

HfRepoId = NewType("HfRepoId", str)
"""A Hugging Face repository id, ``owner/name`` or a legacy bare ``name``."""


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


_PART = ConfigDict(extra="forbid")
"""The parts of a :class:`Document` (links, entries, tags, headings...) and the rows of
a :class:`Report` (entries, links and the places citing them) are validated slotted
dataclasses, not models: a list has one of them per link and per entry, and a frozen
pydantic model carries a ``__dict__`` and a set of the fields it was given, about 2 KB
for a 15-field link against some 170 bytes in slots. That was most of the memory of a
run (issue 9: 120 times the size of the list)."""


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"

    @property
    def rank(self) -> int:
        """Higher is more severe; used to sort and to compare with ``--fail-on``."""
        return {"notice": 0, "warning": 1, "error": 2}[self.value]


class Verdict(StrEnum):
    OK = "ok"
    MOVED = "moved"
    BROKEN = "broken"
    TRANSIENT = "transient"
    SKIPPED = "skipped"


class LinkKind(StrEnum):
    ARXIV = "arxiv"
    GITHUB = "github"
    GIST = "gist"
    GITHUB_PAGES = "github-pages"
    HUGGINGFACE = "huggingface"
    KAGGLE = "kaggle"
    DOI = "doi"
    ACL_ANTHOLOGY = "acl-anthology"
    OPENREVIEW = "openreview"
    WEB = "web"
    ANCHOR = "anchor"
    FILE = "file"
    MAILTO = "mailto"
    OTHER_SCHEME = "other-scheme"
    EMPTY = "empty"
    MALFORMED = "malformed"


class LinkSyntax(StrEnum):
    """How the link is written; rules and ``--fix`` care (a reference link is fixed at its
    definition, an HTML attribute inside its quotes)."""

    INLINE = "inline"
    REFERENCE = "reference"
    AUTOLINK = "autolink"
    BARE = "bare"
    IMAGE = "image"
    HTML = "html"


@dataclass(frozen=True, slots=True, kw_only=True, config=_PART)
class ArxivRef:
    """What an arXiv link names; ``form`` is the URL's kind (abs, pdf, html, ftp, ...)."""

    id: ArxivId
    version: int | None = None
    form: str
    valid: bool = True


@dataclass(frozen=True, slots=True, kw_only=True, config=_PART)
class GithubRef:
    """What a github.com link names. ``path_kind`` is ``tree``/``blob``/``issues``/``pull``...
    or None for the repository itself."""

    slug: RepoSlug
    path_kind: str | None = None
    ref: str | None = None
    path: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, config=_PART)
class HfRef:
    repo_type: str = Field(pattern="^(models|datasets|spaces)$")
    repo_id: HfRepoId


@dataclass(frozen=True, slots=True, kw_only=True, config=_PART)
class Link:
    """One link as written. ``line``/``column`` point at the first character of the URL
    as written (for a reference link, in its definition; for an empty link, where the URL
    would stand); ``text_line``/``text_column`` at where the link starts in the text."""

    url: str
    text: str = ""
    line: int = Field(ge=1)
    column: int = Field(ge=1)
    text_line: int = Field(ge=1)
    text_column: int = Field(ge=1)
    syntax: LinkSyntax
    kind: LinkKind = LinkKind.WEB
    arxiv: ArxivRef | None = None
    github: GithubRef | None = None
    hf: HfRef | None = None
    reference: str | None = None
    entry: int | None = None
    """Index into ``Document.entries`` of the entry holding this link, if any."""
    block: int = 0
    """Ordinal of the top-level Markdown block holding the link (links of one table of
    contents share it)."""
    list_depth: int | None = None
    """Nesting depth of the list item holding the link (0 = top level), None outside lists."""


@dataclass(frozen=True, slots=True, kw_only=True, config=_PART)
class Heading:
    level: int = Field(ge=1, le=6)
    text: str
    slug: str
    """The anchor GitHub gives this heading, with ``-1``, ``-2`` for repeats."""
    line: int = Field(ge=1)
    column: int = Field(ge=1)


@dataclass(frozen=True, slots=True, kw_only=True, config=_PART)
class HtmlAnchor:
    """An ``<a name=...>`` or ``id=...`` in the file: also a valid ``#fragment`` target."""

    name: str
    line: int = Field(ge=1)
    column: int = Field(ge=1)


class TagKind(StrEnum):
    MONTH = "month"
    VENUE = "venue"
    ARXIV = "arxiv"
    OTHER = "other"


@dataclass(frozen=True, slots=True, kw_only=True, config=_PART)
class Tag:
    """A bracketed tag before a title, such as 【202503】, [ICLR 2024] or [arxiv 2310.12773]."""

    raw: str
    text: str
    kind: TagKind
    line: int = Field(ge=1)
    column: int = Field(ge=1)
    year: int | None = None
    month: int | None = None
    arxiv_id: ArxivId | None = None


class EntryShape(StrEnum):
    """How an entry is written; the report counts entries by shape, so a reader can see
    which parts of a list listcheck understood."""

    LIST_ITEM = "list-item"
    TABLE_ROW = "table-row"
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    HTML_TABLE_ROW = "html-table-row"
    HTML_LIST_ITEM = "html-list-item"


class SectionKind(StrEnum):
    HEADING = "heading"
    HTML_HEADING = "html-heading"
    DETAILS = "details"
    LIST_GROUP = "list-group"
    """A list item that heads a nested list of entries ("- Papers" over the papers)."""


@dataclass(frozen=True, slots=True, kw_only=True, config=_PART)
class Section:
    """A part of the list a reader sees as one group: under a Markdown heading, an HTML
    ``<h2>``, or a ``<details><summary>`` group (which GitHub renders as a fold-out box of
    its own, so two of them under one heading are two groups)."""

    title: str
    kind: SectionKind
    level: int = Field(ge=0)
    line: int = Field(ge=1)
    column: int = Field(ge=1)
    parent: int | None = None
    """Index into ``Document.sections`` of the enclosing section."""


@dataclass(frozen=True, slots=True, kw_only=True, config=_PART)
class Entry:
    """A paper: a list item, table row, paragraph, heading or HTML row that carries a
    title and (usually) links."""

    section: tuple[str, ...]
    """Section titles from the top of the document down to this entry."""
    section_index: int | None
    """Index into ``Document.headings`` of the Markdown heading the entry sits under."""
    section_key: int | None = None
    """Index into ``Document.sections`` of the innermost section the entry sits in."""
    shape: EntryShape = EntryShape.LIST_ITEM
    line: int = Field(ge=1)
    column: int = Field(ge=1)
    end_line: int = Field(ge=1)
    text: str
    """The entry's plain text (Markdown removed)."""
    title: str | None = None
    title_line: int | None = None
    title_column: int | None = None
    name: str | None = None
    """A short bold name before the title, e.g. ``**TOFU**``."""
    tags: tuple[Tag, ...] = ()
    links: tuple[int, ...] = ()
    """Indexes into ``Document.links``."""
    in_table: bool = False


class Document(Frozen):
    path: str
    text: str = Field(repr=False)
    lines: tuple[str, ...] = Field(repr=False)
    """The file's lines without their line endings, as written."""
    headings: tuple[Heading, ...] = ()
    sections: tuple[Section, ...] = ()
    html_anchors: tuple[HtmlAnchor, ...] = ()
    entries: tuple[Entry, ...] = ()
    links: tuple[Link, ...] = ()
    comments: tuple[Comment, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True, config=_PART)
class Comment:
    """An HTML comment (``<!-- ... -->``); the home of inline suppressions."""

    text: str
    line: int = Field(ge=1)
    column: int = Field(ge=1)
    end_line: int = Field(ge=1)


class Finding(Frozen):
    rule: str
    severity: Severity
    path: str
    line: int = Field(ge=1)
    column: int = Field(ge=1)
    message: str
    url: str | None = None
    suggestion: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True, config=_PART)
class Place:
    path: str
    line: int = Field(ge=1)
    column: int = Field(ge=1)


@dataclass(frozen=True, slots=True, kw_only=True, config=_PART)
class LinkResult:
    """One row per unique URL in the JSON report: the verdict and every place citing it."""

    url: str
    kind: LinkKind
    verdict: Verdict
    status: int | None = None
    final_url: str | None = None
    detail: str = ""
    places: tuple[Place, ...] = ()
    reason: str | None = None
    """Why a ``transient`` or ``skipped`` link got no answer, as data (the detail says it
    in words): one of :class:`~listcheck.checkers.base.Reason`'s values (``no-dns``,
    ``host-stopped``, ``deadline``, ``quota``, ``rate-limited``, ``token-rejected``,
    ``blocked``); None otherwise.
    Last, so the fields before it keep their order."""


LINK_ROWS: TypeAdapter[tuple[LinkResult, ...]] = TypeAdapter(tuple[LinkResult, ...])
"""Validates a report's link rows in one call (far cheaper than a call per row)."""


@dataclass(frozen=True, slots=True, kw_only=True, config=_PART)
class EntrySummary:
    path: str
    line: int = Field(ge=1)
    column: int = Field(ge=1)
    section: tuple[str, ...]
    title: str | None
    tags: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()


class FileReading(Frozen):
    """What listcheck could read of one file: entries by shape, how many have a title,
    and how many external links sit in no entry (the entry checks never see those)."""

    entries: int = 0
    titled: int = 0
    shapes: dict[str, int] = Field(default_factory=dict)
    external_links: int = 0
    links_outside_entries: int = 0


class Stats(Frozen):
    files: int = 0
    entries: int = 0
    links: int = 0
    unique_urls: int = 0
    findings: dict[str, int] = Field(default_factory=dict)
    """Counts by severity."""
    verdicts: dict[str, int] = Field(default_factory=dict)
    wall_time_s: float = 0.0
    requests: dict[str, int] = Field(default_factory=dict)
    """Requests sent per host."""
    offline: bool = True
    reading: dict[str, FileReading] = Field(default_factory=dict)
    """Per file path: what was read of it."""


class LinkHistory(Frozen):
    """How long a URL has been failing across runs (from the result cache)."""

    url: str
    consecutive_failures: int = Field(ge=0)
    first_failed_at: float | None = None
    """Unix time the current streak of failures began."""


class Report(Frozen):
    """The whole result of a run; ``--format json`` is exactly this model (``history``
    and ``notes`` are left out of it: the JSON contract is fixed; the nightly report
    reads history, the CLI prints the notes)."""

    version: str
    files: tuple[str, ...]
    entries: tuple[EntrySummary, ...]
    links: tuple[LinkResult, ...]
    findings: tuple[Finding, ...]
    stats: Stats
    history: tuple[LinkHistory, ...] = Field(default=(), exclude=True)
    notes: tuple[str, ...] = Field(default=(), exclude=True)
    """One-line notes about the run itself (a withheld token, a cache problem), for
    standard error; like ``history``, not part of the JSON contract."""


Document.model_rebuild()
