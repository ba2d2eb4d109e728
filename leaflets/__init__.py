"""Printable patient leaflets: YAML content + profile + brand -> branded, print-ready PDF."""

import sys

from . import bidi as _bidi

# ReportLab sets right-to-left paragraphs when a module `rlbidi` provides log2vis;
# ours is python-bidi's algorithm. It must be in place before ReportLab is imported.
sys.modules.setdefault("rlbidi", _bidi)

__version__ = "0.1.0"
