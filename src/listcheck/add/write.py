"""Writing the list back: atomically, with its byte-order mark, and never over an edit
made while the papers were being fetched (the API call can take seconds)."""

from __future__ import annotations

import codecs
from pathlib import Path

from listcheck import safe_write
from listcheck.errors import InputError

_UTF8_BOM = codecs.BOM_UTF8


def write_list(path: Path, new_text: str, *, original: str) -> None:
    """Replaces the list at ``path`` by ``new_text`` when it still holds ``original``
    (the text :func:`~listcheck.reader.read_list` returned); :class:`InputError` and
    nothing written otherwise, or when ``path`` is a symlink or not a regular file."""
    refused = safe_write.refusal(path)
    if refused is not None:
        raise InputError(f"{path}: {refused}; listcheck add writes only a regular file")
    try:
        current = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read it again before writing: {exc.strerror}") from None
    has_bom = current.startswith(_UTF8_BOM)
    body = current[len(_UTF8_BOM) :] if has_bom else current
    if body != original.encode("utf-8"):
        raise InputError(
            f"{path}: changed on disk while the papers were fetched; nothing was written,"
            " run listcheck add again"
        )
    payload = (_UTF8_BOM if has_bom else b"") + new_text.encode("utf-8")
    try:
        safe_write.write_bytes(path, payload)
    except safe_write.RefusedTarget as exc:
        raise InputError(f"{path}: {exc}; nothing was written") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
