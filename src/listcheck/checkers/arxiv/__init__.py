"""The arXiv service: :mod:`~listcheck.checkers.arxiv.service` says which links it
claims and what its answers mean for a link, :mod:`~listcheck.checkers.arxiv.entries`
what they mean for an entry (its title, an id named in a tag),
:mod:`~listcheck.checkers.arxiv.checker` asks the export API in paced batches, and
:mod:`~listcheck.checkers.arxiv.feed` reads its Atom answers."""
