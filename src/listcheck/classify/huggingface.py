"""Which Hugging Face repository (model, dataset or space) a huggingface.co URL names.

The Hub's URLs are ambiguous in ways GitHub's are not: models have no prefix, a few old
models and datasets live at a bare name, and a bare name is otherwise a profile. The
rules for telling them apart are kept here, in one place.
"""

from __future__ import annotations

import re

from listcheck.classify.result import CLASSIFIED, PLAIN, Classified
from listcheck.models import LinkKind

_HF_RESERVED = frozenset(
    {
        "api",
        "blog",
        "brand",
        "changelog",
        "chat",
        "collections",
        "course",
        "courses",
        "docs",
        "enterprise",
        "inference-api",
        "inference-endpoints",
        "join",
        "learn",
        "login",
        "logout",
        "models",
        "new",
        "new-dataset",
        "new-space",
        "notifications",
        "organizations",
        "papers",
        "posts",
        "pricing",
        "privacy",
        "search",
        "settings",
        "support",
        "tasks",
        "terms-of-service",
        "transformers",
    }
)
"""First path segments that are Hugging Face's own pages, never an owner or a model."""

_HF_REPO_SUBPAGES = frozenset(
    {"tree", "blob", "resolve", "raw", "viewer", "discussions", "commits", "commit", "edit"}
)
_HF_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*", re.ASCII)
_HF_LEGACY_MODEL = re.compile(
    r"(?:albert|bert|camembert|distilbert|distilroberta|roberta|t5|transfo-xl|xlm|xlm-roberta"
    r"|xlnet|gpt2|openai-gpt)(?:-[a-z0-9-]+)?|ctrl|distilgpt2",
    re.ASCII,
)
"""The pre-2020 canonical models that live at a bare name. Any other one-segment path is a
user's or an organisation's profile, which has no API to ask."""


def classify_huggingface(path: str) -> Classified:
    """The repository the path of a Hugging Face URL names; plain WEB for the Hub's own
    pages and for profiles."""
    segments = [s for s in path.split("/") if s]
    if not segments:
        return PLAIN[LinkKind.WEB]
    head = segments[0]
    if head in {"datasets", "spaces"}:
        names = segments[1:]
        legacy = len(names) == 1 or (len(names) > 1 and names[1] in _HF_REPO_SUBPAGES)
        if head == "datasets" and legacy:
            return _hf_ref("datasets", names[:1])
        return _hf_ref(head, names[:2]) if len(names) >= 2 else PLAIN[LinkKind.WEB]
    if head in _HF_RESERVED:
        return PLAIN[LinkKind.WEB]
    if _HF_LEGACY_MODEL.fullmatch(head) and (
        len(segments) == 1 or segments[1] in _HF_REPO_SUBPAGES
    ):
        return _hf_ref("models", segments[:1])
    if len(segments) == 1:
        return PLAIN[LinkKind.WEB]
    return _hf_ref("models", segments[:2])


def _hf_ref(repo_type: str, names: list[str]) -> Classified:
    if not names or not all(_HF_NAME.fullmatch(name) for name in names):
        return PLAIN[LinkKind.WEB]
    hf = {"repo_type": repo_type, "repo_id": "/".join(names)}
    return CLASSIFIED.validate_python({"kind": LinkKind.HUGGINGFACE, "hf": hf})
