"""The GitHub service: :mod:`~listcheck.checkers.github.service` says which links it
claims and what its answers mean, :mod:`~listcheck.checkers.github.checker` checks
repositories and paths (REST, or GraphQL batches with a token),
:mod:`~listcheck.checkers.github.graphql` builds and reads those batches, and
:mod:`~listcheck.checkers.github.ratelimit` keeps the quota (and says when it resets)."""
