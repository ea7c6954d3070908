"""The GitHub service: :mod:`~listcheck.checkers.github.service` says which links it
claims and what its answers mean, :mod:`~listcheck.checkers.github.checker` turns
targets into answers (a repository, then a tree/blob path inside it),
:mod:`~listcheck.checkers.github.repos` reads what GitHub says about one repository
(REST, or GraphQL batches with a token), :mod:`~listcheck.checkers.github.graphql`
builds and reads those batches, :mod:`~listcheck.checkers.github.transport` sends
every request (the token only to the API's origin, ETags and ``304`` revalidation)
and :mod:`~listcheck.checkers.github.ratelimit` keeps the quota (and says when it
resets)."""
