"""Detail labels and generic link texts: the words that say what a line or a link is
about rather than name a paper.

An entry's head, the test for a detail line under an entry and the test for a titled
link all ask the same two questions of a piece of text: does it open with a label
(``Paper:``, ``地址：``) that makes the line a detail of the entry above, and is a link's
text a kind of resource ("PDF", "code") rather than a title? The word lists that answer
them are long and change on their own, apart from how a head is read, so they live here.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")
LABEL = re.compile(r"\s*([^\W\d_][\w .'’/&+-]{0,30}?)\s*[:：]\s*")
"""A short ``Label:`` (or full-width ``Label：``) at the front of a line."""
_LABEL_MAX_WORDS = 3
"""A leading ``Label:`` of more words is the start of a sentence, not a label."""

# Link texts that name a kind of resource, not a paper.
GENERIC_LABELS = frozenset(
    {
        "pdf",
        "paper",
        "code",
        "arxiv",
        "link",
        "project",
        "page",
        "projectpage",
        "github",
        "website",
        "homepage",
        "home",
        "dataset",
        "data",
        "demo",
        "blog",
        "video",
        "slides",
        "bib",
        "bibtex",
        "openreview",
        "hf",
        "huggingface",
        "model",
        "models",
        "repo",
        "repository",
        "official",
        "html",
        "abs",
        "supp",
        "supplementary",
        "poster",
        "talk",
        "doi",
        "url",
        "here",
        "tweet",
        "notebook",
        "colab",
        "medium",
        "weights",
        "checkpoint",
        "checkpoints",
        "benchmark",
        "leaderboard",
        "zhihu",
        "youtube",
        "twitter",
        "x",
    }
)

DETAIL_LABELS = frozenset(
    {
        "paper",
        "papers",
        "pdf",
        "arxiv",
        "code",
        "codes",
        "github",
        "repo",
        "repository",
        "project",
        "project page",
        "page",
        "website",
        "homepage",
        "link",
        "links",
        "url",
        "demo",
        "blog",
        "video",
        "data",
        "dataset",
        "datasets",
        "model",
        "models",
        "weights",
        "summary",
        "abstract",
        "tldr",
        "tl;dr",
        "description",
        "intro",
        "introduction",
        "note",
        "notes",
        "comment",
        "comments",
        "author",
        "authors",
        "venue",
        "conference",
        "publication",
        "published",
        "date",
        "year",
        "time",
        "tags",
        "tag",
        "keywords",
        "license",
        "licence",
        "language",
        "languages",
        "lang",
        "modality",
        "size",
        "task",
        "tasks",
        "source",
        "citation",
        "cite",
        "bibtex",
        "institution",
        "affiliation",
        "organization",
        "contact",
        "status",
        "stars",
        "data generation model",
        "related",
        "related work",
        "related works",
        "see also",
        "resources",
        "results",
        "地址",
        "简介",
        "论文",
        "代码",
        "项目",
        "项目地址",
        "链接",
        "作者",
        "数据集",
        "模型",
        "介绍",
        "描述",
        "说明",
        "主页",
        "时间",
        "机构",
    }
)
"""Labels of the detail lines under an entry (``- Paper: …``, ``* 地址：…``): a line that
starts with one of them describes the entry above it and is not an entry itself."""


def is_generic_label(text: str) -> bool:
    words = _WORD.findall(text.casefold())
    return (
        not words
        or "".join(words) in GENERIC_LABELS
        or (len(words) <= 2 and all(w in GENERIC_LABELS for w in words))
    )


def detail_label(text: str) -> str | None:
    """The detail label an entry line starts with (``Paper`` in ``Paper: [x](…)``), if
    it starts with a known one."""
    m = LABEL.match(text)
    if m is None:
        return None
    label = " ".join(m.group(1).casefold().split())
    return label if label in DETAIL_LABELS else None


def leading_label(text: str) -> str | None:
    """Any short ``Label:`` an entry line starts with, known or not."""
    m = LABEL.match(text)
    if m is None or len(m.group(1).split()) > _LABEL_MAX_WORDS:
        return None
    return m.group(1)
