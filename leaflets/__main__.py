"""`python -m leaflets` runs the same command as generate.py."""

import sys

from .cli import main

sys.exit(main())
