"""listcheck: keeps curated paper lists healthy."""

__version__ = "0.1.0"
