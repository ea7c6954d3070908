"""Which arXiv paper an arXiv URL names, in any of the forms lists link papers by:
abstract, PDF, HTML rendering, the other download forms and the old FTP paths.

The hosts arXiv has served papers from live here too, beside the paths they serve; the
host table in :mod:`~listcheck.classify.hosts` sends them all here.
"""

from __future__ import annotations

import re

from listcheck.arxiv_ids import parse_arxiv_id
from listcheck.classify.result import CLASSIFIED, PLAIN, Classified
from listcheck.models import LinkKind

ARXIV_HOSTS = frozenset(
    {
        "arxiv.org",
        "www.arxiv.org",
        "export.arxiv.org",
        "browse.arxiv.org",
        "xxx.lanl.gov",
        "lanl.arxiv.org",
        "de.arxiv.org",
        "cn.arxiv.org",
        "es.arxiv.org",
        "in.arxiv.org",
    }
)
"""Hosts that serve arXiv papers: the site, its API host, the host of the 2023 beta
abstract pages (``browse.arxiv.org``, which now redirects to arxiv.org), the original LANL
host and the retired mirrors, all of which still appear in older lists."""

_ARXIV_PAGE = re.compile(r"/(?P<form>abs|pdf|html|ps|src|format|e-print|tb)/(?P<rest>.*)")
_ARXIV_FTP_NEW = re.compile(r"/ftp/arxiv/papers/\d{4}/(?P<rest>[^/]+?)\.pdf", re.I | re.ASCII)
_ARXIV_FTP_OLD = re.compile(
    r"/ftp/(?P<archive>[a-z][a-z-]*)/papers/\d{4}/(?P<number>[^/]+?)\.pdf", re.I | re.ASCII
)
_PDF_SUFFIX = re.compile(r"\.pdf$", re.I)
_OTHER_FORMS = frozenset({"ps", "src", "format", "e-print", "tb"})


def classify_arxiv(path: str) -> Classified:
    """The paper the path of an arXiv URL names; plain WEB for listings and other pages."""
    page = _ARXIV_PAGE.fullmatch(path)
    if page:
        form = page["form"]
        rest = page["rest"].rstrip("/")
        if form == "pdf":
            rest = _PDF_SUFFIX.sub("", rest)
        elif form == "html" and parse_arxiv_id(rest) is None:
            # HTML renderings have sub-resources (/html/ID/x1.png); the id comes first.
            head, _, tail = rest.partition("/")
            if parse_arxiv_id(head) is not None or not tail[:1].isdigit():
                rest = head
        return _arxiv_ref(rest, "other" if form in _OTHER_FORMS else form)
    ftp = _ARXIV_FTP_NEW.fullmatch(path)
    if ftp:
        return _arxiv_ref(ftp["rest"], "ftp")
    ftp = _ARXIV_FTP_OLD.fullmatch(path)
    if ftp:
        return _arxiv_ref(f"{ftp['archive']}/{ftp['number']}", "ftp")
    return PLAIN[LinkKind.WEB]


def _arxiv_ref(raw: str, form: str) -> Classified:
    parsed = parse_arxiv_id(raw)
    if parsed is None:
        ref = {"id": raw, "form": form, "valid": False}
    else:
        ref = {"id": parsed[0], "version": parsed[1], "form": form}
    return CLASSIFIED.validate_python({"kind": LinkKind.ARXIV, "arxiv": ref})
