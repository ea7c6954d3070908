"""text/mojibake: UTF-8 that someone's editor decoded with a legacy 8-bit code page.

Lists are edited by many hands; one contributor on an old Windows or Mac setup turns
"👍" into "ðŸ‘\\x8d" (Windows-1252) or "\\uf8ffüëç" (Mac Roman) and every later
reader sees the damage. The UTF-8 bytes are still recoverable from the wrong
characters, so the rule can show the exact span and what it should read.

Only encoding repair is used, never ftfy's other normalisations: curly quotes, 【】
brackets and full-width text are what the authors meant and are not findings.

Speed: ftfy is only consulted on short runs that look like UTF-8 lead and continuation
bytes seen through one of the two code pages, found by a regular expression, and ASCII
lines are skipped outright; a 10,000-line list costs a few milliseconds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from listcheck.models import Document, Finding
from listcheck.rules.base import LintContext, finding, offline_rule


def _code_page(codec: str) -> dict[int, str]:
    """What each high byte looks like through ``codec``; a byte the code page leaves
    undefined shows as the C1 control of the same number, as Windows itself does."""
    table: dict[int, str] = {}
    for byte in range(0x80, 0x100):
        try:
            table[byte] = bytes([byte]).decode(codec)
        except UnicodeDecodeError:
            table[byte] = chr(byte)
    return table


_CP1252 = _code_page("cp1252")
_MAC_ROMAN = _code_page("mac_roman")
_CP1252_BYTES = {char: byte for byte, char in _CP1252.items()} | {
    chr(byte): byte for byte in range(0x80, 0xA0)
}
_LOSABLE = bytes(b for b in range(0x80, 0xA0) if _CP1252[b] == chr(b))
"""The five bytes Windows-1252 leaves undefined (81 8D 8F 90 9D): the ones a Windows
round trip silently drops or turns into U+FFFD, as in "ðŸ‘" for "👍"."""


def _chars(table: dict[int, str], low: int, high: int) -> str:
    return "".join(table[byte] for byte in range(low, high + 1))


def _klass(chars: str) -> str:
    return "[" + "".join(re.escape(char) for char in sorted(set(chars))) + "]"


_C1 = "".join(chr(byte) for byte in range(0x80, 0xA0))
_CP_LEAD = _klass(_chars(_CP1252, 0xC2, 0xF4))
_CP_CONT = _klass(_chars(_CP1252, 0x80, 0xBF) + _C1 + "\ufffd")
_CP_RUN = re.compile(f"{_CP_LEAD}{_CP_CONT}+(?:{_CP_LEAD}{_CP_CONT}+)*")

_MR_CONT = _klass(_chars(_MAC_ROMAN, 0x80, 0xBF))
_MR_SEQUENCE = (
    f"{_klass(_chars(_MAC_ROMAN, 0xC2, 0xDF))}{_MR_CONT}"
    f"|{_klass(_chars(_MAC_ROMAN, 0xE0, 0xEF))}{_MR_CONT}{{2}}"
    f"|{_klass(_chars(_MAC_ROMAN, 0xF0, 0xF4))}{_MR_CONT}{{3}}"
)
_MR_ONE = re.compile(_MR_SEQUENCE)
_MR_RUN = re.compile(f"(?:{_MR_SEQUENCE})+")

_SUSPECT = re.compile(
    _klass(_chars(_CP1252, 0xC2, 0xF4) + _chars(_MAC_ROMAN, 0xC2, 0xF4))
    + _klass(_chars(_CP1252, 0x80, 0xBF) + _C1 + "\ufffd" + _chars(_MAC_ROMAN, 0x80, 0xBF))
)
"""A lead character of either code page followed by a continuation character of
either: one scan that starts with a character class, which the regular-expression
engine searches quickly, where the precise patterns above are ten times slower."""

_ENCODING_NAMES = {
    # ftfy tries Latin-1 first, and it agrees with Windows-1252 on every byte that
    # shows as a printable character; Windows-1252 is the name a contributor knows.
    "latin-1": "Windows-1252",
    "sloppy-windows-1252": "Windows-1252",
    "sloppy-windows-1251": "Windows-1251",
    "sloppy-windows-1250": "Windows-1250",
    "iso-8859-2": "ISO-8859-2",
    "macroman": "Mac Roman",
    "cp437": "CP437",
}
_UNPRINTABLE = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})
_SHOWN_WIDTH = 40


@dataclass(frozen=True)
class Repair:
    """One mis-decoded span of a line (0-based code-point offsets, end exclusive)."""

    start: int
    end: int
    repaired: str | None
    """What the span should read; None when a lost byte leaves several readings."""
    encodings: tuple[str, ...]
    """The wrong code page(s) the UTF-8 went through, outermost last."""
    candidates: tuple[str, ...] = ()
    """The possible readings when ``repaired`` is None."""


def _names(explanation: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    names = [_ENCODING_NAMES.get(arg, arg) for step, arg in explanation if step == "encode"]
    return tuple(names) or ("Windows-1252",)


def _trim(original: str, fixed: str) -> tuple[int, int, str]:
    """Narrows a repair to what changed: a run can swallow a correct curly quote that
    merely follows the damage. At least one repaired character is kept, so that "Â£"
    reads as "£" rather than as a bare "Â" to delete."""
    keep = min(len(original), len(fixed)) - 1
    head = 0
    while head < keep and original[head] == fixed[head]:
        head += 1
    tail = 0
    while tail < keep - head and original[-1 - tail] == fixed[-1 - tail]:
        tail += 1
    return head, len(original) - tail, fixed[head : len(fixed) - tail]


def _plausible_filling(text: str) -> bool:
    """A guessed lost byte must give symbols or punctuation (emoji, quotes, dashes):
    the bytes Windows-1252 loses end 3- and 4-byte sequences, and a guess that yields a
    CJK letter is far more likely a false alarm on accented text."""
    from ftfy.badness import is_bad  # ftfy loads tables; only lines that need it pay

    return not is_bad(text) and all(
        char.isascii() or unicodedata.category(char)[0] in "SP" for char in text
    )


def _lost_byte(text: str) -> tuple[str, ...]:
    """Readings of a run that lost one undefined Windows-1252 byte (dropped, or
    replaced by U+FFFD), which ftfy leaves alone or "repairs" as the wrong emoji."""
    from ftfy.badness import is_bad

    if not is_bad(text) or text.count("\ufffd") > 1:
        return ()
    head, mark, tail = text.partition("\ufffd")
    try:
        data = bytes(_CP1252_BYTES[char] for char in head + tail)
    except KeyError:
        return ()
    if mark:
        at = len(head)
    else:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            at = error.end
        else:
            return ()
    readings = []
    for byte in _LOSABLE:
        try:
            reading = (data[:at] + bytes([byte]) + data[at:]).decode("utf-8")
        except UnicodeDecodeError:
            continue
        if _plausible_filling(reading):
            readings.append(reading)
    return tuple(readings)


def _windows_1252(line: str) -> Iterator[Repair]:
    for run in _CP_RUN.finditer(line):
        text = run.group()
        import ftfy

        result = ftfy.fix_encoding_and_explain(text)
        if (
            result.text != text
            and "\ufffd" not in result.text
            and _ftfy_agrees(line, run.start(), run.end())
        ):
            head, end, fixed = _trim(text, result.text)
            yield Repair(
                run.start() + head, run.start() + end, fixed, _names(result.explanation or [])
            )
            continue
        readings = _lost_byte(text)
        if readings:
            only = readings[0] if len(readings) == 1 else None
            yield Repair(run.start(), run.end(), only, ("Windows-1252",), readings)


def _mac_roman(line: str) -> Iterator[Repair]:
    """Mac Roman repaired by hand, because ftfy's repair of it is gated by a badness
    score built from the characters Windows-1252 mojibake produces (√, ‚, ≈). Mac
    Roman's 4-byte sequences start with U+F8FF (the Apple logo) followed by ordinary
    letters, so the commonest case, an emoji ("\\uf8ffüëç" for "👍"), scores 0 and ftfy
    returns it unchanged; so do CJK brackets ("„Äê" for "【"). Each UTF-8 sequence the
    pattern finds is decoded strictly; a run holding a 3- or 4-byte sequence is
    accepted on that alone (real text does not follow one of these lead characters
    with two or three continuation characters), while two-character sequences ("√©"
    for "é") need ftfy's agreement, since "«é", "√π" or a row of Option-key symbols
    "≈ç√∫" can be meant."""
    for run in _MR_RUN.finditer(line):
        pieces: list[tuple[int, int, str]] = []
        for sequence in _MR_ONE.finditer(line, run.start(), run.end()):
            try:
                char = sequence.group().encode("mac_roman").decode("utf-8")
            except UnicodeDecodeError:
                yield from _accept_mac_roman(line, pieces)
                pieces = []
                continue
            pieces.append((sequence.start(), sequence.end(), char))
        yield from _accept_mac_roman(line, pieces)


def _accept_mac_roman(line: str, pieces: list[tuple[int, int, str]]) -> Iterator[Repair]:
    if not pieces:
        return
    start, end = pieces[0][0], pieces[-1][1]
    fixed = "".join(char for _, _, char in pieces)
    if any(unicodedata.category(char) in ("Cc", "Co", "Cn", "Cs") for char in fixed):
        return
    if any(stop - begin >= 3 for begin, stop, _ in pieces) or _ftfy_agrees(line, start, end):
        yield Repair(start, end, fixed, ("Mac Roman",))


_WORD_EDGE = re.compile(r"\s")


def _ftfy_agrees(line: str, start: int, end: int) -> bool:
    """ftfy judges a span within its whole word, and must repair that very span:
    "Garc√≠a" is mojibake, while "≈ç" or "Â¯" inside "Ω≈ç√∫˜µ≤≥÷åß∂ƒ©˙∆˚¬…æœ∑˜Â¯˘" (a
    row of Option-key symbols, as test data lists them) is not, although each pair
    alone looks like it."""
    first = max((space.end() for space in _WORD_EDGE.finditer(line, 0, start)), default=0)
    after = _WORD_EDGE.search(line, end)
    word = line[first : after.start() if after else len(line)]
    import ftfy

    return line[start:end] not in ftfy.fix_encoding(word)


def _merge(line: str, repairs: list[Repair]) -> list[Repair]:
    """One finding per damaged word: "Ã©tÃ©" is one repair to "été", not two."""
    merged: list[Repair] = []
    for repair in sorted(repairs, key=lambda r: r.start):
        if merged and repair.start < merged[-1].end:
            continue  # both code pages explain these characters; the first one wins
        last = merged[-1] if merged else None
        gap = line[last.end : repair.start] if last else " "
        if (
            last is not None
            and last.repaired is not None
            and repair.repaired is not None
            and last.encodings == repair.encodings
            and not any(char.isspace() for char in gap)
        ):
            merged[-1] = replace(
                last, end=repair.end, repaired=last.repaired + gap + repair.repaired
            )
        else:
            merged.append(repair)
    return merged


def find_mojibake(line: str) -> list[Repair]:
    """Every mis-decoded span of one line, left to right."""
    if line.isascii() or not _SUSPECT.search(line):
        return []
    return _merge(line, [*_windows_1252(line), *_mac_roman(line)])


_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")


def prose_lines(lines: Sequence[str]) -> Iterator[tuple[int, str]]:
    """(1-based number, text) of each line outside fenced code blocks: code may show
    mojibake on purpose, e.g. in an example of what not to do."""
    fence: str | None = None
    for number, line in enumerate(lines, start=1):
        match = _FENCE.match(line)
        rest = line[match.end() :] if match else ""
        if fence is None:
            if match and not (match.group(1)[0] == "`" and "`" in rest):
                fence = match.group(1)
                continue
            yield number, line
        elif (
            match
            and match.group(1)[0] == fence[0]
            and len(match.group(1)) >= len(fence)
            and not rest.strip()
        ):
            fence = None


def _show(text: str) -> str:
    shown = "".join(
        f"<U+{ord(char):04X}>" if unicodedata.category(char) in _UNPRINTABLE else char
        for char in text
    )
    if len(shown) > _SHOWN_WIDTH:
        shown = shown[: _SHOWN_WIDTH - 1] + "…"
    return f'"{shown}"'


def describe(line: str, repair: Repair) -> str:
    original = _show(line[repair.start : repair.end])
    if len(repair.encodings) == 1:
        how = f"UTF-8 read as {repair.encodings[0]}"
    else:
        how = f"UTF-8 mis-decoded {len(repair.encodings)} times: {', '.join(repair.encodings)}"
    if repair.repaired is not None:
        return f"mis-decoded text {original} ({how}); it should read {_show(repair.repaired)}"
    options = ", ".join(_show(reading) for reading in repair.candidates)
    return f"mis-decoded text {original} ({how}, a byte lost); it read one of {options}"


@offline_rule("text/mojibake")
def mojibake(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """Mis-decoded spans anywhere in the file but code blocks, with the repaired text."""
    for number, line in prose_lines(doc.lines):
        for repair in find_mojibake(line):
            yield finding(
                doc,
                "text/mojibake",
                number,
                repair.start + 1,
                describe(line, repair),
                suggestion=repair.repaired,
            )
