"""python -m local: see local.cli."""

import gc
import sys

from local.cli import main

gc.freeze()  # the libraries imported live for the whole command: the collector need not walk them again and again
sys.exit(main())
