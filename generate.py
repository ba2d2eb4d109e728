#!/usr/bin/env python3
"""Build patient leaflets. Run `python generate.py --help`; same as the `leaflets` command."""

import sys

from leaflets.cli import main

if __name__ == "__main__":
    sys.exit(main())
