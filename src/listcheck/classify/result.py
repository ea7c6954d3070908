"""The answer every classifier in this package gives, kept apart so the per-host readers
and the dispatch share one model and one set of shared instances without importing each
other.

Kinds that carry no reference (a web page, an anchor, a malformed URL) are answered with
the one instance in :data:`PLAIN`, so the cache in :mod:`~listcheck.classify.dispatch`
holds tens of thousands of answers without tens of thousands of objects.
"""

from __future__ import annotations

from pydantic import ConfigDict, TypeAdapter
from pydantic.dataclasses import dataclass

from listcheck.models import ArxivRef, GithubRef, HfRef, LinkKind


@dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid"))
class Classified:
    """What a URL names; exactly the reference matching ``kind`` is set. Slotted, as
    the parts of a document are: the classify cache holds tens of thousands."""

    kind: LinkKind
    arxiv: ArxivRef | None = None
    github: GithubRef | None = None
    hf: HfRef | None = None


CLASSIFIED: TypeAdapter[Classified] = TypeAdapter(Classified)
"""Builds a :class:`Classified` with its reference from plain data in one validation,
which costs about half of building the two models apart: it matters at tens of thousands
of links."""

PLAIN: dict[LinkKind, Classified] = {kind: Classified(kind=kind) for kind in LinkKind}
"""The shared answer for each kind, used whenever a URL names no paper or repository."""
