"""``listcheck add ARXIV_ID|URL ... [--section NAME] [--list PATH] [--dry-run]``.

All or nothing: every paper is fetched, placed, written in the section's style and read
back before a byte is written, so one refusal (an unknown id, a duplicate, an entry
that would not read back as intended) leaves the list exactly as it was.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from listcheck.add.fill import Filler, Supplied
from listcheck.add.learn import SectionStyle, learn
from listcheck.add.numbering import move_numbers_up, numbered
from listcheck.add.paper import Paper, arxiv_id_of, fetch_papers
from listcheck.add.parts import AuthorStyle, Venue, learn_authors, preprint_form
from listcheck.add.place import place
from listcheck.add.render import Rendered, choose_model, generic_label, render, unfilled
from listcheck.add.sections import (
    display,
    entries_of,
    propose,
    resolve,
)
from listcheck.add.write import write_list
from listcheck.config import load_config
from listcheck.errors import ConfigError, ExitCode, InputError
from listcheck.fix.apply import LINE_BREAK, unified_diff
from listcheck.models import ArxivId, Document, Entry, TagKind
from listcheck.parse import parse_document
from listcheck.reader import read_list
from listcheck.rules.misplaced import not_for_papers
from listcheck.safe_write import refusal

Ask = Callable[[str], str | None]
"""Asks the person at the terminal one question; None when there is no one to ask."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise ConfigError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="listcheck add",
        description="Add papers to a list, each written like the entries of its section.",
    )
    parser.add_argument(
        "papers", nargs="+", metavar="ARXIV_ID|URL", help="arXiv ids or arXiv URLs (any form)"
    )
    parser.add_argument(
        "--section",
        metavar="NAME",
        help='the section to add to: its heading, its path ("Technique > 2025") or the '
        "heading's line number; without it, the closest section is proposed",
    )
    parser.add_argument(
        "--list",
        type=Path,
        default=Path("README.md"),
        metavar="PATH",
        dest="list_path",
        help="the list to add to (default: README.md)",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the change as a unified diff")
    parser.add_argument(
        "--venue",
        metavar="TEXT",
        help="where the paper appeared, when the section writes venues and arXiv names none",
    )
    parser.add_argument(
        "--description",
        metavar="TEXT",
        help="the entry's description, when the section's entries carry one",
    )
    parser.add_argument(
        "--config", type=Path, help="listcheck.toml, or a pyproject.toml with [tool.listcheck]"
    )
    return parser


@dataclass(frozen=True)
class Added:
    paper: Paper
    section: str
    line: int
    how: str


def run_add(argv: Sequence[str], stdout: TextIO, stderr: TextIO, ask: Ask) -> int:
    args = build_parser().parse_args(argv)
    config = load_config(args.config, Path.cwd())
    path: Path = args.list_path
    original = read_list(path, config.max_file_size)
    refused = None if args.dry_run else refusal(path)
    if refused is not None:
        raise InputError(f"{path}: {refused}; listcheck add writes only a regular file")
    ids = list(dict.fromkeys(arxiv_id_of(word) for word in args.papers))
    supplied = Supplied(venue=_option(args.venue), description=_option(args.description))
    if len(ids) > 1 and (supplied.venue or supplied.description):
        raise ConfigError("--venue and --description describe one paper; add papers one at a time")
    papers = fetch_papers(ids, config)
    text = original
    added: list[Added] = []
    for paper in papers:
        text, done = add_one(text, str(path), paper, args.section, ask, supplied)
        added.append(done)
    if args.dry_run:
        stdout.write(unified_diff(str(path), original, text))
        stdout.flush()
        return ExitCode.CLEAN
    write_list(path, text, original=original)
    for done in added:
        stderr.write(
            f"listcheck: added arXiv {done.paper.id} to {done.section!r} at line {done.line}"
            f" ({done.how})\n"
        )
    return ExitCode.CLEAN


def _option(value: str | None) -> str | None:
    if value is None:
        return None
    text = " ".join(value.split())
    if not text:
        raise ConfigError("--venue and --description need some text")
    return text


def add_one(
    text: str,
    path: str,
    paper: Paper,
    section: str | None,
    ask: Ask,
    supplied: Supplied | None = None,
) -> tuple[str, Added]:
    doc = parse_document(text, path)
    key = resolve(doc, section) if section is not None else _chosen(doc, paper, ask)
    name = display(doc, key)
    entries = entries_of(doc, key)
    _refuse_duplicate(doc, entries, paper.id, name)
    placement = place(doc, entries, paper.year_month, paper.title)
    style_entries = entries or _nearest_entries(doc, key)
    style = learn(doc, style_entries)
    near = placement.line if placement is not None else doc.sections[key].line
    filler = Filler(paper, _authors(doc, style), _preprint(doc, style), supplied or Supplied())
    model = choose_model(style, paper, near, filler)
    if model is None:
        reasons = "; ".join(style.refused[:2]) or "it has no entries"
        raise InputError(
            f"section {name!r}: no entry listcheck can copy the form of ({reasons});"
            " nothing was written"
        )
    missing = unfilled(model, filler)
    if missing:
        raise InputError(
            f"cannot add arXiv {paper.id} to section {name!r}: its entries carry"
            f" {'; '.join(missing)}; nothing was written"
        )
    rendered = render(model, paper, style, style.donors, filler)
    ending = _line_ending(text)
    new_lines = LINE_BREAK.split(rendered.block)
    lines = LINE_BREAK.split(text)
    if placement is not None:
        at = placement.line
        insert = [*new_lines]
        if _blank_separated(lines, entries, doc):
            insert = ["", *insert] if placement.before is None else [*insert, ""]
        how = f"{placement.order.value}, like line {model.entry.line}"
    else:
        at, insert = _empty_section_slot(lines, doc.sections[key].line, new_lines)
        how = f"the section was empty; written like line {model.entry.line}"
    if paper.code_url is not None and rendered.code_url is None:
        how += f"; without its code link {paper.code_url} ({_no_code_why(style)})"
    renumber: list[int] = []
    if placement is not None:
        insert, renumber = numbered(lines, entries, at, insert)
    new_text = _insert(text, lines, ending, at, insert)
    if renumber:
        new_text = move_numbers_up(new_text, [line + len(insert) for line in renumber])
    first = at + (1 if insert and insert[0] == "" else 0)
    names_papers = bool(style.url_form) or any(
        model.tag_kind is TagKind.ARXIV for model in style.models
    )
    _verify(new_text, path, doc, first, paper, rendered, name, names_papers)
    return new_text, Added(paper, name, first, how)


def _no_code_why(style: SectionStyle) -> str:
    labels = [d.code_label for d in style.donors if d.has_code]
    if not labels:
        return "the section links no code"
    if not any(generic_label(label) for label in labels):
        return f"the section labels code links with what arXiv does not say, e.g. {labels[0]!r}"
    return "the section's code links could not be copied"


def _authors(doc: Document, style: SectionStyle) -> AuthorStyle | None:
    if not style.authors:
        return None
    if any(len(a.names) > 1 and not a.etal for a in style.authors):
        return learn_authors(style.authors)
    return learn_authors(style.authors, learn(doc, doc.entries).authors)


def _preprint(doc: Document, style: SectionStyle) -> Venue | None:
    """The section's preprint marker, else the list's when the section has no
    paper on arXiv alone to learn it from."""
    if any(venue.preprint for venue in style.venues):
        return preprint_form(style.venues)
    if not style.venues:
        return None
    return preprint_form(learn(doc, doc.entries).venues)


def _chosen(doc: Document, paper: Paper, ask: Ask) -> int:
    proposal = propose(doc, paper)
    if proposal is None:
        raise ConfigError(
            f"no section of {doc.path} shares a word with arXiv {paper.id}; name one with --section"
        )
    name = display(doc, proposal.key)
    question = (
        f"add arXiv {paper.id} ({paper.title!r}) to section {name!r}? ({proposal.why}) [Y/n] "
    )
    answer = ask(question)
    if answer is None:
        raise ConfigError(
            f"--section is needed when not at a terminal; the closest section to arXiv"
            f" {paper.id} is {name!r} ({proposal.why})"
        )
    if answer.strip().lower() not in ("", "y", "yes"):
        raise ConfigError("nothing was added; name the section with --section")
    return proposal.key


def _refuse_duplicate(
    doc: Document, entries: Sequence[Entry], arxiv_id: ArxivId, name: str
) -> None:
    for entry in entries:
        ids = {doc.links[i].arxiv.id for i in entry.links if doc.links[i].arxiv is not None}  # type: ignore[union-attr]
        ids |= {tag.arxiv_id for tag in entry.tags if tag.arxiv_id is not None}
        if arxiv_id in ids:
            raise InputError(
                f"arXiv {arxiv_id} is already in section {name!r} at {doc.path}:{entry.line};"
                " nothing was written"
            )


def _nearest_entries(doc: Document, key: int) -> list[Entry]:
    """An empty section is written like the nearest section of its own level that has
    entries (a sibling topic), else the nearest of any level."""
    target = doc.sections[key]
    refused = not_for_papers(doc)
    keys = sorted(
        (k for k in range(len(doc.sections)) if entries_of(doc, k) and k not in refused),
        key=lambda k: (
            doc.sections[k].level != target.level,
            abs(doc.sections[k].line - target.line),
        ),
    )
    return entries_of(doc, keys[0]) if keys else []


def _blank_separated(lines: Sequence[str], entries: Sequence[Entry], doc: Document) -> bool:
    """Whether the section sets its entries apart with a blank line (entries of
    several lines, paragraphs), so the new one must be set apart the same way; a
    section of one entry is judged by the list's other sections."""

    def gaps(pairs: Iterable[tuple[Entry, Entry]]) -> list[bool]:
        return [not lines[b.line - 2].strip() for a, b in pairs if b.line >= 2]

    found = gaps(itertools.pairwise(entries)) or gaps(
        (a, b) for a, b in itertools.pairwise(doc.entries) if a.section_key == b.section_key
    )
    return bool(found) and sum(found) * 2 > len(found)


def _line_ending(text: str) -> str:
    match = LINE_BREAK.search(text)
    return match.group(0) if match is not None else "\n"


def _empty_section_slot(
    lines: Sequence[str], heading_line: int, block: list[str]
) -> tuple[int, list[str]]:
    """After the heading, with a blank line around the entry as Markdown lists have."""
    after = heading_line + 1  # the line the entry goes before
    if after <= len(lines) and not lines[after - 1].strip():
        after += 1
        tail = [""] if after <= len(lines) and lines[after - 1].strip() else []
        return after, [*block, *tail]
    return after, ["", *block, ""]


def _insert(text: str, lines: list[str], ending: str, at: int, insert: list[str]) -> str:
    if at > len(lines) or (at == len(lines) and lines[-1] == ""):
        # After the last line: a file that ends without a line break gets one first.
        body = text if text.endswith(("\n", "\r")) or not text else text + ending
        return body + ending.join(insert) + ending
    starts = [0]
    starts.extend(match.end() for match in LINE_BREAK.finditer(text))
    offset = starts[at - 1]
    return text[:offset] + ending.join(insert) + ending + text[offset:]


def _verify(
    new_text: str,
    path: str,
    before: Document,
    line: int,
    paper: Paper,
    rendered: Rendered,
    name: str,
    style_names_papers: bool,
) -> None:
    """The new entry must read back as an entry with the paper's title and links, and
    every other entry as before; otherwise nothing is written."""
    after = parse_document(new_text, path)
    entry = next((e for e in after.entries if e.line == line), None)
    problem = None
    if entry is not None and not entry.links:
        problem = (
            "its entries link code, not papers, and the paper names no code repository"
            if rendered.arxiv_url is None
            else "it would have no link"
        )
    elif len(after.entries) != len(before.entries) + 1:
        problem = "the list would not gain exactly one entry"
    elif entry is None:
        problem = "it would not read as an entry"
    elif " ".join((entry.title or "").split()) != paper.title:
        problem = f"its title would read as {entry.title!r}"
    else:
        urls = {after.links[i].url for i in entry.links}
        wanted = {u for u in (rendered.arxiv_url, rendered.code_url) if u is not None}
        if not wanted <= urls:
            problem = "its links would not read back"
        elif (
            rendered.arxiv_url is None
            and not any(tag.arxiv_id == paper.id for tag in entry.tags)
            and (rendered.code_url is None or style_names_papers)
        ):
            # A section whose own entries link only code gets the paper's code link
            # alone; anywhere else an entry must name its paper.
            problem = "it would name the paper nowhere"
    if problem is not None:
        raise InputError(
            f"cannot add arXiv {paper.id} to section {name!r}: {problem}; nothing was written"
        )


def terminal_ask(stdin: TextIO, stderr: TextIO) -> Ask:
    def ask(question: str) -> str | None:
        if not (stdin.isatty() and stderr.isatty()):
            return None
        stderr.write(f"listcheck: {question}")
        stderr.flush()
        reply = stdin.readline()
        return reply if reply else "n"

    return ask
