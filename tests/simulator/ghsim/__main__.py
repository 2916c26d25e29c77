"""``python -m ghsim`` (with tests/simulator on sys.path): the simulator's command line."""

import sys

from .server import main

sys.exit(main())
