"""URL -> kind and identity: which service can check a link, and what it names there.

:func:`classify_url` (in :mod:`~listcheck.classify.dispatch`) is what the rest of
listcheck calls, and :class:`Classified` is its answer. Behind it, each module keeps one
kind of knowledge: :mod:`~listcheck.classify.split` the syntax of an http(s) URL,
:mod:`~listcheck.classify.pasted` the debris copied along with one, the host table in
:mod:`~listcheck.classify.hosts`, and one reader per service whose paths name something
(:mod:`~listcheck.classify.arxiv`, :mod:`~listcheck.classify.github`,
:mod:`~listcheck.classify.huggingface`).
"""

from listcheck.classify.dispatch import classify_url, malformed_reason
from listcheck.classify.result import Classified

__all__ = ["Classified", "classify_url", "malformed_reason"]
