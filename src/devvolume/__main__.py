"""``python -m devvolume`` runs the command line."""

import sys

from devvolume.cli import main

sys.exit(main())
