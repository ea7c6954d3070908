"""Writing the list back: atomically, with its byte-order mark, and never over an edit
made while the papers were being fetched (the API call can take seconds). The reading
again and the comparison are ``--fix``'s own (:mod:`listcheck.fix.write`)."""

from __future__ import annotations

from pathlib import Path

from listcheck import safe_write
from listcheck.errors import InputError
from listcheck.fix.write import unchanged_bytes, with_bom_of


def write_list(path: Path, new_text: str, *, original: str) -> None:
    """Replaces the list at ``path`` by ``new_text`` when it still holds ``original``
    (the text :func:`~listcheck.reader.read_list` returned); :class:`InputError` and
    nothing written otherwise, or when ``path`` is a symlink or not a regular file."""
    refused = safe_write.refusal(path)
    if refused is not None:
        raise InputError(f"{path}: {refused}; listcheck add writes only a regular file")
    current = unchanged_bytes(path, original, rerun="listcheck add")
    try:
        safe_write.write_bytes(path, with_bom_of(current, new_text))
    except safe_write.RefusedTarget as exc:
        raise InputError(f"{path}: {exc}; nothing was written") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
