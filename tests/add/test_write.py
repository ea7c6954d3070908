"""``listcheck add`` writes the list back only if nobody changed it meanwhile, keeps its
byte-order mark, and never writes through a symlink."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from listcheck.add.write import write_list
from listcheck.errors import InputError

BEFORE = "# Papers\n\n- Old Paper [[paper](https://arxiv.org/abs/2401.00001)]\n"
AFTER = BEFORE + "- New Paper [[paper](https://arxiv.org/abs/2401.00002)]\n"


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_the_new_text_is_written_with_the_lists_own_bom(tmp_path: Path, bom: bytes) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(bom + BEFORE.encode())
    write_list(path, AFTER, original=BEFORE)
    assert path.read_bytes() == bom + AFTER.encode()


def test_a_list_edited_while_the_papers_were_fetched_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "README.md"
    edited = BEFORE + "- Someone Else's Paper\n"
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(InputError, match=r"changed on disk since it was read.*listcheck add"):
        write_list(path, AFTER, original=BEFORE)
    assert path.read_text(encoding="utf-8") == edited


def test_a_symlinked_list_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text(BEFORE, encoding="utf-8")
    link = tmp_path / "README.md"
    link.symlink_to(real)
    with pytest.raises(InputError, match="symbolic link"):
        write_list(link, AFTER, original=BEFORE)
    assert real.read_text(encoding="utf-8") == BEFORE
    assert link.is_symlink()
