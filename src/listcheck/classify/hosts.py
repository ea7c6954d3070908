"""The host table: which reader each known host's paths go to.

Adding a service means one line here (and a reader module when its paths name
something); the dispatch never changes. One dict lookup per link, no matching.
"""

from __future__ import annotations

from collections.abc import Callable

from listcheck.classify.arxiv import ARXIV_HOSTS, classify_arxiv
from listcheck.classify.github import classify_github
from listcheck.classify.huggingface import classify_huggingface
from listcheck.classify.result import PLAIN, Classified
from listcheck.models import LinkKind


def _kind(kind: LinkKind) -> Callable[[str], Classified]:
    plain = PLAIN[kind]
    return lambda _path: plain


def _aclweb(path: str) -> Classified:
    is_anthology = path.startswith("/anthology")
    return PLAIN[LinkKind.ACL_ANTHOLOGY if is_anthology else LinkKind.WEB]


HOST_HANDLERS: dict[str, Callable[[str], Classified]] = {
    **dict.fromkeys(ARXIV_HOSTS, classify_arxiv),
    "github.com": classify_github,
    "www.github.com": classify_github,
    "gist.github.com": _kind(LinkKind.GIST),
    "raw.githubusercontent.com": _kind(LinkKind.WEB),
    "huggingface.co": classify_huggingface,
    "www.huggingface.co": classify_huggingface,
    "hf.co": classify_huggingface,
    "kaggle.com": _kind(LinkKind.KAGGLE),
    "www.kaggle.com": _kind(LinkKind.KAGGLE),
    "doi.org": _kind(LinkKind.DOI),
    "dx.doi.org": _kind(LinkKind.DOI),
    "www.doi.org": _kind(LinkKind.DOI),
    "aclanthology.org": _kind(LinkKind.ACL_ANTHOLOGY),
    "www.aclanthology.org": _kind(LinkKind.ACL_ANTHOLOGY),
    "aclweb.org": _aclweb,
    "www.aclweb.org": _aclweb,
    "openreview.net": _kind(LinkKind.OPENREVIEW),
    "www.openreview.net": _kind(LinkKind.OPENREVIEW),
}
"""Lower-cased host -> reader of that host's paths; hosts not here are plain web pages."""


def classify_host(host: str, path: str) -> Classified:
    """What a URL on ``host`` (lower-cased, no trailing dot) with ``path`` names."""
    handler = HOST_HANDLERS.get(host)
    if handler is not None:
        return handler(path)
    if host.endswith(".github.io"):
        return PLAIN[LinkKind.GITHUB_PAGES]
    return PLAIN[LinkKind.WEB]
