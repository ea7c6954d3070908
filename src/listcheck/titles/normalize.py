"""Reduce a paper title to the text that identifies it, so that two spellings compare.

A list's title and arXiv's title for the same paper differ in ways no reader cares
about: capitals ("Knowledge unlearning for llms"), curly vs straight quotes
("Who’s" / "Who's"), dashes, a trailing period, the newline plus spaces arXiv puts
into long titles, TeX markup arXiv keeps verbatim (``$\\ell_1$``, ``\\emph{X}``,
``\\&``), HTML entities a scraper left behind, mojibake from a contributor's editor,
and a 【202503】 date or "(ICLR 2024)" venue tag the parser did not separate.
:func:`normalize_title` removes all of these and promises: two titles that differ only
in such ways give the same string, and the string holds only lower-case letters,
digits and single spaces.

What is deliberately *not* equated here: word order, abbreviations ("LLMs" vs
"Large Language Models") and hyphen-vs-no-space compounds ("Un-learning" vs
"Unlearning"); those are a judgement call made in :mod:`listcheck.titles`, which
compares the tokens this module produces (:func:`title_tokens`) and the colon-style
segments of a title (:func:`title_segments`).

Choices, each for a reason:

- Hyphens and dashes become spaces ("Text-to-Video" -> "text to video"); the judge
  also compares with spaces removed, so "Forget-me-not" still equals "Forgetmenot".
- Apostrophes and quotes vanish without a space ("Who’s" -> "whos", "Don't" ->
  "dont"), so their style never matters and no stray one-letter token appears.
- "&" reads as "and" ("Tasks, Methods & Challenges" = "…, Methods, and Challenges").
- Accents are dropped after NFKC ("Erdős" = "Erdos"): lists often lose them.
- TeX: formatting commands keep their argument (``\\textbf{X}`` -> X), Greek and
  ``\\ell`` become the letters a Unicode title would carry, math delimiters, braces,
  ``^`` and ``_`` go (``$L_0$`` -> "l0", ``R$^2$`` -> "r2", the same as NFKC makes of
  "L₀" and "R²"); symbols such as ``\\infty`` vanish, as "∞" does.
"""

from __future__ import annotations

import html
import re
import unicodedata

import ftfy

__all__ = ["normalize_title", "title_segments", "title_tokens"]

_GREEK = {
    name: chr(code)
    for name, code in {
        "alpha": 0x3B1,
        "beta": 0x3B2,
        "gamma": 0x3B3,
        "delta": 0x3B4,
        "epsilon": 0x3B5,
        "varepsilon": 0x3B5,
        "zeta": 0x3B6,
        "eta": 0x3B7,
        "theta": 0x3B8,
        "vartheta": 0x3B8,
        "iota": 0x3B9,
        "kappa": 0x3BA,
        "lambda": 0x3BB,
        "mu": 0x3BC,
        "nu": 0x3BD,
        "xi": 0x3BE,
        "pi": 0x3C0,
        "rho": 0x3C1,
        "varrho": 0x3C1,
        "sigma": 0x3C3,
        "tau": 0x3C4,
        "upsilon": 0x3C5,
        "phi": 0x3C6,
        "varphi": 0x3C6,
        "chi": 0x3C7,
        "psi": 0x3C8,
        "omega": 0x3C9,
        "Gamma": 0x393,
        "Delta": 0x394,
        "Theta": 0x398,
        "Lambda": 0x39B,
        "Xi": 0x39E,
        "Pi": 0x3A0,
        "Sigma": 0x3A3,
        "Phi": 0x3A6,
        "Psi": 0x3A8,
        "Omega": 0x3A9,
    }.items()
}
"""TeX Greek letters as the Unicode letters a list would paste (``$\\alpha$`` = "α")."""

_TEX_WORDS = {"ell": "l", "imath": "i", "jmath": "j", "ss": "ss", "ae": "ae", "oe": "oe"}
"""Letter-like commands: what a reader types for them."""

_TEX_FORMATTING = frozenset(
    {
        *("emph", "textbf", "textit", "texttt", "textsc", "textrm", "textsf", "textup"),
        *("textnormal", "textsuperscript", "textsubscript", "text", "mathrm", "mathbf", "mathit"),
        *("mathcal", "mathbb", "mathsf", "mathtt", "mathfrak", "mathscr", "mathnormal"),
        *("operatorname", "boldsymbol", "bm", "pmb", "mbox", "hbox", "url", "href", "underline"),
        *("overline", "widetilde", "widehat", "tilde", "hat", "bar", "vec", "dot", "ddot"),
        *("check", "breve", "acute", "grave", "sqrt", "frac", "dfrac", "tfrac", "left", "right"),
        *("big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "displaystyle"),
        *("textstyle", "scriptstyle", "it", "bf", "rm", "sf", "tt", "sc", "em", "small", "tiny"),
        *("large", "Large", "huge", "normalsize", "footnotesize"),
    }
)
_TEX_SYMBOLS = frozenset(
    {
        *("infty", "times", "cdot", "cdots", "ldots", "dots", "to", "rightarrow", "leftarrow"),
        *("leftrightarrow", "Rightarrow", "Leftarrow", "mapsto", "leq", "le", "geq", "ge", "neq"),
        *("approx", "sim", "simeq", "equiv", "propto", "pm", "mp", "star", "ast", "circ"),
        *("bullet", "in", "notin", "subset", "subseteq", "cup", "cap", "wedge", "vee", "forall"),
        *("exists", "partial", "nabla", "quad", "qquad", "prime", "dagger", "ddagger", "S", "P"),
        *("textendash", "textemdash", "textquoteright", "textquoteleft"),
    }
)
_TEX_SILENT = _TEX_FORMATTING | _TEX_SYMBOLS
"""Commands that carry no letters of their own: formatting (whose argument stays),
spacing and symbols (which vanish, as their Unicode forms do)."""

_TEX_COMMAND = re.compile(r"\\([A-Za-z]+)\*?")
_TEX_ACCENT = re.compile(r"""\\(?:['"`^~=.]|[cvuHrdbk](?![A-Za-z]))\s*\{?\s*([A-Za-z])\s*\}?""")
_TEX_ESCAPED = re.compile(r"\\([&%$#_{}])")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_LEADING_TAG = re.compile(
    r"^\s*(?:【[^】]*】|\[[^\]]*(?:\d|arxiv)[^\]]*\]|\(\s*\d{4,6}\s*\))\s*",
    re.IGNORECASE,
)
"""A date/venue tag left at the front: 【202503】, [202503], [ICLR 2024], [arXiv:2410.18057].
A bracket without a year or "arxiv" in it ("[Re] …") may be part of a real title."""

_TRAILING_TAG = re.compile(r"\s*[(\[（【][^()\[\]（）【】]*\d{4}[^()\[\]（）【】]*[)\]）】]\s*$")
"""A venue or year left at the end: "(ICLR 2024)", "[NeurIPS 2022]". A bracket with no
year in it ("(Extended Abstract)", "(oral)") may be the author's."""

_SEGMENT_BREAK = re.compile(r"\s*(?:[:?!;|]|\.\.\.|…)(?:\s+|$)|\s+[-‐‑‒–—―]+\s+")
"""Where a title divides into name, title and subtitle: "Name: Title", "Title? Yes",
"A - B", "A — B", "Unsafe Images ... For Now". A bare "." is not one ("vs. Euclidean")."""


def _fix_text(text: str) -> str:
    """Mojibake and HTML entities repaired: what the author meant to type."""
    if not text.isascii():
        text = ftfy.fix_encoding(text)
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    return text


def _tex_command(match: re.Match[str]) -> str:
    name = match.group(1)
    if name in _GREEK:
        return _GREEK[name]
    if name in _TEX_WORDS:
        return _TEX_WORDS[name]
    if name in _TEX_SILENT:
        return " " if name in ("quad", "qquad") else ""
    return name


def _untex(text: str) -> str:
    """TeX as a reader would transcribe it; cheap no-op for titles without markup."""
    if "\\" in text:
        text = _TEX_ESCAPED.sub(lambda m: " and " if m.group(1) == "&" else "", text)
        text = _TEX_ACCENT.sub(r"\1", text)
        text = text.replace("\\\\", " ")
        text = _TEX_COMMAND.sub(_tex_command, text)
    if "$" in text:
        text = text.replace("$", "")
    return text.replace("{", "").replace("}", "").replace("~", " ")


def _fold(text: str) -> str:
    """Compatibility forms, accents and case folded away (NFKC first: "ﬁ", "²", "ℓ")."""
    text = unicodedata.normalize("NFKC", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", text).casefold()


def _prepare(text: str) -> str:
    """Everything but the punctuation pass, so that segment breaks are still visible."""
    text = _fix_text(text)
    while True:
        stripped = _LEADING_TAG.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    text = _TRAILING_TAG.sub("", text)
    return _fold(_untex(text))


_QUOTES = frozenset("'\"`´‘’‚‛“”„‟′″‹›«»")


def _words(text: str) -> str:
    """Letters and digits kept; quotes vanish, "&" reads "and", anything else is a gap."""
    out: list[str] = []
    for ch in text:
        if ch.isalnum():
            out.append(ch)
        elif ch in _QUOTES:
            continue
        elif ch == "&":
            out.append(" and ")
        elif ch in "^_":
            continue
        else:
            out.append(" ")
    return " ".join("".join(out).split())


def normalize_title(text: str) -> str:
    """The comparable form of a title: lower-case letters and digits, single spaces."""
    return _words(_prepare(text))


def title_tokens(text: str) -> tuple[str, ...]:
    """The words of :func:`normalize_title`."""
    return tuple(normalize_title(text).split())


def title_segments(text: str) -> tuple[tuple[str, ...], ...]:
    """The title's colon-style parts, each as tokens: "Name: Title: Subtitle" gives three.

    A list that drops a subtitle or a name prefix keeps whole segments, which is how
    the judge tells an abbreviation from a different paper that merely starts with
    the same words ("Large Language Model Unlearning" vs "Large Language Model
    Unlearning via Embedding-Corrupted Prompts" has no segment break: not a part)."""
    parts = (_words(part).split() for part in _SEGMENT_BREAK.split(_prepare(text)))
    return tuple(tuple(part) for part in parts if part)
