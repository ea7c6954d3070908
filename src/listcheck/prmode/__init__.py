"""PR mode (``--diff BASE``): what a pull request changed, and the findings it is
answerable for. :mod:`~listcheck.prmode.changes` decides what is checked and reported;
:mod:`~listcheck.prmode.gitdiff` asks git which lines changed. Loaded only with
``--diff``."""
