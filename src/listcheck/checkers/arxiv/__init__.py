"""The arXiv service: :mod:`~listcheck.checkers.arxiv.service` says which links it
claims and what its answers mean for a link, :mod:`~listcheck.checkers.arxiv.entries`
what they mean for an entry (its title, an id named in a tag),
:mod:`~listcheck.checkers.arxiv.checker` asks the export API in batches, at the pace
:mod:`~listcheck.checkers.arxiv.pacing` keeps, :mod:`~listcheck.checkers.arxiv.feed`
reads its Atom answers and :mod:`~listcheck.checkers.arxiv.answers` says what an
answer means for each id asked."""
