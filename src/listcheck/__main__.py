"""Allows ``python -m listcheck``."""

import sys

from listcheck.cli import main

sys.exit(main())
