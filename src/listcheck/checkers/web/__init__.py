"""The web service, which claims every http(s) link no other service claims:
:mod:`~listcheck.checkers.web.service` says what its answers mean,
:mod:`~listcheck.checkers.web.checker` asks each URL (HEAD, then GET)."""
