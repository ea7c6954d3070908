"""Writing the new entry: the model entry with the paper's parts swapped in.

Only the parts listed in :class:`~listcheck.add.style.Role` change; each is written the
way the model writes it (a month tag keeps its brackets and digit layout, an arXiv tag
its prefix, a venue tag its brackets). A code link comes only from the paper's own
comments or abstract: the model's is replaced by it, or dropped with the separator it
alone used; when the model has none, the code link of another entry of the section
(its label, brackets and separator) is copied after the arXiv link.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from listcheck.add.paper import Paper
from listcheck.add.style import Model, Role, SectionStyle, Span, removal_bounds
from listcheck.models import EntryShape, TagKind

DEFAULT_URL_FORM = "https://arxiv.org/abs/ID"
_MONTH_DIGITS = re.compile(r"(\d{4})(\D{0,2})(\d{1,2})")
_ARXIV_ID_TEXT = re.compile(r"\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?")
_SHORT_NAME = re.compile(r"^(?P<name>[^:]{1,30}):\s+\S")
_NAME_LIKE = re.compile(r"[A-Z0-9]")
"""A capital or digit after a word's first letter reads as a name (TOFU, HaluEval,
CrowS-Pairs, MMHal-Bench), where a capitalised word ("Forgetting") does not."""
_CLOSERS = "*_)]"


@dataclass(frozen=True)
class Rendered:
    block: str
    arxiv_url: str | None
    code_url: str | None
    """The code link written, if any (the paper may name one the section has no form for)."""


def choose_model(style: SectionStyle, paper: Paper, near_line: int) -> Model | None:
    """The section's most typical entry that fits this paper, nearest to where it goes."""

    def score(model: Model) -> tuple[bool, ...]:
        fillable = model.tag_kind is not TagKind.VENUE or paper.venue is not None
        names_paper = model.span(Role.ARXIV) is not None or model.tag_kind is TagKind.ARXIV
        return (
            names_paper,
            fillable,
            model.tag_form == style.tag_form,
            model.span(Role.ARXIV) is not None or not style.url_form,
            model.url_form == style.url_form,
            model.signature == style.signature,
            model.has_code == (paper.code_url is not None),
            paper.code_url is None or model.code_label in ("", style.code_label),
            model.span(Role.OTHER) is None,
            model.span(Role.NAME) is None or _short_name(paper.title) is not None,
        )

    if not style.models:
        return None
    return max(style.models, key=lambda m: (score(m), -abs(m.entry.line - near_line)))


def render(model: Model, paper: Paper, style: SectionStyle, donors: Sequence[Model]) -> Rendered:
    edits: list[tuple[int, int, str]] = []
    block = model.block
    in_html = model.entry.shape in (EntryShape.HTML_LIST_ITEM, EntryShape.HTML_TABLE_ROW)
    in_table = model.entry.shape is EntryShape.TABLE_ROW
    arxiv_url: str | None = None
    code_url = paper.code_url
    written_code: str | None = None
    for span in model.spans:
        if span.role is Role.TAG:
            edits.append((span.start, span.end, _tag(block[span.start : span.end], paper)))
        elif span.role is Role.TITLE:
            edits.append((span.start, span.end, _escape(paper.title, in_html, in_table)))
        elif span.role is Role.NAME:
            edits.append(_name_edit(block, span, paper))
        elif span.role is Role.ARXIV:
            form = model.url_form or style.url_form or DEFAULT_URL_FORM
            arxiv_url = form.replace("ID", paper.id, 1)
            edits.append((span.url_start, span.url_end, arxiv_url))
        elif span.role is Role.CODE and code_url is not None:
            edits.append((span.url_start, span.url_end, code_url))
            written_code = code_url
        elif span.role in (Role.CODE, Role.OTHER):
            start, end = removal_bounds(block, model.spans, span)
            edits.append((start, end, ""))
        elif span.role is Role.CELL:
            edits.append((span.start, span.end, _cell(block[span.start : span.end], paper)))
    if code_url is not None and written_code is None:
        insertion = _code_insertion(model, donors, code_url, style.code_label)
        if insertion is not None:
            edits.append(insertion)
            written_code = code_url
    return Rendered(_apply(block, edits), arxiv_url, written_code)


def _tag(raw: str, paper: Paper) -> str:
    year, month = paper.year_month
    from listcheck.parse.entries import classify_tag

    kind = classify_tag(raw[1:-1])[0] if len(raw) > 2 else TagKind.OTHER
    if kind is TagKind.MONTH:
        match = _MONTH_DIGITS.search(raw)
        if match is not None:
            width = len(match[3])
            new = f"{year}{match[2]}{month:0{width}d}"
            return raw[: match.start()] + new + raw[match.end() :]
    if kind is TagKind.ARXIV:
        return _ARXIV_ID_TEXT.sub(paper.id, raw, count=1)
    venue = paper.venue or f"arXiv {year}"
    return raw[:1] + venue + raw[-1:]


def _cell(written: str, paper: Paper) -> str:
    """A cell of the row's own: the paper's venue under a venue column, else blank (the
    padding kept, so an aligned table stays aligned)."""
    from listcheck.parse.entries import classify_tag

    width = len(written)
    if paper.venue is not None and classify_tag(written.strip())[0] is TagKind.VENUE:
        lead = len(written) - len(written.lstrip())
        text = " " * lead + paper.venue + " "
        return text.ljust(width)
    return " " * width


def _short_name(title: str) -> str | None:
    match = _SHORT_NAME.match(title)
    if match is None or len(match["name"].split()) > 3:
        return None
    if not any(_NAME_LIKE.search(word[1:]) for word in match["name"].split()):
        return None
    return match["name"].strip()


def _name_edit(block: str, span: Span, paper: Paper) -> tuple[int, int, str]:
    name = _short_name(paper.title)
    if name is not None:
        return span.start, span.end, name
    # No short name to give: the name goes with its emphasis and what follows it.
    start, end = span.start, span.end
    while start > 0 and block[start - 1] in "*_":
        start -= 1
    while end < len(block) and block[end] in "*_:":
        end += 1
    while end < len(block) and block[end] in " \t":
        end += 1
    return start, end, ""


def _code_insertion(
    model: Model, donors: Sequence[Model], code_url: str, label: str
) -> tuple[int, int, str] | None:
    """The donor's way of writing a code link after the paper link, fitted to the
    model: closers the two share (``**``, ``]``) are not doubled, brackets the snippet
    opens are closed the way the donor closes them."""
    paper_link = model.span(Role.ARXIV)
    if paper_link is None:
        return None
    for donor in sorted(
        donors, key=lambda d: (d.signature != model.signature, d.code_label != label)
    ):
        d_paper, d_code = donor.span(Role.ARXIV), donor.span(Role.CODE)
        if d_paper is None or d_code is None or d_code.start < d_paper.end:
            continue
        text = donor.block
        before_link = text[d_paper.end : d_code.start]
        if "\n" in before_link or "\r" in before_link or re.search(r"\w", before_link):
            continue
        rest = model.block[paper_link.end :]
        shared = 0
        while (
            shared < len(before_link)
            and shared < len(rest)
            and before_link[shared] in _CLOSERS
            and before_link[shared] == rest[shared]
        ):
            shared += 1
        lead = before_link[shared:]
        opens = sum(lead.count(c) for c in "[(") - sum(lead.count(c) for c in "])")
        closing = text[d_code.end : d_code.end + max(opens, 0)]
        if opens < 0 or any(c not in ")]" for c in closing):
            continue
        link = text[d_code.start : d_code.url_start] + code_url + text[d_code.url_end : d_code.end]
        at = paper_link.end + shared
        return at, at, lead + link + closing
    return None


def _escape(title: str, in_html: bool, in_table: bool) -> str:
    if in_html:
        return html.escape(title, quote=False)
    out = re.sub(r"([\\`\[\]<])", r"\\\1", title)
    if in_table:
        out = out.replace("|", "\\|")
    for mark in "*_":
        if out.count(mark) >= 2:
            out = out.replace(mark, "\\" + mark)
    return out


def _apply(block: str, edits: list[tuple[int, int, str]]) -> str:
    out = block
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        out = out[:start] + new + out[end:]
    return out
