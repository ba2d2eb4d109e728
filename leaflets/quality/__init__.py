"""`generate.py check`: the quality gates a handout passes before a patient sees it.

Each rule lives in its own module and returns Findings; runner.py runs them
all over a content folder and a brand. docs/checks.md explains every rule.
"""

from .findings import Finding, Report
from .runner import run_checks

__all__ = ["Finding", "Report", "run_checks"]
