"""What a ``#fragment`` reaches in one document, and how a fixed fragment is written back.

Both anchor rules and the self-link recogniser need the same reading of a fragment, so
it lives here once. Fragments are matched the way a reader on github.com experiences them:

* percent-escapes are decoded first (``#%E4%BD%A0`` is ``#你``);
* ``#`` alone and ``#top`` (any case) scroll to the top of the page in every browser;
* GitHub renders each anchor as ``id="user-content-<slug>"`` and its page script maps a
  fragment onto that prefix, so ``#user-content-foo`` works as well as ``#foo``;
* matching is case-sensitive first and then, as GitHub's script retries with the
  fragment lowercased, on the lowercased fragment. Heading anchors are always lowercase,
  so ``#Installation`` works on github.com and is not reported: ``anchor/not-found``'s
  severity is "error", and a link that works where the list is read is not one. An HTML
  anchor ``<a name="Foo">`` matches ``#Foo`` but not ``#foo``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from listcheck.models import Document, Heading
from listcheck.slugs import base_slugs

_GITHUB_PREFIX = "user-content-"
_NUMBERED = re.compile(r"(.*)-(\d+)")
_FUZZY_CUTOFF = 85.0
_FUZZY_MARGIN = 5.0
_UNSAFE_IN_FRAGMENT = frozenset("%()<>[]\"'`#\\")


def fragment_of(url: str) -> str:
    """The decoded fragment of a ``#...`` link (without the ``#``)."""
    _, _, raw = url.partition("#")
    return unquote(raw, errors="replace")


def written_fragment(name: str) -> str:
    """``name`` as a fragment that reads back as ``name`` and can stand in a Markdown
    link: blanks, controls and characters with a meaning there are percent-encoded,
    everything else (non-ASCII letters too) stays as GitHub's own TOCs write it."""
    return "".join(
        quote(char, safe="")
        if char in _UNSAFE_IN_FRAGMENT or char.isspace() or not char.isprintable()
        else char
        for char in name
    )


def _goes_to_top(fragment: str) -> bool:
    return fragment == "" or fragment.lower() == "top"


def with_fragment(url: str, anchor: str) -> str:
    """``url`` with its fragment replaced by ``anchor``: the rest stays as written."""
    head, _, _ = url.partition("#")
    return f"{head}#{written_fragment(anchor)}"


@dataclass(frozen=True)
class AnchorIndex:
    """Every target a fragment can reach in one document."""

    headings: Sequence[Heading]
    by_slug: dict[str, int]
    """Final anchor -> index into ``headings``."""
    html_names: frozenset[str]
    groups: dict[str, tuple[int, ...]]
    """Anchor before numbering -> the headings sharing it, in document order."""
    bases: Sequence[str]
    """Each heading's anchor before numbering."""
    _by_level: dict[tuple[str, int | None], list[int]] = field(default_factory=dict)
    _choices: list[str] = field(default_factory=list)
    """Every anchor a fuzzy suggestion may offer, gathered on the first dead anchor."""

    @classmethod
    def of(cls, doc: Document) -> AnchorIndex:
        groups: defaultdict[str, list[int]] = defaultdict(list)
        by_slug: dict[str, int] = {}
        bases = base_slugs(heading.text for heading in doc.headings)
        for index, (heading, base) in enumerate(zip(doc.headings, bases, strict=True)):
            groups[base].append(index)
            by_slug.setdefault(heading.slug, index)  # a browser stops at the first
        return cls(
            headings=doc.headings,
            by_slug=by_slug,
            html_names=frozenset(anchor.name for anchor in doc.html_anchors),
            groups={base: tuple(members) for base, members in groups.items()},
            bases=bases,
        )

    def resolve(self, fragment: str) -> int | str | None:
        """The heading index or HTML anchor name the fragment reaches on GitHub, or None.

        A document-top fragment resolves to ``""``.
        """
        if _goes_to_top(fragment):
            return ""
        names = [fragment]
        if fragment.startswith(_GITHUB_PREFIX):
            names.append(fragment[len(_GITHUB_PREFIX) :])
        for name in names:
            for candidate in dict.fromkeys((name, name.lower())):
                if candidate in self.by_slug:
                    return self.by_slug[candidate]
                if candidate in self.html_names:
                    return candidate
        return None

    def group_of(self, heading: int) -> tuple[int, ...]:
        return self.groups[self.bases[heading]]

    def group_at_level(self, heading: int, level: int | None) -> list[int]:
        """The heading's same-text group, narrowed to one level unless ``level`` is None;
        remembered, as a long table of contents asks for the same few groups again."""
        key = (self.bases[heading], level)
        if key not in self._by_level:
            self._by_level[key] = [
                member
                for member in self.group_of(heading)
                if level is None or self.headings[member].level == level
            ]
        return self._by_level[key]

    def suggest(self, fragment: str, *, fuzzy: bool = True) -> str | None:
        """The anchor a missing fragment most likely meant, if one stands out; with
        ``fuzzy`` False, only the exact fix of a numbered anchor (``#x-1`` of one ``x``).

        Whatever is offered is checked against this same index first: a fix that would
        not resolve, or would only reach the top of the page, is never suggested.
        """
        wanted = fragment.lower()
        numbered = _NUMBERED.fullmatch(wanted)
        group = self.groups.get(numbered[1], ()) if numbered else ()
        if len(group) == 1:
            return self._verified(self.headings[group[0]].slug)
        if not fuzzy:
            return None
        if not self._choices:
            self._choices.extend(slug for slug in self.by_slug if slug)
            self._choices.extend(sorted(self.html_names))
        from rapidfuzz import fuzz, process  # only a missing anchor needs it

        best = process.extract(wanted, self._choices, scorer=fuzz.ratio, limit=2)
        if not best or best[0][1] < _FUZZY_CUTOFF:
            return None
        if len(best) > 1 and best[0][1] - best[1][1] < _FUZZY_MARGIN:
            return None
        return self._verified(str(best[0][0]))

    def _verified(self, anchor: str) -> str | None:
        target = self.resolve(anchor)
        return anchor if target is not None and target != "" else None
