"""What a link says about which paper its entry lists: the keys two entries are compared
by (``entry/duplicate``), and what marks an entry as a paper (``entry/misplaced``, and
the entry ``--fix`` may add an arXiv link to).

A paper is known by its own link: its arXiv id (any URL form or version), its DOI, its
OpenReview or ACL Anthology id, or the URL of its PDF or proceedings page. Its other
links (project page, repository, model, dataset, demo) name what was built on it, and
many links name nothing at all (a badge, a social post, a citation, a profile).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from listcheck.arxiv_ids import parse_arxiv_id
from listcheck.models import GithubRef, Link, LinkKind, LinkSyntax
from listcheck.parse.shapes import is_list_itself

_NOT_IDENTITY = frozenset(
    {
        LinkKind.ANCHOR,
        LinkKind.EMPTY,
        LinkKind.MALFORMED,
        LinkKind.MAILTO,
        LinkKind.OTHER_SCHEME,
    }
)
"""Links that say nothing about which paper an entry is: a ``#top`` back-link or a
contact address is shared by every entry that has one."""

_NOT_IDENTITY_HOSTS = frozenset(
    {
        # social posts and talks: about a paper, shared by threads, never the paper
        "twitter.com",
        "mobile.twitter.com",
        "x.com",
        "t.co",
        "bsky.app",
        "threads.net",
        "linkedin.com",
        "facebook.com",
        "reddit.com",
        "weibo.com",
        "youtube.com",
        "m.youtube.com",
        "youtu.be",
        "bilibili.com",
        "vimeo.com",
        # badges, counters and licences: the same for every entry that shows one
        "img.shields.io",
        "badgen.net",
        "badge.fury.io",
        "awesome.re",
        "star-history.com",
        "api.star-history.com",
        "opensource.org",
        "creativecommons.org",
        "choosealicense.com",
    }
)

_PAPER_HOSTS = frozenset(
    {
        "openaccess.thecvf.com",
        "cv-foundation.org",
        "ecva.net",
        "proceedings.neurips.cc",
        "papers.neurips.cc",
        "papers.nips.cc",
        "proceedings.mlr.press",
        "jmlr.org",
        "ojs.aaai.org",
        "ijcai.org",
        "dl.acm.org",
        "ieeexplore.ieee.org",
        "link.springer.com",
        "sciencedirect.com",
        "nature.com",
        "science.org",
        "biorxiv.org",
        "medrxiv.org",
        "ssrn.com",
        "papers.ssrn.com",
        "semanticscholar.org",
        "openreview.net",
        "aclanthology.org",
        "aclweb.org",
    }
)
"""Hosts whose pages are papers (proceedings, publishers, preprint servers)."""

_PAPER_LABEL = re.compile(
    r"\W*(?:paper|pdf|arxiv|preprint|publication|article|openreview|doi)\b", re.IGNORECASE
)
"""Link text that says "this is the paper": ``[Paper]``, ``[`[pdf]`]``, ``[arXiv]``."""
_CITATION_LABEL = re.compile(r"\W*(?:bibtex|bib|cite|citation)\W*", re.IGNORECASE)
_CITATION_SUFFIXES = (".bib", ".bibtex", ".ris")
_DOCUMENT_SUFFIXES = (".md", ".markdown", ".rst", ".txt", ".html", ".htm")
"""Files whose fragment names a place inside them (a heading, a line range)."""
_LINE_RANGE = re.compile(r"L\d+(?:C\d+)?(?:-L?\d+(?:C\d+)?)?")

_DOI_HOSTS = frozenset({"doi.org", "dx.doi.org"})
_DOI_IN_PATH = re.compile(r"(?:^|/)(10\.\d{4,9}/.+)$")
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(?P<id>.+)", re.IGNORECASE)
_ARXIV_ID_IN_PATH = re.compile(r"/(?:abs|pdf|html|papers)/(?P<id>[^/]+?)(?:\.pdf)?/?$")
"""``browse.arxiv.org/pdf/ID``, ``huggingface.co/papers/ID``, ``alphaxiv.org/abs/ID``:
other sites that name a paper by its arXiv id."""
_HF_HOSTS = frozenset({"huggingface.co", "hf.co"})


def _may_name_arxiv_paper(host: str, path: str) -> bool:
    """arXiv's hosts the classifier does not know (``browse.arxiv.org``), alphaXiv, and
    Hugging Face's paper pages, which all name a paper by its arXiv id."""
    return (
        host.endswith("arxiv.org")
        or host == "alphaxiv.org"
        or (host in _HF_HOSTS and path.startswith("/papers/"))
    )


_OPENREVIEW_ID = re.compile(r"(?:^|&)id=(?P<id>[^&]+)")
_ACL_ID = re.compile(r"/(?:anthology/)?(?P<id>[A-Za-z0-9][A-Za-z0-9.-]*?)(?:\.pdf)?/?$")
_DEFAULT_BRANCHES = frozenset({"main", "master", "HEAD"})


@dataclass(frozen=True)
class LinkIdentity:
    """One thing an entry's link names: ``key`` compares, ``label`` is shown."""

    key: str
    label: str
    paper: bool
    """The paper itself (not its code, data, page or demo)."""


def _host(netloc: str) -> str:
    return netloc.lower().rsplit("@", 1)[-1].split(":", 1)[0].removeprefix("www.")


def _keeps_fragment(path: str, fragment: str, *, relative: bool) -> bool:
    """A fragment names a different thing in a file of the list's repository, in a
    document (a heading of another README), as a line range, or as a client-side route;
    on an ordinary web page it is a place on the same page (``cocodataset.org/#home``)."""
    if not fragment:
        return False
    return (
        relative
        or fragment.startswith(("/", "!"))
        or _LINE_RANGE.fullmatch(fragment) is not None
        or path.lower().endswith(_DOCUMENT_SUFFIXES)
    )


def normalise_url(url: str) -> str:
    """The part of a URL that names the resource: no scheme, no ``www.``, no trailing
    slash, no ``.pdf`` (a page and its PDF are one paper). The fragment stays where it
    names a different thing (:func:`_keeps_fragment`): ``./#week-of-june-23`` and
    ``./#week-of-june-16`` are two weeks, ``refs.bib#L1-L5`` and ``refs.bib#L7-L12``
    two citations."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path
    if not host:
        path = posixpath.normpath(path) if path else path
    keep = _keeps_fragment(path, parts.fragment, relative=not host)
    path = path.rstrip("/")
    if path.lower().endswith(".pdf"):
        path = path[: -len(".pdf")]
    result = host + path
    if parts.query:
        result += "?" + parts.query
    if keep:
        result += "#" + parts.fragment
    return result


def arxiv_key(arxiv_id: str) -> LinkIdentity:
    return LinkIdentity(f"arxiv:{arxiv_id.lower()}", f"arXiv {arxiv_id}", paper=True)


def _doi_key(doi: str) -> LinkIdentity:
    doi = doi.rstrip("/")
    arxiv = _ARXIV_DOI.fullmatch(doi)
    if arxiv is not None:
        parsed = parse_arxiv_id(arxiv["id"])
        if parsed is not None:
            return arxiv_key(parsed[0])
    return LinkIdentity(f"doi:{doi.lower()}", f"DOI {doi}", paper=True)


def _paper_id(link: Link, host: str, path: str, query: str) -> LinkIdentity | None:
    """The paper's id when the link names one: arXiv, DOI, OpenReview, ACL Anthology."""
    if link.arxiv is not None:
        return arxiv_key(link.arxiv.id) if link.arxiv.valid else None
    if _may_name_arxiv_paper(host, path):
        match = _ARXIV_ID_IN_PATH.search(path)
        parsed = parse_arxiv_id(match["id"]) if match else None
        if parsed is not None:
            return arxiv_key(parsed[0])
    if host in _DOI_HOSTS and len(path) > 1:
        return _doi_key(unquote(path[1:]))
    doi = _DOI_IN_PATH.search(path) if "/doi/" in path else None
    if doi is not None:
        return _doi_key(unquote(doi[1]))
    if host == "openreview.net" and path.rstrip("/") in {"/forum", "/pdf"}:
        match = _OPENREVIEW_ID.search(query)
        if match is not None:
            return LinkIdentity(
                f"openreview:{match['id']}", f"OpenReview {match['id']}", paper=True
            )
    if link.kind is LinkKind.ACL_ANTHOLOGY:
        match = _ACL_ID.search(path)
        if match is not None:
            acl = match["id"]
            return LinkIdentity(f"acl:{acl.lower()}", f"ACL Anthology {acl}", paper=True)
    return None


def _is_citation(link: Link, path: str) -> bool:
    """A BibTeX file or a ``[bibtex]`` link cites the paper: its line ranges drift each
    time the file is edited, and copies of one range are a citation slip, not a second
    listing of the paper, so a citation never identifies an entry."""
    return (
        path.lower().endswith(_CITATION_SUFFIXES)
        or _CITATION_LABEL.fullmatch(link.text.strip("`* ")) is not None
    )


def link_identity(link: Link, own_name: str = "README.md") -> LinkIdentity | None:
    """What ``link`` says about which paper its entry lists; None when it says nothing
    (an image, an anchor, a contact, a social post, a badge, a citation, a profile)."""
    if link.syntax is LinkSyntax.IMAGE:
        return None
    url = link.url.strip()
    if url[:4].lower() == "doi:":
        return _doi_key(url[4:].strip())
    if link.kind in _NOT_IDENTITY:
        return None
    if link.arxiv is not None:  # most links of most lists: no need to split the URL
        return arxiv_key(link.arxiv.id) if link.arxiv.valid else None
    parts = urlsplit(url)
    host = _host(parts.netloc)
    if not host and is_list_itself(parts.path, own_name):
        # A back-link into the list itself (``./#week-of-june-23``): never a paper.
        return None
    if host in _NOT_IDENTITY_HOSTS or _is_citation(link, parts.path):
        return None
    paper = _paper_id(link, host, parts.path, parts.query)
    if paper is not None:
        return paper
    is_paper = (
        host in _PAPER_HOSTS
        or parts.path.lower().endswith(".pdf")
        or _PAPER_LABEL.match(link.text.strip("`* ")) is not None
    )
    github = link.github
    if github is not None:
        return _github_key(github, parts.fragment, paper=is_paper)
    if host == "github.com":
        return None  # a profile or an organisation: who wrote it, not what it is
    normal = normalise_url(url)
    return LinkIdentity(f"url:{normal}", link.url, paper=is_paper) if normal else None


def _github_key(github: GithubRef, fragment: str, *, paper: bool) -> LinkIdentity:
    """A repository, or the branch or folder of one that an entry names: two projects
    in one monorepo, or a fork kept on its own branch, are two projects."""
    name: str = github.slug
    if github.ref is not None and github.ref not in _DEFAULT_BRANCHES:
        name += f"@{github.ref}"
    if github.path_kind in {None, "tree", "blob"} and github.path:
        name += "/" + github.path.strip("/")
        if _keeps_fragment(github.path, fragment, relative=False):
            name += "#" + fragment
    elif github.path_kind not in {None, "tree", "blob"}:
        name += f"/{github.path_kind}" + (f"/{github.path}" if github.path else "")
    return LinkIdentity(f"github:{name.lower()}", f"GitHub {name}", paper=paper)
