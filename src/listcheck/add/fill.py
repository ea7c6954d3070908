"""What goes into each part of the new entry that is not a title or a link, and, when
nothing truthful can, which part it is and how the maintainer can supply it.

The rule is the one a careful maintainer keeps: every word of the new entry comes from
arXiv or from the person adding the paper. Authors are arXiv's list, written the way
the section writes lists. A venue is the one the journal reference or the comments
name as reached; failing that, for a paper on arXiv alone, the preprint marker the
section (or else the whole list) keeps to, with the year the paper was first posted;
failing that, ``--venue``. A description is only ever ``--description``.
"""

from __future__ import annotations

from dataclasses import dataclass

from listcheck.add.paper import Paper
from listcheck.add.parts import AuthorStyle, Venue, parse_date, parse_venue, write_date, write_venue
from listcheck.add.style import PART_ROLES, Model, Role


@dataclass(frozen=True)
class Supplied:
    """What the maintainer gave on the command line for what arXiv cannot say."""

    venue: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Filler:
    paper: Paper
    authors: AuthorStyle | None
    preprint: Venue | None
    """The marker for a paper on arXiv alone (``Preprint'25``), if the section or the
    list keeps to one."""
    supplied: Supplied

    def fill(self, role: Role, written: str) -> str | None:
        """The paper's text for a part written ``written`` in the model; None when
        nothing truthful can go there."""
        if role is Role.AUTHORS:
            if not self.paper.authors or self.authors is None:
                return None
            return self.authors.write(self.paper.authors)
        if role is Role.VENUE:
            venue = parse_venue(written)
            return self.venue(venue) if venue is not None else None
        if role is Role.DATE:
            date_form = parse_date(written)
            published = self.paper.published_on
            return write_date(published, date_form) if date_form and published else None
        if role is Role.DESCRIPTION:
            return self.supplied.description
        if role is Role.COMMENT:
            return ""
        return None

    def venue(self, form: Venue) -> str | None:
        """The venue in the form the model writes (``ACL'24``: name, ``'``, two digits)."""
        given = self.supplied.venue
        if given is not None:
            named = parse_venue(given)
            if named is None or named.tail:
                return given  # the maintainer's own words, as given
            return write_venue(named.name, _year(named.year), form)
        reached = self.paper.venue
        if reached is not None:
            named = parse_venue(reached)
            if named is not None:
                return write_venue(named.name, _year(named.year), form)
        if self.preprint is not None:
            published = self.paper.published_on
            year = published[0] if published else self.paper.year_month[0]
            return write_venue(self.preprint.name, year, self.preprint)
        return None

    def missing(self, model: Model) -> list[str]:
        """The parts of the model this paper cannot fill, each with what would fill it."""
        out: list[str] = []
        for span in model.spans:
            if span.role not in PART_ROLES:
                continue
            written = model.block[span.start : span.end]
            if self.fill(span.role, written) is not None:
                continue
            out.append(self._why(span.role, written))
        return list(dict.fromkeys(out))

    def why_venue(self, written: str) -> str:
        return self._why(Role.VENUE, written)

    def _why(self, role: Role, written: str) -> str:
        if role is Role.VENUE:
            return (
                f"a venue (the section writes {written!r}; arXiv names none for"
                f" {self.paper.id} and the list keeps no one preprint marker): give it with"
                " --venue"
            )
        if role is Role.DESCRIPTION:
            short = written if len(written) <= 40 else written[:37] + "..."
            return (
                f"a description (the section writes one, e.g. {short!r}): give it with"
                " --description"
            )
        if role is Role.AUTHORS:
            return f"the authors (arXiv lists none for {self.paper.id})"
        return f"the date (arXiv gave no submission date for {self.paper.id})"


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year
