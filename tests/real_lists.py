"""A careful reader's count of the entries in the real lists of ``../shared/corpus/real``.

Each list gets a reader written by hand after reading the whole list: a pattern for the
lines where one of its entries starts, and where that entry's title is on the line. The
readers are specific to their list (they know its one shape), so they are independent of
listcheck's parser, which knows no list in particular; a test compares the two.

How each list was counted (what a reader of the rendered page calls one entry):

* **atfortes/Awesome-LLM-Reasoning** — every numbered item ``1. **[Title.](…)**`` of the
  paper sections, and the ``- **[Name](…)**`` items of "Other Useful Resources" and
  "Other Awesome Lists" (a tool or a list is that section's entry). The title is the
  bold link's label without its final period. The contributing steps and the HTML table
  of contents are not entries.
* **awesome-NeRF** — every ``- [Title](…), Authors, Venue | …`` bullet from "Survey" on;
  the title is the link label (an emoji in front is decoration). The table of contents
  at the top links to headings and is not entries.
* **dair-ai/ML-Papers-of-the-Week** — every table row ``| N) Name  Summary… | Links |``;
  the title is the name before the two spaces that start the summary. The weekly table of
  contents (``./#top-ml-papers-…``) is not entries.
* **diff-usion/Awesome-Diffusion-Models** — every paragraph whose first line is a bold
  title ending in a ``\\`` line break; the title is the bold text, without
  ``:emoji:`` codes.
* **hoya012/deep_learning_object_detection** — every bullet of the paper sections,
  ``- **[Short]** Title | **[Venue]** | [`[pdf]`](…)`` (the short name is optional, and
  one entry has no link at all); the title is the text before the first ``|``. The
  table of contents, the performance tables and the dataset statistics table are not
  entries, nor are the contact bullets.
* **yaodongC/awesome-instruction-dataset** — every dataset heading
  ``## [(owner/name)|size|tags](…)`` outside the template's code block; its title is
  the label of its ``- paper: [Title](…)`` detail when that is a link, else the dataset
  name. The table of contents repeats the datasets and is not counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"

_EMOJI_CODE = re.compile(r":[a-z0-9_+-]+:")


def normal_title(text: str) -> str:
    """Titles compared as a reader compares them: case, spacing, edge punctuation and
    emoji aside."""
    text = _EMOJI_CODE.sub("", text)
    text = "".join(c for c in text if c.isalnum() or c.isspace() or c in "-:?!,'&+/()")
    return " ".join(text.casefold().split()).strip(" .:,-")


Reader = Callable[[list[str]], dict[int, str]]


def _matches(lines: list[str], pattern: str, first: int = 1) -> dict[int, str]:
    compiled = re.compile(pattern)
    found: dict[int, str] = {}
    for number, line in enumerate(lines, start=1):
        if number < first:
            continue
        m = compiled.match(line)
        if m:
            found[number] = m.group("t").strip()
    return found


def _line_of(lines: list[str], text: str) -> int:
    return next(i for i, line in enumerate(lines, start=1) if line.strip() == text)


def atfortes(lines: list[str]) -> dict[int, str]:
    found = _matches(lines, r"^\s*(?:\d+\.|-)\s+\*\*\[(?P<t>.+?)\]\(")
    return {n: t.rstrip(".") for n, t in found.items()}


def nerf(lines: list[str]) -> dict[int, str]:
    return _matches(lines, r"^\s*- \[(?P<t>.+?)\]\((?!#)", _line_of(lines, "## Survey"))


def dair_ai(lines: list[str]) -> dict[int, str]:
    cells = _matches(lines, r"^\| *\d+\) (?P<t>[^|]+)")
    titles: dict[int, str] = {}
    for number, cell in cells.items():
        bold = re.match(r"\*\*(.+?)\*\*", cell)
        if bold:
            titles[number] = bold.group(1)
            continue
        title = re.split(r" {2,}| - | -(?=\w)", cell.strip())[0]
        # Two rows run their title into the summary with one space (lines 215, 216).
        titles[number] = re.split(r" (?=Introduces |This paper )", title)[0]
    return titles


def diff_usion(lines: list[str]) -> dict[int, str]:
    found = _matches(lines, r"^\*\*(?P<t>.+)\*\* *\\ *$")
    return {
        n: _EMOJI_CODE.sub("", t).strip()
        for n, t in found.items()
        if n == 1 or not lines[n - 2].strip()
    }


def hoya012(lines: list[str]) -> dict[int, str]:
    found = _matches(
        lines, r"^-  ?(?:\*\*\[[^\]]+\]\*\* *)?(?P<t>[^|*\[ ][^|]*?)\s*\|\s*(?:\|\s*)?\*\*\["
    )
    # The one paper bullet without venue or link (it is a real slip of the list).
    found.update(_matches(lines, r"^- \*\*\[C-MIL\]\*\* (?P<t>.+)$"))
    return found


def yaodongc(lines: list[str]) -> dict[int, str]:
    found: dict[int, str] = {}
    in_code = False
    heading = re.compile(r"^\s{0,3}#{1,4} \[\((?P<t>[^)]+)\)")
    paper = re.compile(r"^\s*- paper: \[(?P<t>[^\]]+)\]\(")
    current: int | None = None
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        m = heading.match(line)
        if m:
            current = number
            found[number] = re.sub(r"[{}]", "", m.group("t"))
            continue
        if line.lstrip().startswith("#"):
            current = None
        p = paper.match(line)
        if p and current is not None:
            found[current] = p.group("t")
    return found


READERS: dict[str, Reader] = {
    "atfortes__Awesome-LLM-Reasoning.md": atfortes,
    "awesome-NeRF__awesome-NeRF.md": nerf,
    "dair-ai__ML-Papers-of-the-Week.md": dair_ai,
    "diff-usion__Awesome-Diffusion-Models.md": diff_usion,
    "hoya012__deep_learning_object_detection.md": hoya012,
    "yaodongC__awesome-instruction-dataset.md": yaodongc,
}


def read_list(name: str) -> tuple[list[str], dict[int, str]]:
    """The list's lines and the reader's entries: start line -> title."""
    lines = (REAL / name).read_text(encoding="utf-8").splitlines()
    return lines, READERS[name](lines)
