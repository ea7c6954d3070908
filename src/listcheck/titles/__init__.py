"""Listed titles against arXiv's: :mod:`~listcheck.titles.normalize` reduces a title to
what identifies it, :mod:`~listcheck.titles.compare` judges same paper, typo, earlier
version or different paper. Pure functions: the arXiv titles come from the caller."""
