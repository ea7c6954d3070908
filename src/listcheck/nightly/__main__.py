"""``python -m listcheck.nightly``."""

import sys

from listcheck.nightly.cli import main

sys.exit(main())
