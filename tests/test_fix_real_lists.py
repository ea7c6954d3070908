"""``--fix`` on real lists changes no link into one that resolves less.

Offline, the only fixes are canonical arXiv URLs (and entry moves, left out here). Every
link the fix changed must name the same arXiv paper and version as before (so it
resolves exactly when the old one did); every other link, and every byte outside the
changed URLs, stays as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from listcheck.cli import main
from listcheck.models import LinkKind
from listcheck.parse import parse_document
from tests.real_lists import READERS, REAL

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/corpus/real is absent")


@pytest.mark.parametrize("name", sorted(READERS))
def test_fix_keeps_every_link_resolving(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "README.md"
    shutil.copyfile(REAL / name, path)
    before_text = path.read_text(encoding="utf-8")
    # Entry moves (entry/order) are checked in tests/test_fix_moves.py: here every
    # line stays where it was, so a changed link is compared with the one it replaced.
    main(
        [
            "--offline",
            "--fix",
            "--ignore",
            "entry/order",
            "--no-cache",
            "--format",
            "json",
            str(path),
        ]
    )
    capsys.readouterr()
    after_text = path.read_text(encoding="utf-8")
    before = parse_document(before_text, "README.md")
    after = parse_document(after_text, "README.md")

    assert len(after.links) == len(before.links)
    changed = [(b, a) for b, a in zip(before.links, after.links, strict=True) if b.url != a.url]
    for old, new in changed:
        assert (old.kind, new.kind) == (LinkKind.ARXIV, LinkKind.ARXIV), (old.url, new.url)
        assert old.arxiv is not None
        assert new.arxiv is not None
        assert (new.arxiv.id, new.arxiv.version) == (old.arxiv.id, old.arxiv.version)
        assert new.url.startswith("https://arxiv.org/")
        assert (new.line, new.column) == (old.line, old.column)
    # Outside the changed URLs the file is byte for byte what it was: putting the old
    # URLs back (right to left on each line) gives the original lines.
    lines = after_text.split("\n")
    for old, new in sorted(changed, key=lambda pair: (pair[1].line, -pair[1].column)):
        row, start = new.line - 1, new.column - 1
        assert lines[row][start : start + len(new.url)] == new.url
        lines[row] = lines[row][:start] + old.url + lines[row][start + len(new.url) :]
    assert "\n".join(lines) == before_text
    assert [e.title for e in after.entries] == [e.title for e in before.entries]
