"""``python -m workshopkit`` runs the same entry point as the console script."""

import sys

from workshopkit.cli import main

sys.exit(main())
