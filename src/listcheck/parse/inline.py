"""Links inside one leaf block, each with the exact place its URL is written.

mistune tells us *which* links a paragraph holds and in what order; this module finds
*where* each one is written in the leaf's source text. It walks the inline tokens in
source order (a link's text before its destination, so children before parents) with
a cursor that only moves forward, which keeps repeated URLs on one line apart.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from urllib.parse import unquote

from listcheck.models import LinkSyntax
from listcheck.parse.html_blocks import comment_spans
from listcheck.parse.sourcemap import Leaf, Token

_HTML_URL_ATTR = re.compile(
    r"""\b(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE
)
_HTML_ANCHOR_ATTR = re.compile(
    r"""\b(name|id)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE
)
# A link destination after "](": optional blanks, then <...> or a run without blanks
# whose parentheses balance (one level deep, as real URLs need).
_DESTINATION = re.compile(
    r"[ \t\n]*(?:<([^<>\n]*)>|((?:[^\s()\\<>]|\\.|\((?:[^\s()\\]|\\.)*\))*))", re.DOTALL
)
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


@dataclass(frozen=True, slots=True)
class RawLink:
    url: str
    text: str
    line: int
    column: int
    text_line: int
    text_column: int
    syntax: LinkSyntax
    reference: str | None = None


@dataclass(frozen=True)
class RawAnchor:
    name: str
    line: int
    column: int


@dataclass(frozen=True)
class RawComment:
    text: str
    line: int
    column: int
    end_line: int


def plain_text(tokens: list[Token]) -> str:
    """The text a reader sees: link text kept, markup and HTML tags dropped."""
    parts: list[str] = []
    stack: list[Token] = list(reversed(tokens))
    while stack:
        token = stack.pop()
        kind = token.get("type")
        if kind in ("text", "codespan"):
            parts.append(str(token.get("raw", "")))
        elif kind in ("softbreak", "linebreak"):
            parts.append(" ")
        elif kind == "image":
            continue
        children = token.get("children")
        if isinstance(children, list):
            stack.extend(reversed(children))
    return "".join(parts)


def _braced(text: str, start: int, url: str) -> bool:
    """Whether the bare URL at ``text[start:]`` sits in braces that its last character
    closes, as in ``[Paper]{https://github.com/o/r}`` (lychee reads it without the brace
    too)."""
    return start > 0 and text[start - 1] == "{" and url.endswith("}") and "{" not in url


def _same_url(written: str, parsed: str) -> bool:
    """Whether mistune's (escaped, entity-decoded) URL is the one written."""
    if written == parsed:
        return True
    target = unquote(html.unescape(parsed)).strip()
    plain = unquote(html.unescape(written)).strip()
    return plain == target or _BACKSLASH_ESCAPE.sub(r"\1", plain) == target


class InlineLocator:
    """Finds the links, HTML anchors and comments of one leaf."""

    def __init__(self, leaf: Leaf) -> None:
        self.leaf = leaf
        self.text = leaf.text
        self.cursor = 0
        self.links: list[RawLink] = []
        self.anchors: list[RawAnchor] = []
        self.comments: list[RawComment] = []

    def pos(self, index: int) -> tuple[int, int]:
        return self.leaf.position(index)

    def scan(self, tokens: list[Token]) -> None:
        # Iterative post-order walk: deep nesting must not hit the recursion limit.
        stack: list[tuple[Token, bool]] = [(t, False) for t in reversed(tokens)]
        while stack:
            token, children_done = stack.pop()
            children = token.get("children")
            if not children_done and isinstance(children, list) and children:
                stack.append((token, True))
                stack.extend((child, False) for child in reversed(children))
                continue
            kind = token.get("type")
            if kind in ("link", "image"):
                self._link(token)
            elif kind == "inline_html":
                self.html(str(token.get("raw", "")), search=True)
            elif kind == "codespan":
                # Step over code: a URL inside it must not be taken for the next link's.
                raw = str(token.get("raw", ""))
                found = self.text.find(raw, self.cursor) if raw else -1
                if found >= 0:
                    self.cursor = found + len(raw)

    def _link(self, token: Token) -> None:
        attrs = token.get("attrs") or {}
        url = str(attrs.get("url", ""))
        children = token.get("children") or []
        label = plain_text(children) if isinstance(children, list) else ""
        image = token.get("type") == "image"
        if "ref" in token:
            self._reference(token, url, label, image)
            return
        if not image and self._autolink(url, label):
            return
        self._inline(url, label, image)

    def _reference(self, token: Token, url: str, label: str, image: bool) -> None:
        ref = str(token["ref"])
        written = str(token.get("label", ref))
        marker = self.text.find("[" + written + "]", self.cursor)
        if marker < 0:
            start = self.cursor
        elif marker > 0 and self.text[marker - 1] == "]":
            # Full reference ``[text][label]``: the text opens at the bracket matching "]".
            start = self._opening_bracket(marker - 1)
            self.cursor = marker + len(written) + 2
        else:
            # Collapsed ``[label][]`` or shortcut ``[label]``: the label is the text.
            start = marker
            self.cursor = marker + len(written) + 2
            if self.text.startswith("[]", self.cursor):
                self.cursor += 2
        if image and start > 0 and self.text[start - 1] == "!":
            start -= 1
        text_line, text_column = self.pos(start)
        definition = self.leaf.refdefs.get(ref)
        if definition is not None:
            line, column = definition[0].position(definition[1])
            url = definition[2]
        else:
            line, column = text_line, text_column
        self.links.append(
            RawLink(url, label, line, column, text_line, text_column, LinkSyntax.REFERENCE, written)
        )

    def _autolink(self, url: str, label: str) -> bool:
        email = url == "mailto:" + label
        if not email and label != url and not _same_url(label, url):
            return False
        found = self.text.find(label, self.cursor)
        if found < 0:
            return False
        if found > 0 and self.text[found - 1] == "[" and "](" in self.text[found + len(label) :]:
            return False  # ``[https://x](https://x)``: an inline link whose text is its URL
        syntax = (
            LinkSyntax.AUTOLINK if found > 0 and self.text[found - 1] == "<" else LinkSyntax.BARE
        )
        self.cursor = found + len(label)
        if syntax is LinkSyntax.BARE and _braced(self.text, found, label):
            label = url = label[:-1]  # "{https://x}": the brace closes, it is no part of the URL
        line, column = self.pos(found)
        start = found - 1 if syntax is LinkSyntax.AUTOLINK else found
        text_line, text_column = self.pos(start)
        written = url if email else label
        self.links.append(RawLink(written, label, line, column, text_line, text_column, syntax))
        return True

    def _destinations(self) -> Iterator[tuple[int, int]]:
        """Candidate ``](dest`` spans from the cursor: (start, end) of the destination."""
        search = self.cursor
        while True:
            opening = self.text.find("](", search)
            if opening < 0:
                return
            m = _DESTINATION.match(self.text, opening + 2)
            if m is None:  # pragma: no cover - the pattern matches the empty string
                return
            group = 1 if m.group(1) is not None else 2
            yield m.start(group), m.end(group)
            search = opening + 2

    def _inline(self, url: str, label: str, image: bool) -> None:
        chosen: tuple[int, int] | None = None
        for count, (start, end) in enumerate(self._destinations()):
            if chosen is None:
                chosen = (start, end)
            if _same_url(self.text[start:end], url):
                chosen = (start, end)
                break
            if count >= 8:
                break
        if chosen is None:
            chosen = (self.cursor, self.cursor)
        else:
            url = self.text[chosen[0] : chosen[1]]  # the URL as written, not as escaped
        start, end = chosen
        text_start = self._matching_bracket(start)
        if image and text_start > 0 and self.text[text_start - 1] == "!":
            text_start -= 1
        self.cursor = end
        line, column = self.pos(start)
        text_line, text_column = self.pos(text_start)
        syntax = LinkSyntax.IMAGE if image else LinkSyntax.INLINE
        self.links.append(RawLink(url, label, line, column, text_line, text_column, syntax))

    def _matching_bracket(self, destination: int) -> int:
        """The ``[`` that opens the text of the link whose ``](`` precedes ``destination``."""
        return self._opening_bracket(self.text.rfind("](", 0, destination))

    def _opening_bracket(self, closing: int) -> int:
        """The ``[`` matching the ``]`` at ``closing`` (backslash escapes respected)."""
        index = closing
        depth = 0
        while index > 0:
            index -= 1
            char = self.text[index]
            if index > 0 and self.text[index - 1] == "\\":
                continue
            if char == "]":
                depth += 1
            elif char == "[":
                if depth == 0:
                    return index
                depth -= 1
        return max(index, 0)

    def html(self, raw: str, *, search: bool) -> None:
        """Links (href/src), anchors (name/id) and comments inside a piece of HTML."""
        if search:
            found = self.text.find(raw, self.cursor)
            base = found if found >= 0 else self.cursor
            if found >= 0:
                self.cursor = found + len(raw)
        else:
            base = 0
        spans = comment_spans(raw)
        for start, end in spans:
            line, column = self.pos(base + start)
            end_line, _ = self.pos(base + end - 1)
            body = raw[start + len("<!--") : end - len("-->")]
            self.comments.append(RawComment(body.strip(), line, column, end_line))
        starts = [start for start, _ in spans]

        def in_comment(index: int) -> bool:
            """By bisection: a block of many comments and links is not quadratic."""
            at = bisect_right(starts, index) - 1
            return at >= 0 and index < spans[at][1]

        for m in _HTML_URL_ATTR.finditer(raw):
            if in_comment(m.start()):
                continue
            group = 2 if m.group(2) is not None else 3 if m.group(3) is not None else 4
            value_start = base + m.start(group)
            line, column = self.pos(value_start)
            text_line, text_column = self.pos(base + m.start())
            url = html.unescape(m.group(group))
            self.links.append(
                RawLink(url, "", line, column, text_line, text_column, LinkSyntax.HTML)
            )
        for m in _HTML_ANCHOR_ATTR.finditer(raw):
            if in_comment(m.start()):
                continue
            group = 2 if m.group(2) is not None else 3 if m.group(3) is not None else 4
            line, column = self.pos(base + m.start(group))
            self.anchors.append(RawAnchor(html.unescape(m.group(group)), line, column))


# --- container leaves --------------------------------------------------------------------


class SlipKind(Enum):
    """The ways an inline link is written so that Markdown does not read it as one."""

    SPACE_BEFORE_PARENTHESIS = "space"
    """``[pdf] (https://x)``: Markdown shows the brackets and the parenthesis."""
    BRACES = "braces"
    """``[Paper]{https://x}``: braces where the destination's parentheses belong."""
    BLANK_IN_DESTINATION = "blank"
    """``[x](https://a.b/c d)``: a destination ends at its first blank (CommonMark)."""


@dataclass(frozen=True)
class LinkSlip:
    """An inline link that did not become one, found around the bare URL it left behind
    (GitHub and mistune both autolink the URL, so the link list holds it)."""

    kind: SlipKind
    start: int
    """Index in the line of the label's ``[`` (or of ``!`` for an image)."""
    end: int
    """Index in the line just past the closing ``)`` or ``}``."""
    label: str
    """The link text as written, brackets included."""
    destination: str
    """The destination as written, blanks included."""

    @property
    def repaired(self) -> str:
        """The link written the way Markdown reads it. Blanks in the destination become
        ``%20``, which is what a browser sends for them."""
        destination = re.sub(r"[ \t]", "%20", self.destination)
        return f"{self.label}({destination})"


_CLOSE_PAREN = re.compile(r"[ \t]*\)")
_CLOSE_BRACE = re.compile(r"[ \t]*\}")
# What the autolink left of the destination (punctuation it trims, as in "2301. 00004")
# and blank-separated words up to ")", none opening a link title or a nested bracket:
# "(https://a.b/c d)" but not '(https://a.b/c "title")'.
_BLANK_WORDS = re.compile(r"(?P<rest>[^\s()\[\]<>\"']*(?:[ \t]+[^\s()\[\]<>\"']+)+)[ \t]*\)")
# Before "[ ] (" or "[x] (": a task box at the start of a list item, not a link label.
_TASK_BOX = re.compile(r"[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX]\]")
# "[12] (https://x)": a citation mark followed by its source, not a link label.
_CITATION = re.compile(r"\[\s*\d+\s*\]")


def link_slip(line: str, url_start: int, url: str) -> LinkSlip | None:
    """The slipped inline link that left the bare URL ``url`` at ``line[url_start:]``;
    None when the URL is not one.

    Conservative by design: the bracketed label must close on the same line, and the
    parenthesis (or braces) must hold the URL alone, and after a blank the label must not
    be a citation mark or a task box, so prose such as "see [1] (https://x)" or
    "- [x] (https://x)" is never taken for a slip.
    """
    opener = _slip_opener(line, url_start)
    if opener is None:
        return None
    closing, gap, open_char = opener
    start = _label_starts(line).get(closing)
    if start is None:
        return None
    if gap and (
        _CITATION.fullmatch(line, start, closing + 1) or _TASK_BOX.fullmatch(line, 0, closing + 1)
    ):
        return None
    label = line[start : closing + 1]
    if start > 0 and line[start - 1] == "!":
        start -= 1
        label = "!" + label
    after = url_start + len(url)
    if open_char == "{":
        close = _CLOSE_BRACE.match(line, after) if not gap else None
        kind, destination = SlipKind.BRACES, url
    elif gap:
        close = _CLOSE_PAREN.match(line, after)
        kind, destination = SlipKind.SPACE_BEFORE_PARENTHESIS, url
    else:
        close = _BLANK_WORDS.match(line, after)
        kind = SlipKind.BLANK_IN_DESTINATION
        destination = url + close["rest"].rstrip() if close else url
    if close is None:
        return None
    return LinkSlip(kind, start, close.end(), label, destination)


def _slip_opener(line: str, url_start: int) -> tuple[int, bool, str] | None:
    """``](``, ``] (`` or ``]{`` right before the URL at ``line[url_start]``, blanks
    allowed inside: the index of the ``]``, whether a blank precedes the opener, and the
    opener. Read backwards over the blanks only, so each URL of a long line costs the
    blanks before it, not the whole line before it."""
    index = _skip_blanks_back(line, url_start)
    if index == 0 or line[index - 1] not in "({":
        return None
    open_char = line[index - 1]
    closing = _skip_blanks_back(line, index - 1) - 1
    if closing < 0 or line[closing] != "]":
        return None
    return closing, closing + 1 < index - 1, open_char


def _skip_blanks_back(line: str, end: int) -> int:
    """Where the run of spaces and tabs just before ``line[end]`` starts."""
    while end > 0 and line[end - 1] in " \t":
        end -= 1
    return end


@lru_cache(maxsize=4)
def _label_starts(line: str) -> dict[int, int]:
    """Each ``]`` of the line mapped to the ``[`` it closes, backslash escapes respected.

    One pass per line, kept for the next URL of the same line: a line of thousands of
    URLs, each after a ``]`` with no ``[``, would otherwise be scanned back to its start
    once per URL."""
    starts: dict[int, int] = {}
    open_brackets: list[int] = []
    for index, char in enumerate(line):
        if index > 0 and line[index - 1] == "\\":
            continue
        if char == "[":
            open_brackets.append(index)
        elif char == "]" and open_brackets:
            starts[index] = open_brackets.pop()
    return starts
