"""How a section writes its entries, learned from the entries themselves.

Rather than describing a style in the abstract (and missing the detail that gives a
machine-written entry away), ``listcheck add`` copies one of the section's own entries,
its *model*, and swaps what belongs to the paper: the tag, the short name, the title,
the arXiv URL (in the model's own form: abs or pdf, ``.pdf`` or not) and the code link.
Everything else, the list marker, the brackets, the link labels and separators, the
table's pipes and padding, the HTML around it, stays as the maintainer wrote it.

The model is the entry that looks most like the section as a whole (its tag form, its
arXiv URL form and its bracket pattern are the section's most common), has a code link
exactly when the new paper has one, and sits nearest to where the paper goes. An entry
carrying text the paper cannot fill in (a description, an author list, a venue in the
middle of the line) is no model: its words would be copied into the new entry. A table
cell of such text is left blank instead, so the row keeps the section's columns.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from listcheck.add.parts import pieces
from listcheck.fix.apply import LINE_BREAK
from listcheck.models import Document, Entry, EntryShape, Link, LinkKind, LinkSyntax, TagKind

_CODE_LABELS = frozenset({"code", "github", "repo", "repository", "official code", "[code]"})
_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+", re.MULTILINE)
_ARXIV_ID_TEXT = re.compile(r"\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?")


class Role(Enum):
    TAG = "tag"
    NAME = "name"
    TITLE = "title"
    ARXIV = "arxiv"
    CODE = "code"
    OTHER = "other"
    CELL = "cell"
    AUTHORS = "authors"
    VENUE = "venue"
    DATE = "date"
    DESCRIPTION = "description"
    COMMENT = "comment"


PART_ROLES = frozenset({Role.AUTHORS, Role.VENUE, Role.DATE, Role.DESCRIPTION, Role.COMMENT})
"""Words of the entry the new paper fills from arXiv or the command line (see
:mod:`listcheck.add.parts`), never from the model."""


@dataclass(frozen=True)
class Span:
    """A piece of the model's block (offsets into the block) and what it holds. For a
    link, ``start``/``end`` cover the whole link and ``url_start``/``url_end`` its URL."""

    role: Role
    start: int
    end: int
    url_start: int = 0
    url_end: int = 0


@dataclass(frozen=True)
class Model:
    """One entry of the section, cut into the parts a new entry replaces."""

    entry: Entry
    block: str
    """The entry's lines as written, with their inner line endings."""
    spans: tuple[Span, ...]
    tag_form: str
    """The tag with its digits or id masked (``【999999】``, ``[arxiv ID]``, ``[V]``), or ""."""
    tag_kind: TagKind | None
    url_form: str
    """The arXiv URL with its id masked, or "" when the entry links no arXiv page."""
    signature: str
    """The block with every part masked and any code link left out: its bracket pattern."""
    code_label: str = ""
    """How the code link is labelled (``code``, ``Code``, ``github``), or ""."""

    def span(self, role: Role) -> Span | None:
        return next((span for span in self.spans if span.role is role), None)

    @property
    def has_code(self) -> bool:
        return self.span(Role.CODE) is not None


class Unusable(ValueError):
    """This entry cannot serve as a model; the message says why (for the refusal)."""


def line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(match.end() for match in LINE_BREAK.finditer(text))
    return starts


def block_bounds(text: str, starts: Sequence[int], entry: Entry) -> tuple[int, int]:
    """Offsets of the entry's first line start and last line end (before its ending)."""
    begin = starts[entry.line - 1]
    if entry.end_line < len(starts):
        ending = LINE_BREAK.search(text, starts[entry.end_line - 1])
        end = ending.start() if ending is not None else len(text)
    else:
        end = len(text)
    return begin, end


def is_code_link(link: Link) -> bool:
    if link.kind is LinkKind.GITHUB and link.github is not None:
        return link.github.path_kind in (None, "tree")
    return link.text.strip().strip("`*_ ").lower() in _CODE_LABELS


def cut_model(doc: Document, starts: Sequence[int], entry: Entry, *, donor: bool = False) -> Model:
    """The entry as a model; :class:`Unusable` when it cannot be copied faithfully. A
    *donor* only lends its way of writing a code link, so only its links must be read."""
    text = doc.text
    begin, end = block_bounds(text, starts, entry)
    block = text[begin:end]

    def at(line: int, column: int) -> int:
        return starts[line - 1] + column - 1 - begin

    spans: list[Span] = []
    for tag in entry.tags:
        if tag.kind is TagKind.OTHER:
            raise Unusable(
                f"line {entry.line}: its tag {tag.raw} is of no kind listcheck can write"
            )
        start = at(tag.line, tag.column)
        if block[start : start + len(tag.raw)] != tag.raw:
            raise Unusable(f"line {entry.line}: its tag is not where the parser saw it")
        spans.append(Span(Role.TAG, start, start + len(tag.raw)))
    title_start = len(block)
    if entry.title is None or entry.title_line is None or entry.title_column is None:
        if not donor:
            raise Unusable(f"line {entry.line}: it has no title")
    else:
        title_start = at(entry.title_line, entry.title_column)
        if block[title_start : title_start + len(entry.title)] != entry.title:
            if not donor:
                raise Unusable(f"line {entry.line}: its title is written with markup inside it")
        else:
            spans.append(Span(Role.TITLE, title_start, title_start + len(entry.title)))
    if entry.name and not donor:
        found = block.find(entry.name, 0, title_start)
        if found < 0:
            raise Unusable(f"line {entry.line}: its name is not before its title")
        spans.append(Span(Role.NAME, found, found + len(entry.name)))
    seen_arxiv = seen_code = False
    for index in entry.links:
        link = doc.links[index]
        if not entry.line <= link.text_line <= entry.end_line:
            raise Unusable(f"line {entry.line}: a link of it is defined elsewhere")
        role = Role.OTHER
        if link.kind is LinkKind.ARXIV and link.arxiv is not None and not seen_arxiv:
            role, seen_arxiv = Role.ARXIV, True
        elif is_code_link(link) and not seen_code:
            role, seen_code = Role.CODE, True
        spans.append(_link_span(block, link, at, role, entry.line))
    if not donor:
        spans = _title_link(spans, entry.line)
    spans.sort(key=lambda span: (span.start, -span.end))
    if entry.shape is EntryShape.TABLE_ROW:
        spans.extend(_free_cells(block, spans))
        spans.sort(key=lambda span: (span.start, -span.end))
    marks = [(m.start(), m.end()) for m in _LIST_MARKER.finditer(block)]
    parts = pieces(block, _covered(block, spans), marks)
    unknown = next((p for p in parts if p.kind == "unknown"), None)
    if unknown is not None and not donor:
        raise Unusable(
            f"line {entry.line}: it carries {block[unknown.start : unknown.end]!r},"
            " which is no part listcheck can fill"
        )
    spans.extend(Span(Role(p.kind), p.start, p.end) for p in parts if p.kind != "unknown")
    spans.sort(key=lambda span: (span.start, -span.end))
    first_tag = entry.tags[0] if entry.tags else None
    arxiv = next(
        (
            doc.links[i]
            for i in entry.links
            if doc.links[i].kind is LinkKind.ARXIV and doc.links[i].arxiv is not None
        ),
        None,
    )
    return Model(
        entry=entry,
        block=block,
        spans=tuple(spans),
        tag_form=mask_tag(first_tag.raw, first_tag.kind) if first_tag is not None else "",
        tag_kind=first_tag.kind if first_tag is not None else None,
        url_form=url_form(arxiv.url) if arxiv is not None else "",
        signature=_signature(block, spans),
        code_label=next(
            (
                doc.links[i].text
                for i in entry.links
                if is_code_link(doc.links[i]) and entry.line <= doc.links[i].text_line
            ),
            "",
        ),
    )


def _title_link(spans: list[Span], line: int) -> list[Span]:
    """A title linked to some other page (a project page) is the paper link when the
    entry links no arXiv page; otherwise its page is one listcheck cannot know."""
    title = next(span for span in spans if span.role is Role.TITLE)
    holder = next(
        (
            span
            for span in spans
            if span.role in (Role.CODE, Role.OTHER) and span.start <= title.start < span.end
        ),
        None,
    )
    if holder is None:
        return spans
    if any(span.role is Role.ARXIV for span in spans):
        raise Unusable(f"line {line}: its title links a page other than the paper's")
    promoted = Span(Role.ARXIV, holder.start, holder.end, holder.url_start, holder.url_end)
    return [promoted if span is holder else span for span in spans]


def url_form(url: str) -> str:
    return _ARXIV_ID_TEXT.sub("ID", url, count=1)


def mask_tag(raw: str, kind: TagKind) -> str:
    if kind is TagKind.MONTH:
        return re.sub(r"\d", "9", raw)
    if kind is TagKind.ARXIV:
        return _ARXIV_ID_TEXT.sub("ID", raw, count=1)
    if kind is TagKind.VENUE:
        return raw[:1] + "V" + raw[-1:]
    return "?"


def _link_span(
    block: str, link: Link, at: Callable[[int, int], int], role: Role, line: int
) -> Span:
    url_start = at(link.line, link.column)
    url_end = url_start + len(link.url)
    if block[url_start:url_end] != link.url:
        raise Unusable(f"line {line}: a link URL is not written as the parser read it")
    start = at(link.text_line, link.text_column)
    if link.syntax in (LinkSyntax.INLINE, LinkSyntax.IMAGE):
        close = block.find(")", url_end)
        if close < 0 or block[url_end:close].strip():
            raise Unusable(f"line {line}: a link has a title attribute")
        end = close + 1
    elif link.syntax is LinkSyntax.HTML:
        start = block.lower().rfind("<a", 0, url_start)
        close = block.lower().find("</a>", url_end)
        if close < 0:
            raise Unusable(f"line {line}: an HTML link is not closed on its lines")
        end = close + 4
    elif link.syntax is LinkSyntax.AUTOLINK:
        start, end = url_start - 1, url_end + 1
    elif link.syntax is LinkSyntax.BARE:
        start, end = url_start, url_end
    else:
        raise Unusable(f"line {line}: it uses a reference link")
    return Span(role, start, end, url_start, url_end)


def _cells(block: str) -> list[tuple[int, int]]:
    """Bounds of the table row's cells (between unescaped pipes)."""
    pipes = [m.start() for m in re.finditer(r"(?<!\\)\|", block)]
    return [(a + 1, b) for a, b in itertools.pairwise(pipes)]


def _free_cells(block: str, spans: Sequence[Span]) -> list[Span]:
    """Cells that hold none of the paper's parts: their words belong to the row they are
    in (a venue, a summary), so the new row leaves them blank."""
    free: list[Span] = []
    for start, end in _cells(block):
        if any(start <= span.start < end for span in spans):
            continue
        if re.search(r"\w", block[start:end]):
            free.append(Span(Role.CELL, start, end))
    return free


def _covered(block: str, spans: Sequence[Span]) -> list[bool]:
    covered = [False] * len(block)
    for span in spans:
        for i in range(span.start, span.end):
            covered[i] = True
    return covered


def _signature(block: str, spans: Sequence[Span]) -> str:
    parts: list[str] = []
    cursor = 0
    code = next((s for s in spans if s.role is Role.CODE), None)
    skip_from = skip_to = -1
    if code is not None:
        skip_from, skip_to = removal_bounds(block, spans, code)
    for span in spans:
        if span.start < cursor:
            continue  # nested (a title inside its link)
        if skip_from <= span.start < skip_to:
            parts.append(block[cursor:skip_from] if cursor < skip_from else "")
            cursor = max(skip_to, span.end)
            continue
        parts.append(block[cursor : span.start])
        parts.append(f"<{span.role.value}>")
        cursor = span.end
    parts.append(block[cursor:])
    return " ".join("".join(parts).split())


def removal_bounds(block: str, spans: Sequence[Span], span: Span) -> tuple[int, int]:
    """What to cut so that a link and the brackets and separator it alone uses go, and
    its neighbours keep theirs: ``, [code](…)`` in a group, `` [[code](…)]`` on its own."""
    start, end = span.start, span.end
    pairs = {"[": "]", "(": ")"}
    while start > 0 and end < len(block) and pairs.get(block[start - 1]) == block[end]:
        start, end = start - 1, end + 1
    head = start
    while head > 0 and block[head - 1] in " \t":
        head -= 1
    if head > 0 and block[head - 1] in ",|/·;":
        head -= 1
        while head > 0 and block[head - 1] in " \t":
            head -= 1
        return head, end
    if any(other.end <= start and other is not span for other in spans) and head < start:
        # No separator before it, but something before it: the blank between goes.
        return head, end
    tail = end
    while tail < len(block) and block[tail] in " \t":
        tail += 1
    if tail < len(block) and block[tail] in ",|/·;":
        tail += 1
        while tail < len(block) and block[tail] in " \t":
            tail += 1
        return start, tail
    return head, end
