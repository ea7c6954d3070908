"""What a section's entries have in common: the forms most of them share, the entries
that can serve as models, and every author list and venue they write (from which the
new entry's parts are written)."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from listcheck.add.parts import Authors, Venue, parse_authors, parse_venue
from listcheck.add.style import (
    Model,
    Role,
    Unusable,
    cut_model,
    line_starts,
    mask_tag,
    url_form,
)
from listcheck.models import Document, Entry, LinkKind, TagKind


@dataclass(frozen=True)
class SectionStyle:
    """What most of a section's entries do, and the entries that could serve as models."""

    models: tuple[Model, ...]
    refused: tuple[str, ...]
    """Why each other entry is no model (the first few go into a refusal)."""
    tag_form: str
    url_form: str
    signature: str
    code_label: str = ""
    donors: tuple[Model, ...] = ()
    """Every entry whose links could be read: where a code link's form is learned."""
    authors: tuple[Authors, ...] = ()
    """Every author list the section's entries write."""
    venues: tuple[Venue, ...] = ()
    """Every venue the section's entries write, tags and venue parts alike."""


def learn(doc: Document, entries: Sequence[Entry]) -> SectionStyle:
    starts = line_starts(doc.text)
    models: list[Model] = []
    donors: list[Model] = []
    refused: list[str] = []
    for entry in entries:
        try:
            models.append(cut_model(doc, starts, entry))
        except Unusable as exc:
            refused.append(str(exc))
            with contextlib.suppress(Unusable):
                donors.append(cut_model(doc, starts, entry, donor=True))
    tag_forms = Counter(_entrymask_tag(entry) for entry in entries)
    url_forms = Counter(
        url_form(doc.links[i].url)
        for entry in entries
        for i in entry.links
        if doc.links[i].kind is LinkKind.ARXIV and doc.links[i].arxiv is not None
    )
    signatures = Counter(model.signature for model in models)
    readable = (*models, *donors)
    return SectionStyle(
        models=tuple(models),
        refused=tuple(refused),
        tag_form=_most(tag_forms),
        url_form=_most(url_forms),
        signature=_most(signatures),
        code_label=_most(Counter(m.code_label for m in models if m.code_label)),
        donors=readable,
        authors=tuple(
            a
            for m in readable
            for span in m.spans
            if span.role is Role.AUTHORS
            and (a := parse_authors(m.block[span.start : span.end], emphasized=True))
        ),
        venues=tuple(venues_of(readable)),
    )


def venues_of(models: Sequence[Model]) -> list[Venue]:
    found: list[Venue] = []
    for model in models:
        for span in model.spans:
            text = model.block[span.start : span.end]
            if span.role is Role.TAG and model.tag_kind is TagKind.VENUE:
                text = text[1:-1]
            elif span.role is not Role.VENUE:
                continue
            venue = parse_venue(text)
            if venue is not None:
                found.append(venue)
    return found


def _entrymask_tag(entry: Entry) -> str:
    return mask_tag(entry.tags[0].raw, entry.tags[0].kind) if entry.tags else ""


def _most(counts: Counter[str]) -> str:
    return counts.most_common(1)[0][0] if counts else ""
