"""One line per configuration problem, worded for the TOML the maintainer wrote.

pydantic's messages speak Python ("Input should be a valid list"); a maintainer edits
TOML, so keys are spelt as TOML dotted keys, types as TOML's, values as TOML would
quote them, and an unknown key comes with the closest known spelling. Apart from the
settings and the loading so both (and the command-line overrides) word problems alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, Final

from pydantic import BaseModel

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TOML_TYPES: Final = {
    "tuple_type": "must be an array",
    "list_type": "must be an array",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "string_type": "must be a string",
    "int_type": "must be an integer",
    "float_type": "must be a number",
    "finite_number": "must be a finite number",
}


def problem(error: Any, model: type[BaseModel]) -> str:
    """What is wrong in one pydantic ``error`` against ``model``, without the key."""
    kind: str = error["type"]
    if kind == "extra_forbidden":
        loc = error["loc"]
        known = _fields_at(model, loc[:-1])
        import difflib

        hint = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.7)
        known_list = ", ".join(known)
        return (
            f"unknown key (did you mean {hint[0]!r}?)"
            if hint
            else f"unknown key (known keys: {known_list})"
        )
    got = toml_value(error.get("input"))
    if kind in _TOML_TYPES:
        return f"{_TOML_TYPES[kind]}, got {got}"
    message: str = error["msg"]
    if message.startswith("Input should be "):
        return f"must be {message.removeprefix('Input should be ')}, got {got}"
    return message


def _fields_at(model: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    for part in loc:
        field = model.model_fields.get(str(part))
        annotation = field.annotation if field is not None else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return list(model.model_fields)


def toml_key(loc: Sequence[int | str]) -> str:
    """``loc`` as a TOML dotted key (``http.per_host``, ``exclude[2]``)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = part if _BARE_KEY.fullmatch(part) else json.dumps(part)
            out += f".{name}" if out else name
    return out


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, str):
        # Quoted as TOML would, with what would act on a terminal (bidi overrides, other
        # invisible controls) escaped too: the message echoes a file anyone can edit.
        quoted = json.dumps(value, ensure_ascii=False)
        return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in quoted)
    return str(value)
