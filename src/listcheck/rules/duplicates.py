"""``entry/duplicate``: one paper listed twice in one section.

The rule reasons per section (see :mod:`listcheck.rules.entries`), because the same
paper is deliberately repeated under "Safety Alignment" and "Privacy Compliance", and
only a repeat inside one section is a copy-paste slip.

Two entries are the same paper when they share the paper's own link
(:func:`~listcheck.rules.identity.link_identity`). Only an entry with no such link is
known by its other links (project page, repository, model, dataset, demo), because two
papers of one group often share a repository or a project page and are still two
papers. A shared key is then weighed against the two titles: one title twice is a
repeat, two titles behind one paper id is a wrong link.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from listcheck.models import Document, Entry, Finding
from listcheck.rules.base import LintContext, finding, offline_rule
from listcheck.rules.entries import entry_links, housekeeping_sections, short_title
from listcheck.rules.identity import arxiv_key, link_identity


def _section_key(entry: Entry) -> int | None:
    """The group a reader sees an entry in (a heading, a ``<details>`` group, a list item
    heading a nested list); a repeat is a slip only inside one group."""
    return entry.section_key


_SAME_PAPER_TITLE = 85
"""The score (0-100) of two entries behind one paper id at or above which they are one
paper listed twice, below which one of the two links is wrong: the better of
rapidfuzz's ``partial_ratio`` (one text runs on into a summary, or drops a subtitle)
and ``token_set_ratio`` (one adds words: "Paper A" and "Paper A, again"). On the real
lists the same paper scores 100; the two papers pasted with one id score 47 (dair-ai
802/804) and 63 (diff-usion 4223/4228). The error to avoid is calling one paper two
(it blames a correct line too), so the bar for "two" is low."""

_SAME_ARTIFACT_TITLE = 90
"""rapidfuzz ``ratio`` (0-100) at or above which two entries without a paper link that
share a repository, page or dataset are one paper listed twice. Whole-title and strict,
because here a wrong "same" is a false finding: two papers of one group sharing one
repository share words too ("High-Resolution Image Synthesis with Latent Diffusion
Models" and "Text-Guided Synthesis of Artistic Images with Retrieval-Augmented Diffusion
Models" score 61, "Machine Unlearning in/of Pre-trained Large Language Models" 88)."""


@dataclass(frozen=True, slots=True)
class _Identity:
    """The keys naming an entry's paper, each with how a message shows it. One is kept
    for every entry of a list while the rule runs, hence slots and a tuple."""

    entry: Entry
    keys: tuple[tuple[str, str], ...]
    paper: bool
    """The keys are the paper's own links; otherwise its code, data, page or demo."""
    lead: str | None
    """The key of the entry's first link when that link is an artifact (a dataset, a
    model, a repository, a project page) rather than the paper: what the entry lists."""


def _identity(doc: Document, entry: Entry) -> _Identity:
    """The paper an entry lists: its paper links when it has any (and an ``[arxiv ID]``
    tag, as dataset entries cite their paper), else its other links."""
    own_name = posixpath.basename(doc.path.replace("\\", "/")) or "README.md"
    found = [link_identity(link, own_name) for link in entry_links(doc, entry)]
    keys = [key for key in found if key is not None]
    lead = keys[0].key if keys and not keys[0].paper else None
    keys += [arxiv_key(tag.arxiv_id) for tag in entry.tags if tag.arxiv_id is not None]
    papers = [key for key in keys if key.paper]
    chosen = papers or keys
    labels = {key.key: key.label for key in chosen}
    return _Identity(entry, tuple(labels.items()), bool(papers), lead)


_WORD = re.compile(r"\w+")


def _title_words(entry: Entry) -> str:
    """The entry's title words as a reader compares two entries (its whole text when it
    has no title): two papers of one group share authors and venue, not titles."""
    return " ".join(_WORD.findall((entry.title or entry.text).casefold()))


def _same_title(first: Entry, later: Entry, *, paper: bool) -> bool:
    """Whether two entries' titles name one paper (see :data:`_SAME_PAPER_TITLE` and
    :data:`_SAME_ARTIFACT_TITLE`). Without words to compare, a shared paper id is taken
    as one paper (nothing says a link is wrong) and a shared artifact is not."""
    a, b = _title_words(first), _title_words(later)
    if not a or not b:
        return paper
    from rapidfuzz import fuzz

    if paper:
        score = max(fuzz.partial_ratio(a, b), fuzz.token_set_ratio(a, b))
        return score >= _SAME_PAPER_TITLE
    return fuzz.ratio(a, b) >= _SAME_ARTIFACT_TITLE


def _repeat_findings(
    doc: Document, first: _Identity, later: _Identity, label: str
) -> list[Finding]:
    """What two entries sharing one key (shown as ``label``) are, told on their lines:

    - two artifacts built on one paper (HC3 and HC3-Chinese, both citing the paper that
      made them; a model and its chat variant): nothing, their own first links differ;
    - one title twice: the later entry repeats the earlier;
    - two titles behind one paper id: one of the two links is wrong; nothing tells
      offline which (the earlier entry is the slip as often as the later), so both
      lines are told, each naming the other, and the online arXiv title check says
      which one it is;
    - two titles sharing a repository, page or demo: two papers of one group, nothing.
    """
    paper = first.paper and later.paper
    if paper and first.lead and later.lead and first.lead != later.lead:
        return []
    if _same_title(first.entry, later.entry, paper=paper):
        message = f"same paper as line {first.entry.line} ({label})"
        return [finding(doc, "entry/duplicate", later.entry.line, later.entry.column, message)]
    if not paper:
        return []
    return [
        finding(
            doc,
            "entry/duplicate",
            here.line,
            here.column,
            f'line {other.line} ("{short_title(other)}") also links {label}, '
            "under a different title: one of the two links is wrong",
        )
        for here, other in ((later.entry, first.entry), (first.entry, later.entry))
    ]


@offline_rule("entry/duplicate")
def duplicate(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """The later of two entries in one section that list the same paper; both, when one
    paper id stands behind two different titles."""
    seen: dict[tuple[int | None, str], _Identity] = {}
    housekeeping = housekeeping_sections(doc)
    for entry in doc.entries:
        section = _section_key(entry)
        if section in housekeeping:
            continue
        identity = _identity(doc, entry)
        for key, label in identity.keys:
            earlier = seen.get((section, key))
            found = _repeat_findings(doc, earlier, identity, label) if earlier else []
            yield from found
            if found:
                break
        # What a later entry is compared with needs no keys (nor their labels).
        kept = _Identity(entry, (), identity.paper, identity.lead)
        for key, _ in identity.keys:
            seen.setdefault((section, key), kept)
