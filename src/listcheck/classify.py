"""Sorts every URL in a list into the service that can check it.

The parser calls :func:`classify_url` for each of the tens of thousands of links a large
list holds, so this module splits URLs with one precompiled RFC 3986 pattern instead of
layered parsing, caches answers (lists repeat their URLs a lot), and hands out shared
instances for the kinds that carry no reference.

It also decides what is *not* checkable: a URL is only an arXiv, GitHub or Hugging Face
reference when it names a paper or repository; listings, profiles and docs pages stay
plain ``WEB`` so the planners never ask an API about something that is not there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from pydantic import ConfigDict, TypeAdapter
from pydantic.dataclasses import dataclass

from listcheck.arxiv_ids import parse_arxiv_id
from listcheck.models import ArxivRef, GithubRef, HfRef, LinkKind


@dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid"))
class Classified:
    """What a URL names; exactly the reference matching ``kind`` is set. Slotted, as
    the parts of a document are: the cache below holds tens of thousands."""

    kind: LinkKind
    arxiv: ArxivRef | None = None
    github: GithubRef | None = None
    hf: HfRef | None = None


class UrlParts(NamedTuple):
    """An absolute http(s) URL split as written; ``host`` is lower-cased, without a
    trailing dot."""

    scheme: str
    host: str
    port: int | None
    path: str
    query: str | None
    fragment: str | None


_CLASSIFIED: TypeAdapter[Classified] = TypeAdapter(Classified)
_PLAIN: dict[LinkKind, Classified] = {kind: Classified(kind=kind) for kind in LinkKind}

# RFC 3986 appendix B, anchored: it never fails, so every string splits in one pass.
_URI = re.compile(
    r"(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*):)?"
    r"(?://(?P<authority>[^/?#]*))?"
    r"(?P<path>[^?#]*)"
    r"(?:\?(?P<query>[^#]*))?"
    r"(?:#(?P<fragment>.*))?",
    re.DOTALL,
)
# The common case, an http(s) URL with a plain ASCII host, in one pass; anything else
# (IDN hosts, IPv6, spaces, typos) takes the slower path that can say what is wrong.
_PLAIN_HTTP = re.compile(
    r"[Hh][Tt][Tt][Pp][Ss]?://(?:[^/?#@\s]*@)?"
    r"(?P<host>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)\.?(?::(?P<port>[0-9]{1,5}))?"
    r"(?P<path>/[^?#]*)?(?:\?[^#]*)?(?:#.*)?",
    re.ASCII | re.DOTALL,
)
_PORT = re.compile(r"[0-9]*", re.ASCII)
_IPV6 = re.compile(r"\[[0-9A-Fa-f:.]+\]|\[v[0-9A-Fa-f]+\.[^\]]+\]")
_BAD_HOST_CHAR = re.compile(r"[\s\x00-\x1f\x7f<>\"{}|\\^`\[\]%/?#@]")
_SCHEMELESS_HTTP = re.compile(r"(?P<word>[A-Za-z]{2,7})[:;.,]?/{2,}", re.ASCII)
_WWW = re.compile(r"www\.[^/\s]+\.[A-Za-z]{2,}(?:[/?#]|$)", re.ASCII)
# Characters a reader cannot see that come along when a URL is copied from a PDF, a chat
# or a web page: zero-width space, word joiner, byte order mark, soft hyphen, direction
# marks and bidi controls. No address means them; a browser sends them percent-encoded.
_INVISIBLE = re.compile("[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Zero-width (non-)joiners are letters' business in Persian or Indic words inside a path,
# so only the ones at either end of the URL are slips.
_EDGE_JOINERS = re.compile("^[\u200c\u200d]|[\u200c\u200d]$")
_INVISIBLE_NAMES = {
    "\u00ad": "soft hyphen",
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u2060": "word joiner",
    "\ufeff": "byte order mark",
}
# An http(s) URL behind bracket or quote characters the author pasted along with it, as
# in ``[LLM]([https://github.com/o/r)``: read as a relative file path otherwise.
_STRAY_OPENER = re.compile(r"""(?P<stray>[\[(<{"'`]+)\s*(?=[Hh][Tt][Tt][Pp][Ss]?://)""")

_HTTP = frozenset({"http", "https"})


def classify_url(url: str) -> Classified:
    """The kind of ``url`` and, for papers and repositories, what it names."""
    return _classify(url)[0]


def malformed_reason(url: str) -> str | None:
    """Why ``url`` is MALFORMED, phrased to follow "URL ... "; None when it is not."""
    return _classify(url)[1]


def split_http_url(url: str) -> UrlParts | None:
    """The parts of an absolute, well-formed http(s) URL; None for anything else."""
    parts, _reason = _split_http(url.strip())
    return parts


@lru_cache(maxsize=4096)  # lists repeat a URL nearby; 65,536 answers held ~16 MB
def _classify(url: str) -> tuple[Classified, str | None]:
    text = url.strip()
    if not text:
        return _PLAIN[LinkKind.EMPTY], None
    if text[0] == "#":
        return _PLAIN[LinkKind.ANCHOR], None
    invisible = invisible_problem(text)
    if invisible is not None:
        return _PLAIN[LinkKind.MALFORMED], invisible
    fast = _PLAIN_HTTP.fullmatch(text)
    if fast:
        port = fast["port"]
        if port is None or int(port) <= 65535:
            return _dispatch(fast["host"].lower(), fast["path"] or ""), None
    match = _URI.fullmatch(text)
    assert match is not None  # the pattern matches every string
    scheme = match["scheme"]
    if scheme is None:
        if text.startswith("//"):
            return _classify_http("https:" + text)
        return _classify_schemeless(text)
    lowered = scheme.lower()
    if lowered in _HTTP:
        return _classify_http(text)
    if lowered == "mailto":
        return _PLAIN[LinkKind.MAILTO], None
    if _is_http_typo(lowered):
        return _PLAIN[LinkKind.MALFORMED], f"has scheme {scheme!r}, a misspelling of http(s)"
    return _PLAIN[LinkKind.OTHER_SCHEME], None


def _dispatch(host: str, path: str) -> Classified:
    handler = _HOST_HANDLERS.get(host)
    if handler is not None:
        return handler(path)
    if host.endswith(".github.io"):
        return _PLAIN[LinkKind.GITHUB_PAGES]
    return _PLAIN[LinkKind.WEB]


def invisible_problem(url: str) -> str | None:
    """Names the invisible character a URL holds (and where), phrased to follow "URL
    ... "; None when it holds none that matters."""
    found = _INVISIBLE.search(url) or _EDGE_JOINERS.search(url)
    if found is None:
        return None
    char = found[0]
    name = _INVISIBLE_NAMES.get(char, "invisible formatting character")
    where = "ends in" if found.end() == len(url) else "holds"
    return f"{where} an invisible U+{ord(char):04X} ({name})"


def without_invisible(url: str) -> str:
    """``url`` without the invisible characters :func:`invisible_problem` objects to."""
    return _EDGE_JOINERS.sub("", _INVISIBLE.sub("", url))


def stray_opener(url: str) -> str | None:
    """The bracket or quote characters written before an http(s) URL, when that is all
    that keeps it from being one; None otherwise."""
    match = _STRAY_OPENER.match(url)
    return match["stray"] if match else None


def _classify_schemeless(text: str) -> tuple[Classified, str | None]:
    stray = stray_opener(text)
    if stray is not None:
        noun = "character" if len(stray) == 1 else "characters"
        return _PLAIN[LinkKind.MALFORMED], f"has the stray {noun} {stray!r} before its http(s)://"
    typo = _SCHEMELESS_HTTP.match(text)
    if typo and (typo["word"].lower() in _HTTP or _is_http_typo(typo["word"].lower())):
        return _PLAIN[LinkKind.MALFORMED], "is missing the ':' after http(s)"
    first = text.split("/", 1)[0].lower()
    if _WWW.match(text) or first in _HOST_HANDLERS:
        return _PLAIN[LinkKind.MALFORMED], "looks like a web address but has no http(s)://"
    return _PLAIN[LinkKind.FILE], None


def _classify_http(text: str) -> tuple[Classified, str | None]:
    parts, reason = _split_http(text)
    if parts is None:
        return _PLAIN[LinkKind.MALFORMED], reason
    return _dispatch(parts.host, parts.path), None


def _split_http(text: str) -> tuple[UrlParts | None, str]:
    match = _URI.fullmatch(text)
    assert match is not None
    scheme = match["scheme"]
    if scheme is None or scheme.lower() not in _HTTP:
        return None, "is not an http(s) URL"
    authority = match["authority"]
    if authority is None:
        return None, f"has no '//' after {scheme}:"
    host_port = authority.rpartition("@")[2]
    if _IPV6.match(host_port):
        host, _, port_text = host_port.partition("]")
        host += "]"
        if port_text and not port_text.startswith(":"):
            return None, "has an invalid host"
        port_text = port_text[1:]
    else:
        host, _, port_text = host_port.partition(":")
        if ":" in port_text:
            return None, "has an invalid port"
        reason = _host_problem(host)
        if reason:
            return None, reason
    if not _PORT.fullmatch(port_text) or (port_text and int(port_text) > 65535):
        return None, f"has an invalid port {port_text!r}"
    port = int(port_text) if port_text else None
    host = host.lower().removesuffix(".")
    return (
        UrlParts(scheme.lower(), host, port, match["path"], match["query"], match["fragment"]),
        "",
    )


def _host_problem(host: str) -> str | None:
    if not host:
        return "has no host"
    bad = _BAD_HOST_CHAR.search(host)
    if bad:
        what = "a space" if bad[0].isspace() else f"{bad[0]!r}"
        return f"has {what} in its host"
    labels = host.removesuffix(".").split(".")
    if any(not label for label in labels):
        return "has an empty label in its host"
    return None


def _is_http_typo(scheme: str) -> bool:
    """True for schemes one edit (or one swap) away from http/https, such as ``htp``,
    ``htps`` or ``htttps``: nobody means a real scheme by them."""
    return scheme not in _HTTP and (_one_edit(scheme, "http") or _one_edit(scheme, "https"))


def _one_edit(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        first, second = diff[0], diff[-1]
        return (
            len(diff) == 2
            and second == first + 1
            and a[first] == b[second]
            and a[second] == b[first]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


# --- arXiv ------------------------------------------------------------------------------

_ARXIV_PAGE = re.compile(r"/(?P<form>abs|pdf|html|ps|src|format|e-print|tb)/(?P<rest>.*)")
_ARXIV_FTP_NEW = re.compile(r"/ftp/arxiv/papers/\d{4}/(?P<rest>[^/]+?)\.pdf", re.I | re.ASCII)
_ARXIV_FTP_OLD = re.compile(
    r"/ftp/(?P<archive>[a-z][a-z-]*)/papers/\d{4}/(?P<number>[^/]+?)\.pdf", re.I | re.ASCII
)
_PDF_SUFFIX = re.compile(r"\.pdf$", re.I)
_OTHER_FORMS = frozenset({"ps", "src", "format", "e-print", "tb"})


def _arxiv(path: str) -> Classified:
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
    return _PLAIN[LinkKind.WEB]


def _arxiv_ref(raw: str, form: str) -> Classified:
    # One validation of nested data costs about half of building the two models apart,
    # which matters at tens of thousands of links.
    parsed = parse_arxiv_id(raw)
    if parsed is None:
        ref = {"id": raw, "form": form, "valid": False}
    else:
        ref = {"id": parsed[0], "version": parsed[1], "form": form}
    return _CLASSIFIED.validate_python({"kind": LinkKind.ARXIV, "arxiv": ref})


# --- GitHub -----------------------------------------------------------------------------

_GITHUB_RESERVED = frozenset(
    {
        "about",
        "account",
        "apps",
        "blog",
        "codespaces",
        "collections",
        "contact",
        "copilot",
        "customer-stories",
        "dashboard",
        "enterprise",
        "events",
        "explore",
        "features",
        "git-guides",
        "issues",
        "join",
        "login",
        "logout",
        "marketplace",
        "new",
        "notifications",
        "organizations",
        "orgs",
        "pricing",
        "pulls",
        "readme",
        "search",
        "security",
        "sessions",
        "settings",
        "signup",
        "site",
        "solutions",
        "sponsors",
        "stars",
        "team",
        "topics",
        "trending",
        "users",
        "watching",
    }
)
"""First path segments that are GitHub's own pages, never an owner."""

_GITHUB_OWNER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*", re.ASCII)
_REPO_NAME = re.compile(r"[A-Za-z0-9._-]+", re.ASCII)
_GITHUB_REF_KINDS = frozenset({"tree", "blob", "raw", "blame", "edit", "commits", "commit"})


def _github(path: str) -> Classified:
    segments = [s for s in path.split("/") if s]
    if len(segments) < 2 or segments[0].lower() in _GITHUB_RESERVED:
        return _PLAIN[LinkKind.WEB]
    owner, repo = segments[0], segments[1].removesuffix(".git")
    if not _GITHUB_OWNER.fullmatch(owner) or not _REPO_NAME.fullmatch(repo) or repo in {".", ".."}:
        return _PLAIN[LinkKind.WEB]
    kind: str | None = None
    ref: str | None = None
    sub_path: str | None = None
    if len(segments) > 2:
        kind = segments[2]
        rest = segments[3:]
        if kind in _GITHUB_REF_KINDS and rest:
            ref, rest = rest[0], rest[1:]
        elif kind == "releases" and len(rest) >= 2 and rest[0] == "tag":
            ref, rest = rest[1], rest[2:]
        sub_path = "/".join(rest) or None
    github = {"slug": f"{owner}/{repo}", "path_kind": kind, "ref": ref, "path": sub_path}
    return _CLASSIFIED.validate_python({"kind": LinkKind.GITHUB, "github": github})


# --- Hugging Face -----------------------------------------------------------------------

_HF_RESERVED = frozenset(
    {
        "api",
        "blog",
        "brand",
        "changelog",
        "chat",
        "collections",
        "course",
        "courses",
        "docs",
        "enterprise",
        "inference-api",
        "inference-endpoints",
        "join",
        "learn",
        "login",
        "logout",
        "models",
        "new",
        "new-dataset",
        "new-space",
        "notifications",
        "organizations",
        "papers",
        "posts",
        "pricing",
        "privacy",
        "search",
        "settings",
        "support",
        "tasks",
        "terms-of-service",
        "transformers",
    }
)
"""First path segments that are Hugging Face's own pages, never an owner or a model."""

_HF_REPO_SUBPAGES = frozenset(
    {"tree", "blob", "resolve", "raw", "viewer", "discussions", "commits", "commit", "edit"}
)
_HF_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*", re.ASCII)
_HF_LEGACY_MODEL = re.compile(
    r"(?:albert|bert|camembert|distilbert|distilroberta|roberta|t5|transfo-xl|xlm|xlm-roberta"
    r"|xlnet|gpt2|openai-gpt)(?:-[a-z0-9-]+)?|ctrl|distilgpt2",
    re.ASCII,
)
"""The pre-2020 canonical models that live at a bare name. Any other one-segment path is a
user's or an organisation's profile, which has no API to ask."""


def _huggingface(path: str) -> Classified:
    segments = [s for s in path.split("/") if s]
    if not segments:
        return _PLAIN[LinkKind.WEB]
    head = segments[0]
    if head in {"datasets", "spaces"}:
        names = segments[1:]
        legacy = len(names) == 1 or (len(names) > 1 and names[1] in _HF_REPO_SUBPAGES)
        if head == "datasets" and legacy:
            return _hf_ref("datasets", names[:1])
        return _hf_ref(head, names[:2]) if len(names) >= 2 else _PLAIN[LinkKind.WEB]
    if head in _HF_RESERVED:
        return _PLAIN[LinkKind.WEB]
    if _HF_LEGACY_MODEL.fullmatch(head) and (
        len(segments) == 1 or segments[1] in _HF_REPO_SUBPAGES
    ):
        return _hf_ref("models", segments[:1])
    if len(segments) == 1:
        return _PLAIN[LinkKind.WEB]
    return _hf_ref("models", segments[:2])


def _hf_ref(repo_type: str, names: list[str]) -> Classified:
    if not names or not all(_HF_NAME.fullmatch(name) for name in names):
        return _PLAIN[LinkKind.WEB]
    hf = {"repo_type": repo_type, "repo_id": "/".join(names)}
    return _CLASSIFIED.validate_python({"kind": LinkKind.HUGGINGFACE, "hf": hf})


# --- hosts ------------------------------------------------------------------------------


def _kind(kind: LinkKind) -> Callable[[str], Classified]:
    plain = _PLAIN[kind]
    return lambda _path: plain


def _aclweb(path: str) -> Classified:
    is_anthology = path.startswith("/anthology")
    return _PLAIN[LinkKind.ACL_ANTHOLOGY if is_anthology else LinkKind.WEB]


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

_HOST_HANDLERS: dict[str, Callable[[str], Classified]] = {
    **dict.fromkeys(ARXIV_HOSTS, _arxiv),
    "github.com": _github,
    "www.github.com": _github,
    "gist.github.com": _kind(LinkKind.GIST),
    "raw.githubusercontent.com": _kind(LinkKind.WEB),
    "huggingface.co": _huggingface,
    "www.huggingface.co": _huggingface,
    "hf.co": _huggingface,
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
