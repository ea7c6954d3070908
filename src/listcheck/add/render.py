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

from listcheck.add.fill import Filler
from listcheck.add.learn import SectionStyle
from listcheck.add.paper import Paper
from listcheck.add.parts import parse_venue
from listcheck.add.style import PART_ROLES, Model, Role, Span, removal_bounds
from listcheck.models import EntryShape, TagKind

DEFAULT_URL_FORM = "https://arxiv.org/abs/ID"
_MONTH_DIGITS = re.compile(r"(\d{4})(\D{0,2})(\d{1,2})")
_ARXIV_ID_TEXT = re.compile(r"\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?")
_SHORT_NAME = re.compile(r"^(?P<name>[^:]{1,30}):\s+\S")
_NAME_LIKE = re.compile(r"[A-Z0-9]")
"""A capital or digit after a word's first letter reads as a name (TOFU, HaluEval,
CrowS-Pairs, MMHal-Bench), where a capitalised word ("Forgetting") does not."""
_CLOSERS = "*_)]"
_GENERIC_LABEL_WORDS = frozenset(
    {"code", "github", "repo", "repository", "official", "project", "source", "src", "git"}
)


@dataclass(frozen=True)
class Rendered:
    block: str
    arxiv_url: str | None
    code_url: str | None
    """The code link written, if any (the paper may name one the section has no form for)."""


def choose_model(style: SectionStyle, paper: Paper, near_line: int, filler: Filler) -> Model | None:
    """The section's most typical entry that fits this paper, nearest to where it goes."""

    code_url = code_to_write(style, paper)

    def score(model: Model) -> tuple[bool, ...]:
        fillable = not unfilled(model, filler)
        names_paper = model.span(Role.ARXIV) is not None or model.tag_kind is TagKind.ARXIV
        return (
            names_paper,
            fillable,
            model.tag_form == style.tag_form,
            model.span(Role.ARXIV) is not None or not style.url_form,
            model.url_form == style.url_form,
            model.signature == style.signature,
            model.has_code == (code_url is not None),
            code_url is None or model.code_label in ("", style.code_label),
            model.span(Role.COMMENT) is None,
            model.span(Role.OTHER) is None,
            model.span(Role.NAME) is None or _short_name(paper.title) is not None,
        )

    if not style.models:
        return None
    return max(style.models, key=lambda m: (score(m), -abs(m.entry.line - near_line)))


def render(
    model: Model, paper: Paper, style: SectionStyle, donors: Sequence[Model], filler: Filler
) -> Rendered:
    edits: list[tuple[int, int, str]] = []
    block = model.block
    in_html = model.entry.shape in (EntryShape.HTML_LIST_ITEM, EntryShape.HTML_TABLE_ROW)
    in_table = model.entry.shape is EntryShape.TABLE_ROW
    arxiv_url: str | None = None
    code_url = code_to_write(style, paper)
    written_code: str | None = None
    for span in model.spans:
        if span.role is Role.TAG:
            tag = _tag(block[span.start : span.end], paper, filler)
            if tag is None:
                raise ValueError("the venue tag cannot be filled")  # unfilled() said so first
            edits.append((span.start, span.end, tag))
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
        elif span.role is Role.COMMENT:
            start = span.start
            while start > 0 and block[start - 1] in " \t":
                start -= 1
            edits.append((start, span.end, ""))
        elif span.role in PART_ROLES:
            text = filler.fill(span.role, block[span.start : span.end])
            if text is None:
                raise ValueError(f"{span.role.value} cannot be filled")  # choose_model saw to it
            written = text if span.role is Role.VENUE else _escape(text, in_html, in_table)
            if block[span.end : span.end + 1] in (".", "!", "?") and written.endswith(
                block[span.end]
            ):
                written = written[:-1]  # the model's own full stop follows
            edits.append((span.start, span.end, written))
    if code_url is not None and written_code is None:
        insertion = _code_insertion(model, donors, code_url, style.code_label)
        if insertion is not None:
            edits.append(insertion)
            written_code = code_url
    return Rendered(_apply(block, edits), arxiv_url, written_code)


def unfilled(model: Model, filler: Filler) -> list[str]:
    """What of the model this paper cannot fill, said for the refusal ([] when all is)."""
    missing = filler.missing(model)
    tag = model.span(Role.TAG)
    if model.tag_kind is TagKind.VENUE and tag is not None:
        raw = model.block[tag.start : tag.end]
        if _tag(raw, filler.paper, filler) is None:
            missing.insert(0, filler.why_venue(raw))
    return missing


def generic_label(label: str) -> bool:
    """A code link label that says only that it is code (``code``, ``[official code]``)."""
    words = re.findall(r"\w+", label.lower())
    return all(word in _GENERIC_LABEL_WORDS for word in words)


def _tag(raw: str, paper: Paper, filler: Filler) -> str | None:
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
    written = parse_venue(raw[1:-1])
    venue = filler.venue(written) if written is not None else paper.venue
    return raw[:1] + venue + raw[-1:] if venue is not None else None


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
    while start > 0 and block[start - 1] in "*_[(":
        start -= 1
    while end < len(block) and block[end] in "*_:])":
        end += 1
    while end < len(block) and block[end] in " \t":
        end += 1
    return start, end, ""


def _code_insertion(
    model: Model, donors: Sequence[Model], code_url: str, label: str
) -> tuple[int, int, str] | None:
    """The donor's way of writing a code link after the part it follows (the paper
    link, or the venue in ``, Wen et al., CVPR 2023 | [github](…)``), fitted to the
    model: closers the two share (``**``, ``]``) are not doubled, brackets the snippet
    opens are closed the way the donor closes them."""
    for donor in sorted(
        donors, key=lambda d: (d.signature != model.signature, d.code_label != label)
    ):
        d_code = donor.span(Role.CODE)
        if d_code is None or not generic_label(donor.code_label):
            continue
        d_prev = max(
            (s for s in donor.spans if s.end <= d_code.start and s.role is not Role.TITLE),
            key=lambda s: (s.end, -s.start),
            default=None,
        )
        anchor = (
            max(
                (s for s in model.spans if s.role is d_prev.role), key=lambda s: s.end, default=None
            )
            if d_prev is not None and d_prev.role in (Role.ARXIV, Role.VENUE, Role.AUTHORS)
            else None
        )
        if d_prev is None or anchor is None:
            continue
        text = donor.block
        before_link = text[d_prev.end : d_code.start]
        if "\n" in before_link or "\r" in before_link or re.search(r"\w", before_link):
            continue
        rest = model.block[anchor.end :]
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
        at = anchor.end + shared
        return at, at, lead + link + closing
    return None


def code_to_write(style: SectionStyle, paper: Paper) -> str | None:
    """The paper's code link, unless every code link of the section carries a label
    arXiv cannot fill (``official code - caffe`` names a framework)."""
    labels = [d.code_label for d in style.donors if d.has_code]
    if paper.code_url is None or (labels and not any(generic_label(x) for x in labels)):
        return None
    return paper.code_url


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
