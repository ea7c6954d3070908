"""``--fix``: findings whose repair is mechanical, turned into edits of the list as written.

- :mod:`~listcheck.fix.plan` decides which findings to fix and gathers one plan:
  :mod:`~listcheck.fix.candidates` turns each finding into an edit or a refusal,
  :mod:`~listcheck.fix.verify` resolves overlaps and parses the fixed text again;
- :mod:`~listcheck.fix.apply` applies edits to the text in one pass and renders a diff;
- :mod:`~listcheck.fix.write` writes the fixed list (never through a symlink, keeping
  the encoding's BOM and the line endings);
- :mod:`~listcheck.fix.documents` runs the three over a run's documents for the CLI.

Loaded only by ``--fix``: an ordinary run never imports this package.
"""
