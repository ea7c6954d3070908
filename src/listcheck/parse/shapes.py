"""Which blocks of a list are entries, and which are details of the entry above them.

A reader of an awesome list sees one paper per entry, whatever Markdown carries it.
Three judgements decide what an entry is:

* **A detail, not an entry.** A sub-bullet that starts with a detail label
  (``- Code: …``, ``* 地址：https://…``), a short ``Label:`` followed only by links, a
  line of nothing but generic links or badges (``[[code](…)]``), or any line without a
  titled link of its own under an entry that has links ("Ann Author et al.") describes
  the entry above it. Its links belong to that entry.
* **A title paragraph.** A paragraph that opens with a bold or linked title on a line of
  its own (``**Title** \\`` then authors, venue and links on the next lines) is an entry
  when it carries a link, or when a list of details follows it.
* **A heading entry.** A heading followed by a list of details (a dataset per ``##``
  with ``- paper:``, ``- repo:`` bullets) is one entry.
"""

from __future__ import annotations

import posixpath
import re

from listcheck.parse.entries import read_entry_head
from listcheck.parse.inline import plain_text
from listcheck.parse.labels import detail_label, is_generic_label, leading_label
from listcheck.parse.sourcemap import LEAF_KEY, Leaf, Token

_WORD = re.compile(r"\w+")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_LEAF_TYPES = frozenset({"paragraph", "block_text"})


def first_leaf(item: Token) -> Token | None:
    """The first paragraph (or tight item text) of a list item."""
    for child in item.get("children") or []:
        if child.get("type") in _LEAF_TYPES:
            found: Token = child
            return found
        if child.get("type") in ("list", "table", "block_quote"):
            return None
    return None


def links_in(tokens: list[Token]) -> list[Token]:
    """Every link and image inside the tokens, at any depth."""
    found: list[Token] = []
    stack = list(reversed(tokens))
    while stack:
        token = stack.pop()
        if token.get("type") in ("link", "image"):
            found.append(token)
            continue
        stack.extend(reversed(token.get("children") or []))
    return found


def _words_outside_links(tokens: list[Token]) -> int:
    outside = [t for t in tokens if t.get("type") not in ("link", "image")]
    text = _URL.sub(" ", plain_text(outside))
    return len(_WORD.findall(text))


def is_titled_link(token: Token) -> bool:
    """A link whose label names something (not "PDF", not a bare URL, not an image)."""
    if token.get("type") != "link":
        return False
    label = plain_text(token.get("children") or []).strip()
    return bool(label) and not is_generic_label(label) and not _URL.fullmatch(label)


def is_real_link(token: Token) -> bool:
    """A link that leads somewhere other than this page."""
    url = str((token.get("attrs") or {}).get("url", ""))
    return token.get("type") == "link" and bool(url) and not in_page(url)


def is_detail(item: Token, parent_linked: bool) -> bool:
    """Whether a sub-item describes its parent entry instead of being an entry."""
    leaf = first_leaf(item)
    if leaf is None:
        return False
    tokens = leaf.get("children") or []
    text = plain_text(tokens).strip()
    label = leading_label(_text_before_links(tokens))
    if label is not None and detail_label(label + ":") is not None:
        return True
    links = links_in(tokens)
    if label is not None and links and _words_outside_links(tokens) <= 4:
        return True  # "Weights: [x](…)" - a label and its links
    if label is not None and _URL.search(text) and len(_WORD.findall(text)) <= 12:
        return True
    if links and not any(is_titled_link(t) for t in links) and _words_outside_links(tokens) == 0:
        return True  # "[[code](…)] [[demo](…)]" or a badge
    if parent_linked:
        # Under a paper: a line without a link of its own describes it ("Ann Author et
        # al."); a line with its own title and link is a paper of its own.
        if not any(is_real_link(t) for t in links):
            return not _starts_bold(tokens)
        return read_entry_head(tokens, None).title is None
    return False


def _text_before_links(tokens: list[Token]) -> str:
    """The item's text up to its first link: where a detail's label stands. A colon in a
    linked title (``[Tree of Thoughts: Deliberate Problem Solving](…)``) is no label."""
    before: list[Token] = []
    for token in tokens:
        if links_in([token]):
            break
        before.append(token)
    return plain_text(before).strip()


def _starts_bold(tokens: list[Token]) -> bool:
    for token in tokens:
        kind = token.get("type")
        if kind == "text" and not str(token.get("raw", "")).strip():
            continue
        return kind == "strong"
    return False


def all_details(list_token: Token) -> bool:
    """A list made only of detail items (``- paper: …``, ``- Code: …``); such a list
    describes the heading or title paragraph above it."""
    items = list_token.get("children") or []
    if not items:
        return False
    labelled = 0
    for item in items:
        leaf = first_leaf(item)
        if leaf is None:
            return False
        text = plain_text(leaf.get("children") or []).strip()
        if detail_label(text) is not None:
            labelled += 1
        elif not is_detail(item, parent_linked=False):
            return False
    return labelled > 0


def detail_paragraph(token: Token) -> bool:
    """A paragraph whose every line is ``Label: value`` with a known label."""
    leaf: Leaf | None = token.get(LEAF_KEY)
    if leaf is None or token.get("type") != "paragraph":
        return False
    lines = [line.strip() for line in leaf.text.splitlines() if line.strip()]
    return len(lines) >= 2 and all(detail_label(line.lstrip("-*+ ")) for line in lines)


def title_paragraph(token: Token, *, alone: bool = False) -> bool:
    """A paragraph that opens with a bold or linked title on a line of its own; with
    ``alone``, also one that is nothing but the title (an entry only when a list of
    details follows it: a lone "[Join our Discord](…)" line is no paper)."""
    if token.get("type") != "paragraph":
        return False
    tokens = token.get("children") or []
    seen_title = False
    for child in tokens:
        kind = child.get("type")
        if kind == "text":
            raw = str(child.get("raw", ""))
            if not raw.strip():
                continue
            if seen_title:
                return False
            # A leading tag such as "[2023/10]" or an emoji may stand before the title.
            if re.fullmatch(r"\s*(?:[\[【][^\]】]*[\]】]\s*|:[a-z_]+:\s*)+", raw):
                continue
            return False
        if kind in ("linebreak", "softbreak"):
            return seen_title
        if kind == "inline_html" and re.match(r"<br\b", str(child.get("raw", "")), re.I):
            return seen_title
        if kind == "image" or (kind == "inline_html" and not seen_title):
            continue
        if seen_title:
            return False
        if kind == "strong" or (kind == "link" and is_titled_link(child)):
            seen_title = True
            continue
        return False
    return seen_title and alone


def carries_real_link(tokens: list[Token]) -> bool:
    return any(is_real_link(t) for t in links_in(tokens))


def is_list_itself(path: str, own_name: str = "README.md") -> bool:
    """A relative path that names the list's own page: empty, ``.``, ``./`` or its
    file name."""
    target = posixpath.normpath(path) if path else "."
    return target == "." or target.lower() == own_name.lower()


def in_page(url: str) -> bool:
    """A link to a place on this page (``#x``, ``./#x``, ``README.md#x``, or a README's
    URL with a fragment, which the parser takes for the list's own without knowing its
    repository): what a table of contents is made of."""
    path, hash_mark, _ = url.partition("#")
    return bool(hash_mark) and (is_list_itself(path) or path.lower().endswith("readme.md"))
