"""Parsing: Markdown text in, a typed :class:`~listcheck.models.Document` out."""

from listcheck.parse.document import parse_document

__all__ = ["parse_document"]
