"""The Hugging Face service: :mod:`~listcheck.checkers.huggingface.service` says which
links it claims and what its answers mean, :mod:`~listcheck.checkers.huggingface.checker`
asks the Hub API."""
