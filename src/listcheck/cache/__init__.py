"""What listcheck learned recently, kept so the next run need not ask the network again.

:class:`ResultCache` (in :mod:`~listcheck.cache.store`) is the one thing the rest of
listcheck uses; the package splits its promises by who keeps them: the store never lets
a problem with the file fail a run, :mod:`~listcheck.cache.policy` says how long each
kind of answer is served, :mod:`~listcheck.cache.sql` keeps every write atomic and never
misreads a file of another version, and :mod:`~listcheck.cache.opening` refuses unsafe
paths and moves a damaged file aside instead of destroying it.
"""

from listcheck.cache.store import FailureHistory, ResultCache

__all__ = ["FailureHistory", "ResultCache"]
