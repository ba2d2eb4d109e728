"""The page budget: the most pages a handout's leaflet may take, checked on every leaflet built.

One rule for `build`, `batch`, the desk and `check`: the handout's max_pages, twice that for
large print (the same content at 16 pt).
"""

from __future__ import annotations

from .content import LoadedHandout
from .errors import LeafletError
from .validation import where_of

LARGE_PRINT_BUDGET = 2  # large print may take twice the handout's max_pages


def page_budget(loaded: LoadedHandout, large_print: bool) -> int:
    return loaded.handout.max_pages * (LARGE_PRINT_BUDGET if large_print else 1)


class OverBudget(LeafletError):
    """A leaflet longer than its handout allows: refused unless the caller asked only for a warning."""


def check_pages(loaded: LoadedHandout, pages: int, large_print: bool, details: bool = False) -> None:
    """Raise OverBudget when `pages` (counted in the built PDF) exceeds the handout's budget."""
    budget = page_budget(loaded, large_print)
    if pages <= budget:
        return
    rule = f"twice max_pages ({loaded.handout.max_pages}) for large print" if large_print else "max_pages"
    hint = ("shorten the notes or the follow-up details" if details else
            "shorten the content, or raise max_pages if the clinic agrees") + \
        " (at the command line, --allow-over-budget writes it anyway, with a warning)"
    raise OverBudget(f"the leaflet takes {pages} pages (counted in the PDF as built), over the page budget of "
                     f"{budget} ({rule} of handout '{loaded.id}')", where_of(loaded.handout, "max_pages"), hint)
