"""Listed titles against arXiv's: :mod:`~listcheck.titles.normalize` reduces a title to
what identifies it, :mod:`~listcheck.titles.distance` measures how far two titles' words
are, :mod:`~listcheck.titles.match` says how one title relates to another,
:mod:`~listcheck.titles.compare` judges same paper, typo, earlier version or different
paper, and :mod:`~listcheck.titles.editorial` tells a list that names papers its own
way. Pure functions: the arXiv titles come from the caller."""
