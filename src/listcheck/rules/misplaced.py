"""entry/misplaced: a paper entry under a heading that is not for papers.

A contributor who adds a paper at the end of the file lands it under whatever heading
comes last: "Contributing", "License", "Citation", "Acknowledgements", "Star History".
GitHub renders it there, far from the papers it belongs with, and nobody looks for it
under "License". The rule names the section that fits it best instead.

Which sections are not for papers is read from their heading alone (the whole heading,
letters only, so "License that Allows Commercial Use" and "Knowledge Updates" are
still what they say): contributing, license, citation, acknowledgements, contact and
feedback, table of contents, star history and lists of other lists, with every
section nested in one that is not itself a section of papers. "News" and "Updates" are
not among them: lists announce papers there on purpose.

A paper entry is an entry with a link naming a paper (:func:`link_identity`: arXiv, a
DOI, OpenReview, a proceedings page, a PDF) or an ``[arxiv ID]`` tag, written the way
the list writes its papers (the shape most entries of the paper sections have: list
item, table row or paragraph). Left alone, because a maintainer put them there on
purpose:

* in a citation section, the list's own paper: every entry unless the section holds a
  BibTeX record naming neither the entry's arXiv id nor its title (without one,
  nothing tells the list's paper from a stray one);
* an entry the text presents as an example (``e.g.``, "for example", "format",
  "template" on its line or the line before): contributing guides show one.

The suggestion is the paper section whose words the entry's title shares most: each
shared word counts by how rare it is among the paper sections (a word every section
has says nothing), twice when it is in the section's heading, and by the share of the
section's entries whose titles have it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator

from listcheck.models import Document, Entry, Finding, Section
from listcheck.rules.base import LintContext, finding, offline_rule
from listcheck.rules.entries import housekeeping_sections, paper_sections, short_title
from listcheck.rules.identity import link_identity

_NOT_PAPERS = re.compile(
    r"(?:how to )?contribut\w*(?: guide(?:lines?)?)?|contributors?"
    r"|licen[cs]es?|citations?|cite(?: us| this(?: \w+)?)?|how to cite(?: \w+)?|bibtex"
    r"|acknowledge?ments?|thanks|contacts?(?: us| me)?|contact (?:and )?feedback|feedback"
    r"|(?:table of )?contents|toc|star history|stargazers"
    r"|(?:other |related )(?:awesome )?(?:\w+ )?(?:lists|repos|repositories|projects)"
    r"|awesome lists"
)
"""Whole headings (lowercased, letters only) of sections that are not lists of papers."""
_CITATION = re.compile(r"citations?|cite\b.*|how to cite.*|bibtex")
_NOT_LETTERS = re.compile(r"[^a-z]+")
_BIBTEX = re.compile(r"@\w+\s*\{", re.ASCII)
_EXAMPLE = re.compile(
    r"\be\.\s?g\.|\bfor (?:example|instance)\b|\bexample\b|\bformat\b|\btemplate\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{3,}")
_STOP = frozenset(
    {"the", "and", "for", "with", "via", "from", "into", "towards", "toward", "using"}
    | {"use", "its", "our", "are", "can", "not", "how", "what", "when", "why", "all"}
    | {"any", "this", "that", "these", "those", "their", "than", "through"}
)


def _heading_words(title: str) -> str:
    return _NOT_LETTERS.sub(" ", title.lower()).strip()


def not_for_papers(doc: Document) -> frozenset[int]:
    """The sections (by key) whose heading says they are not for papers (contributing,
    citation, license, other lists ...), with the groups nested in them, and the sections
    about the list itself: where ``listcheck add`` never puts a paper."""
    return frozenset(_not_paper_sections(doc, paper_sections(doc))) | housekeeping_sections(doc)


def _not_paper_sections(doc: Document, papers: frozenset[int | None]) -> dict[int, str]:
    """Sections that are not for papers, with the heading that says so. A nested section
    inherits its ancestor's, unless its own entries make it a section of papers (a list
    whose title heading reads "Awesome Lists" holds its papers under it)."""
    found: dict[int, str] = {}
    for key, section in enumerate(doc.sections):
        if _NOT_PAPERS.fullmatch(_heading_words(section.title)):
            found[key] = section.title
        elif section.parent is not None and section.parent in found and key not in papers:
            found[key] = found[section.parent]
    return found


def _is_paper(doc: Document, entry: Entry) -> bool:
    if any(tag.arxiv_id is not None for tag in entry.tags):
        return True
    for index in entry.links:
        key = link_identity(doc.links[index])
        if key is not None and key.paper:
            return True
    return False


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.casefold()) if w not in _STOP}


def _section_text(doc: Document, key: int, entry: Entry) -> str:
    """The lines from the section's heading to the next section's, but the entry's."""
    start = doc.sections[key].line
    later = [s.line for s in doc.sections if s.line > start]
    end = min(later, default=len(doc.lines) + 1)
    return "\n".join(
        doc.lines[n - 1] for n in range(start, end) if not entry.line <= n <= entry.end_line
    )


def _own_citation(doc: Document, key: int, entry: Entry) -> bool:
    """Whether the entry in this citation section is the paper the list asks to cite."""
    text = _section_text(doc, key, entry)
    if not _BIBTEX.search(text):
        return True
    folded = text.casefold()
    ids = {tag.arxiv_id for tag in entry.tags if tag.arxiv_id}
    ids |= {ref.id for i in entry.links if (ref := doc.links[i].arxiv) is not None and ref.valid}
    if any(arxiv_id.casefold() in folded for arxiv_id in ids):
        return True
    title = _words(entry.title or "")
    return bool(title) and len(title & _words(text)) >= 0.8 * len(title)


def _is_example(doc: Document, entry: Entry) -> bool:
    """Whether the entry's line, or the last text before it, presents it as an example."""
    own = doc.lines[entry.line - 1] if entry.line <= len(doc.lines) else ""
    before = next(
        (
            doc.lines[n - 1]
            for n in range(min(entry.line, len(doc.lines) + 1) - 1, 0, -1)
            if doc.lines[n - 1].strip()
        ),
        "",
    )
    return bool(_EXAMPLE.search(own) or _EXAMPLE.search(before))


class _Fit:
    """The paper sections as bags of words, to say which one an entry fits best."""

    def __init__(self, doc: Document, keys: frozenset[int | None]) -> None:
        self.sections: list[tuple[int, set[str], Counter[str], int]] = []
        titles: dict[int, list[Entry]] = {}
        for entry in doc.entries:
            if entry.section_key is not None and entry.section_key in keys:
                titles.setdefault(entry.section_key, []).append(entry)
        seen: Counter[str] = Counter()
        for key, entries in titles.items():
            heading = _words(" ".join(entries[0].section))
            counts: Counter[str] = Counter()
            for entry in entries:
                counts.update(_words(entry.title or entry.text))
            self.sections.append((key, heading, counts, len(entries)))
            seen.update(heading | set(counts))
        total = len(self.sections)
        self.idf = {word: math.log((total + 1) / (n + 0.5)) for word, n in seen.items()}

    def best(self, entry: Entry) -> int | None:
        words = _words(entry.title or entry.text)
        scored = []
        for key, heading, counts, size in self.sections:
            score = sum(
                self.idf.get(w, 0.0) * (2.0 * (w in heading) + counts[w] / size) for w in words
            )
            scored.append((score, -key, key))
        top = max(scored, default=None)
        return top[2] if top is not None and top[0] > 0 else None


def _dominant_shape(doc: Document, keys: frozenset[int | None]) -> set[str]:
    shapes = Counter(e.shape.value for e in doc.entries if e.section_key in keys)
    if not shapes:
        return set()
    most = max(shapes.values())
    return {shape for shape, n in shapes.items() if n == most}


def _where(section: Section) -> str:
    return f'"{section.title}" (line {section.line})'


@offline_rule("entry/misplaced")
def entry_misplaced(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """Paper entries under a heading that is not for papers, with the best home."""
    keys = paper_sections(doc)
    not_papers = _not_paper_sections(doc, keys)
    if not not_papers:
        return
    shapes = _dominant_shape(doc, keys)
    fit: _Fit | None = None
    for entry in doc.entries:
        key = entry.section_key
        if key is None or key not in not_papers or entry.shape.value not in shapes:
            continue
        if not _is_paper(doc, entry) or _is_example(doc, entry):
            continue
        if _CITATION.fullmatch(_heading_words(not_papers[key])) and _own_citation(doc, key, entry):
            continue
        fit = fit or _Fit(doc, keys)
        home = fit.best(entry)
        message = (
            f'paper "{short_title(entry)}" is under "{doc.sections[key].title}", '
            "which is not a section of papers"
        )
        suggestion = None
        if home is not None:
            message += f"; it fits best under {_where(doc.sections[home])}"
            suggestion = f"move it under {_where(doc.sections[home])}"
        yield finding(
            doc, "entry/misplaced", entry.line, entry.column, message, suggestion=suggestion
        )
