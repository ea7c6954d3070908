"""Entry rules: a paper listed without a link, and a paper listed twice in one section.

Both rules reason per section (entries sharing ``section_key``: a heading, an HTML
heading, a ``<details>`` group or a list item heading a nested list), because that is how
these lists are curated: the same paper is deliberately repeated under "Safety
Alignment" and "Privacy Compliance", and only a repeat inside one section is a
copy-paste slip.

What counts as a *paper section* is learnt from the section itself rather than from
its heading: a section whose entries mostly carry links is a list of papers, so an
entry there without one is a link someone forgot. A table of contents (whose items
the parser already drops), a "Contributing" section or a run of prose bullets has few
or no linked entries and is left alone. Headings that name such housekeeping sections
are excluded as well, since a "News" section can be link-heavy without being papers.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from listcheck.arxiv_ids import parse_arxiv_id
from listcheck.models import Document, Entry, Finding, GithubRef, Link, LinkKind, LinkSyntax
from listcheck.parse.shapes import is_list_itself
from listcheck.rules.base import LintContext, finding, offline_rule

_TITLE_WIDTH = 60
_MIN_LINKED = 2
"""A section needs at least this many linked entries before its linkless ones count:
one linked bullet among prose is not evidence of a list of papers."""

_HOUSEKEEPING = re.compile(
    r"(?:how to )?contribut\w*|licen[cs]e|citations?|cite(?: us| this(?: work)?)?"
    r"|acknowledge?ments?|contacts?(?: us)?|(?:latest )?(?:news|updates)|changelog"
    r"|star history|(?:table of )?contents|toc"
)
"""Whole headings (lowercased, letters only) of sections that are about the list
itself; matched whole so that a "Knowledge Updates" section of papers still counts."""
_NOT_LETTERS = re.compile(r"[^a-z]+")

_WITHHELD = re.compile(
    r"\b(?:cannot|can\s*not|can't|could\s*not|couldn't|will\s*not|won't|must\s*not|may\s*not)"
    r"\s+be\s+(?:publicly\s+)?(?:disclosed|released|shared|published|made\s+public|linked)\b"
    r"|\b(?:is|are)\s+not\s+(?:yet\s+)?(?:publicly\s+)?(?:disclosed|released)\b",
    re.IGNORECASE,
)
"""An entry that says why it has no link was left without one on purpose (the
``**Harry Potter** Copyright issue, cannot be disclosed.`` dataset): warning about it
would only teach maintainers to ignore the rule."""

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


def short_title(entry: Entry) -> str:
    """The name a reader would recognise the entry by, cut to fit one message line."""
    text = entry.title or entry.name or entry.text
    text = " ".join(text.split())
    if len(text) > _TITLE_WIDTH:
        text = text[: _TITLE_WIDTH - 1].rstrip() + "…"
    return text


def _entry_links(doc: Document, entry: Entry) -> list[Link]:
    return [doc.links[i] for i in entry.links if 0 <= i < len(doc.links)]


def _has_own_links(doc: Document, entry: Entry) -> bool:
    return any(link.kind is not LinkKind.ANCHOR for link in _entry_links(doc, entry))


def _children(entries: Sequence[Entry], index: int) -> range:
    """Indexes of the entries nested under ``entries[index]`` (list items indented
    deeper, directly following it in the same section)."""
    parent = entries[index]
    end = index + 1
    while (
        not parent.in_table
        and end < len(entries)
        and not entries[end].in_table
        and entries[end].section_key == parent.section_key
        and entries[end].column > parent.column
    ):
        end += 1
    return range(index + 1, end)


@dataclass(frozen=True)
class _Candidate:
    entry: Entry
    linked: bool
    """The entry or one of its nested items carries a link."""
    detail: bool
    """A nested item under a linked entry: "Authors: …", "Venue: …", not a paper."""
    withheld: bool
    """The entry says why it has no link."""


def _candidates(doc: Document) -> dict[int | None, list[_Candidate]]:
    entries = doc.entries
    own = [_has_own_links(doc, e) for e in entries]
    linked = list(own)
    detail = [False] * len(entries)
    for index in range(len(entries)):
        nested = _children(entries, index)
        if any(own[i] for i in nested):
            linked[index] = True
        if own[index]:
            for i in nested:
                detail[i] = True
    by_section: dict[int | None, list[_Candidate]] = defaultdict(list)
    for index, entry in enumerate(entries):
        withheld = not linked[index] and bool(_WITHHELD.search(entry.text))
        by_section[entry.section_key].append(
            _Candidate(entry, linked[index], detail[index], withheld)
        )
    return by_section


def _is_housekeeping(heading: str) -> bool:
    words = _NOT_LETTERS.sub(" ", heading.lower()).strip()
    return _HOUSEKEEPING.fullmatch(words) is not None


def _is_paper_section(
    section_key: int | None, group: list[_Candidate], housekeeping: frozenset[int]
) -> bool:
    if section_key in housekeeping:
        return False
    papers = [c for c in group if not (c.detail or c.withheld)]
    with_links = sum(c.linked for c in papers)
    return with_links >= _MIN_LINKED and with_links > len(papers) - with_links


def _housekeeping_sections(doc: Document) -> frozenset[int]:
    """Sections (by ``section_key``) that a table of contents or a contributing guide
    fills, with the groups inside them: a "Contributing" heading is housekeeping down to
    its last ``<details>`` group, and such sections repeat links by design.

    One pass in document order (a parent always comes before its sections), so a
    thousand nested groups cost a thousand steps, not a million."""
    found: set[int] = set()
    for key, section in enumerate(doc.sections):
        if section.parent in found or _is_housekeeping(section.title):
            found.add(key)
    return frozenset(found)


def paper_sections(doc: Document) -> frozenset[int | None]:
    """The sections (by ``section_key``) that list papers: their entries mostly carry
    links, and their heading is not about the list itself."""
    housekeeping = _housekeeping_sections(doc)
    return frozenset(
        key
        for key, group in _candidates(doc).items()
        if _is_paper_section(key, group, housekeeping)
    )


def unlinked_paper_entries(doc: Document) -> Iterator[Entry]:
    """Entries without a link in sections whose other entries have them (what
    ``entry/no-link`` reports, and ``entry/suggest-link`` looks for on arXiv)."""
    housekeeping = _housekeeping_sections(doc)
    for section_key, group in _candidates(doc).items():
        if not _is_paper_section(section_key, group, housekeeping):
            continue
        for candidate in group:
            if not (candidate.linked or candidate.detail or candidate.withheld):
                yield candidate.entry


@offline_rule("entry/no-link")
def no_link(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """Entries without a link in sections whose other entries have them."""
    for entry in unlinked_paper_entries(doc):
        yield finding(
            doc,
            "entry/no-link",
            entry.line,
            entry.column,
            f'entry has no link: "{short_title(entry)}"',
        )


# -- entry/duplicate ---------------------------------------------------------------------
#
# Two entries are the same paper when they share the paper's own link: its arXiv id (any
# URL form or version), its DOI, its OpenReview or ACL Anthology id, or the URL of its
# PDF or proceedings page. Only an entry with no such link is known by its other links
# (project page, repository, model, dataset, demo), because two papers of one group
# often share a repository or a project page and are still two papers.


def _section_key(entry: Entry) -> int | None:
    """The group a reader sees an entry in (a heading, a ``<details>`` group, a list item
    heading a nested list); a repeat is a slip only inside one group."""
    return entry.section_key


_SAME_PAPER_TITLE = 85
"""The score (0-100) of two entries behind one paper id at or above which they are one
paper listed twice, below which one of the two links is wrong: the better of
rapidfuzz's ``partial_ratio`` (one text runs on into a summary, or drops a subtitle)
and ``token_set_ratio`` (one adds words: "Paper A" and "Paper A, again"). On the real
lists the same paper scores 100; the two papers pasted with one id score 47 (dair-ai
802/804) and 63 (diff-usion 4223/4228). The error to avoid is calling one paper two
(it blames a correct line too), so the bar for "two" is low."""

_SAME_ARTIFACT_TITLE = 90
"""rapidfuzz ``ratio`` (0-100) at or above which two entries without a paper link that
share a repository, page or dataset are one paper listed twice. Whole-title and strict,
because here a wrong "same" is a false finding: two papers of one group sharing one
repository share words too ("High-Resolution Image Synthesis with Latent Diffusion
Models" and "Text-Guided Synthesis of Artistic Images with Retrieval-Augmented Diffusion
Models" score 61, "Machine Unlearning in/of Pre-trained Large Language Models" 88)."""

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
class _Key:
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


def _arxiv_key(arxiv_id: str) -> _Key:
    return _Key(f"arxiv:{arxiv_id.lower()}", f"arXiv {arxiv_id}", paper=True)


def _doi_key(doi: str) -> _Key:
    doi = doi.rstrip("/")
    arxiv = _ARXIV_DOI.fullmatch(doi)
    if arxiv is not None:
        parsed = parse_arxiv_id(arxiv["id"])
        if parsed is not None:
            return _arxiv_key(parsed[0])
    return _Key(f"doi:{doi.lower()}", f"DOI {doi}", paper=True)


def _paper_id(link: Link, host: str, path: str, query: str) -> _Key | None:
    """The paper's id when the link names one: arXiv, DOI, OpenReview, ACL Anthology."""
    if link.arxiv is not None:
        return _arxiv_key(link.arxiv.id) if link.arxiv.valid else None
    if _may_name_arxiv_paper(host, path):
        match = _ARXIV_ID_IN_PATH.search(path)
        parsed = parse_arxiv_id(match["id"]) if match else None
        if parsed is not None:
            return _arxiv_key(parsed[0])
    if host in _DOI_HOSTS and len(path) > 1:
        return _doi_key(unquote(path[1:]))
    doi = _DOI_IN_PATH.search(path) if "/doi/" in path else None
    if doi is not None:
        return _doi_key(unquote(doi[1]))
    if host == "openreview.net" and path.rstrip("/") in {"/forum", "/pdf"}:
        match = _OPENREVIEW_ID.search(query)
        if match is not None:
            return _Key(f"openreview:{match['id']}", f"OpenReview {match['id']}", paper=True)
    if link.kind is LinkKind.ACL_ANTHOLOGY:
        match = _ACL_ID.search(path)
        if match is not None:
            acl = match["id"]
            return _Key(f"acl:{acl.lower()}", f"ACL Anthology {acl}", paper=True)
    return None


def _is_citation(link: Link, path: str) -> bool:
    """A BibTeX file or a ``[bibtex]`` link cites the paper: its line ranges drift each
    time the file is edited, and copies of one range are a citation slip, not a second
    listing of the paper, so a citation never identifies an entry."""
    return (
        path.lower().endswith(_CITATION_SUFFIXES)
        or _CITATION_LABEL.fullmatch(link.text.strip("`* ")) is not None
    )


def link_identity(link: Link, own_name: str = "README.md") -> _Key | None:
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
        return _arxiv_key(link.arxiv.id) if link.arxiv.valid else None
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
    return _Key(f"url:{normal}", link.url, paper=is_paper) if normal else None


def _github_key(github: GithubRef, fragment: str, *, paper: bool) -> _Key:
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
    return _Key(f"github:{name.lower()}", f"GitHub {name}", paper=paper)


@dataclass(frozen=True, slots=True)
class _Identity:
    """The keys naming an entry's paper, each with how a message shows it. One is kept
    for every entry of a list while the rule runs, hence slots and a tuple."""

    entry: Entry
    keys: tuple[tuple[str, str], ...]
    paper: bool
    """The keys are the paper's own links; otherwise its code, data, page or demo."""
    lead: str | None
    """The key of the entry's first link when that link is an artifact (a dataset, a
    model, a repository, a project page) rather than the paper: what the entry lists."""


def _identity(doc: Document, entry: Entry) -> _Identity:
    """The paper an entry lists: its paper links when it has any (and an ``[arxiv ID]``
    tag, as dataset entries cite their paper), else its other links."""
    own_name = posixpath.basename(doc.path.replace("\\", "/")) or "README.md"
    found = [link_identity(link, own_name) for link in _entry_links(doc, entry)]
    keys = [key for key in found if key is not None]
    lead = keys[0].key if keys and not keys[0].paper else None
    keys += [_arxiv_key(tag.arxiv_id) for tag in entry.tags if tag.arxiv_id is not None]
    papers = [key for key in keys if key.paper]
    chosen = papers or keys
    labels = {key.key: key.label for key in chosen}
    return _Identity(entry, tuple(labels.items()), bool(papers), lead)


_WORD = re.compile(r"\w+")


def _title_words(entry: Entry) -> str:
    """The entry's title words as a reader compares two entries (its whole text when it
    has no title): two papers of one group share authors and venue, not titles."""
    return " ".join(_WORD.findall((entry.title or entry.text).casefold()))


def _same_title(first: Entry, later: Entry, *, paper: bool) -> bool:
    """Whether two entries' titles name one paper (see :data:`_SAME_PAPER_TITLE` and
    :data:`_SAME_ARTIFACT_TITLE`). Without words to compare, a shared paper id is taken
    as one paper (nothing says a link is wrong) and a shared artifact is not."""
    a, b = _title_words(first), _title_words(later)
    if not a or not b:
        return paper
    from rapidfuzz import fuzz

    if paper:
        score = max(fuzz.partial_ratio(a, b), fuzz.token_set_ratio(a, b))
        return score >= _SAME_PAPER_TITLE
    return fuzz.ratio(a, b) >= _SAME_ARTIFACT_TITLE


def _repeat_findings(
    doc: Document, first: _Identity, later: _Identity, label: str
) -> list[Finding]:
    """What two entries sharing one key (shown as ``label``) are, told on their lines:

    - two artifacts built on one paper (HC3 and HC3-Chinese, both citing the paper that
      made them; a model and its chat variant): nothing, their own first links differ;
    - one title twice: the later entry repeats the earlier;
    - two titles behind one paper id: one of the two links is wrong; nothing tells
      offline which (the earlier entry is the slip as often as the later), so both
      lines are told, each naming the other, and the online arXiv title check says
      which one it is;
    - two titles sharing a repository, page or demo: two papers of one group, nothing.
    """
    paper = first.paper and later.paper
    if paper and first.lead and later.lead and first.lead != later.lead:
        return []
    if _same_title(first.entry, later.entry, paper=paper):
        message = f"same paper as line {first.entry.line} ({label})"
        return [finding(doc, "entry/duplicate", later.entry.line, later.entry.column, message)]
    if not paper:
        return []
    return [
        finding(
            doc,
            "entry/duplicate",
            here.line,
            here.column,
            f'line {other.line} ("{short_title(other)}") also links {label}, '
            "under a different title: one of the two links is wrong",
        )
        for here, other in ((later.entry, first.entry), (first.entry, later.entry))
    ]


@offline_rule("entry/duplicate")
def duplicate(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """The later of two entries in one section that list the same paper; both, when one
    paper id stands behind two different titles."""
    seen: dict[tuple[int | None, str], _Identity] = {}
    housekeeping = _housekeeping_sections(doc)
    for entry in doc.entries:
        section = _section_key(entry)
        if section in housekeeping:
            continue
        identity = _identity(doc, entry)
        for key, label in identity.keys:
            earlier = seen.get((section, key))
            found = _repeat_findings(doc, earlier, identity, label) if earlier else []
            yield from found
            if found:
                break
        # What a later entry is compared with needs no keys (nor their labels).
        kept = _Identity(entry, (), identity.paper, identity.lead)
        for key, _ in identity.keys:
            seen.setdefault((section, key), kept)
