"""Which section a paper goes to: the one named, or the closest one, said with why.

``--section`` matches a section's title as a reader sees it (case and a trailing colon
aside); a title used twice (``Safety Alignment`` under *Datasets* and under
*Applications*) is told apart by its path, ``Applications > Safety Alignment``.

Without ``--section`` the closest section is proposed: the words of the paper's title
and abstract against the section's own name (a strong sign: a section is named for
its topic) and against its entries' titles (how often each word comes up there).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from listcheck.add.paper import Paper
from listcheck.errors import ConfigError
from listcheck.models import Document, Entry
from listcheck.rules.misplaced import not_for_papers

PATH_SEPARATOR = " > "
_WORD = re.compile(r"[a-z][a-z0-9]+")
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "from",
        "into",
        "via",
        "that",
        "this",
        "these",
        "those",
        "are",
        "our",
        "its",
        "their",
        "was",
        "were",
        "has",
        "have",
        "had",
        "not",
        "but",
        "can",
        "all",
        "any",
        "more",
        "most",
        "such",
        "than",
        "then",
        "them",
        "they",
        "when",
        "where",
        "which",
        "while",
        "who",
        "will",
        "also",
        "based",
        "using",
        "use",
        "used",
        "towards",
        "toward",
        "new",
        "via",
        "over",
        "under",
        "between",
        "large",
        "model",
        "models",
        "paper",
        "papers",
        "approach",
        "method",
        "methods",
        "study",
    ]
)
NAME_WEIGHT = 3.0


def clean_title(title: str) -> str:
    return " ".join(title.strip().rstrip(":：").split())


def section_path(doc: Document, key: int) -> tuple[str, ...]:
    path: list[str] = []
    current: int | None = key
    while current is not None:
        section = doc.sections[current]
        path.append(clean_title(section.title))
        current = section.parent
    return tuple(reversed(path))


def display(doc: Document, key: int) -> str:
    """The shortest path that names the section alone; a path the list repeats
    (``Technique > 2025`` under two headings of one level) gets its heading's line."""
    path = section_path(doc, key)
    for size in range(1, len(path) + 1):
        tail = path[-size:]
        if sum(1 for k in range(len(doc.sections)) if section_path(doc, k)[-size:] == tail) == 1:
            return PATH_SEPARATOR.join(tail)
    return f"{PATH_SEPARATOR.join(path)} (line {doc.sections[key].line})"


def entries_of(doc: Document, key: int) -> list[Entry]:
    return [entry for entry in doc.entries if entry.section_key == key]


_LINE = re.compile(r"(?:line\s*|L)?(?P<line>\d{1,7})", re.IGNORECASE)


def resolve(doc: Document, name: str) -> int:
    """The section ``--section NAME`` names: by its title, its path (``Technique >
    2025``) or its heading's line number; :class:`ConfigError` when none or several do."""
    by_line = _LINE.fullmatch(name.strip())
    at_line = (
        [k for k in range(len(doc.sections)) if doc.sections[k].line == int(by_line["line"])]
        if by_line is not None
        else []
    )
    try:
        by_name = _by_name(doc, name)
    except ConfigError:
        if at_line:
            return at_line[0]
        raise
    if at_line and at_line[0] not in by_name:
        by_name = [*by_name, at_line[0]]
    if len(by_name) == 1:
        return by_name[0]
    if not by_name:
        if by_line is not None:
            raise ConfigError(
                f"no section of {doc.path} is named {name!r} or has its heading on that line"
            )
        raise ConfigError(f"no section is named {name!r} in {doc.path}")
    named = ", ".join(
        f"{PATH_SEPARATOR.join(section_path(doc, key))!r} (line {doc.sections[key].line})"
        for key in by_name
    )
    raise ConfigError(
        f"several sections are named {name!r} in {doc.path}: {named};"
        " give --section a longer path or the heading's line number"
    )


def _by_name(doc: Document, name: str) -> list[int]:
    wanted = tuple(
        clean_title(part).casefold() for part in name.split(PATH_SEPARATOR.strip()) if part
    )
    if not wanted:
        raise ConfigError("--section needs a section name")
    matches = [
        key
        for key in range(len(doc.sections))
        if tuple(p.casefold() for p in section_path(doc, key)[-len(wanted) :]) == wanted
    ]
    if not matches and len(wanted) > 1:
        # "Bias/Unfairness" style titles hold the separator's character themselves.
        whole = clean_title(name).casefold()
        matches = [
            key
            for key in range(len(doc.sections))
            if clean_title(doc.sections[key].title).casefold() == whole
        ]
    return matches


@dataclass(frozen=True)
class Proposal:
    key: int
    why: str


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.casefold()) if w not in _STOP and len(w) > 2]


def candidates(doc: Document) -> list[int]:
    """Sections a paper can go to: those holding papers, and empty innermost ones (a
    list being started), never a table of contents or a contributing section."""
    parents = {section.parent for section in doc.sections}
    keys: list[int] = []
    refused = not_for_papers(doc)
    for key in range(len(doc.sections)):
        if key in refused:
            continue
        entries = entries_of(doc, key)
        papers = [
            entry
            for entry in entries
            if any(doc.links[i].arxiv is not None for i in entry.links)
            or any(tag.arxiv_id is not None for tag in entry.tags)
        ]
        if papers or (not entries and key not in parents):
            keys.append(key)
    return keys


def propose(doc: Document, paper: Paper, among: Sequence[int] | None = None) -> Proposal | None:
    paper_words = set(_words(paper.title)) | set(_words(paper.summary))
    best: tuple[float, int, set[str], list[str]] | None = None
    for key in among if among is not None else candidates(doc):
        name_words = set(_words(clean_title(doc.sections[key].title))) & paper_words
        titles = [entry.title for entry in entries_of(doc, key) if entry.title]
        counts: Counter[str] = Counter()
        for title in titles:
            counts.update(set(_words(title)) & paper_words)
        score = NAME_WEIGHT * len(name_words) + sum(n / len(titles) for n in counts.values())
        if best is None or score > best[0]:
            common = [w for w, _ in counts.most_common(3)]
            best = (score, key, name_words, common)
    if best is None or best[0] <= 0:
        return None
    _, key, name_words, common = best
    reasons: list[str] = []
    if name_words:
        reasons.append("its name shares " + ", ".join(repr(w) for w in sorted(name_words)))
    if common:
        reasons.append("its entries' titles often say " + ", ".join(repr(w) for w in common))
    return Proposal(key, "; ".join(reasons))
