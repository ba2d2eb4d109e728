"""The page budget: the most pages a handout's leaflet may take, checked on every leaflet built.

One rule for `build`, `batch`, the desk and `check`: the handout's max_pages, twice that for
large print (the same content at 16 pt), and more in proportion for a script whose lines are set
further apart than Latin ones (Nastaliq, 1.5 times: fonts.FontSet.leading). The budget is there to
keep the content short; how far apart a script's lines must stand to be read is not content.
"""

from __future__ import annotations

import math

from .content import LoadedHandout
from .errors import LeafletError
from .fonts import font_set
from .validation import where_of

LARGE_PRINT_BUDGET = 2  # large print may take twice the handout's max_pages


def page_budget(max_pages: int, large_print: bool, language: str) -> int:
    return math.ceil(max_pages * (LARGE_PRINT_BUDGET if large_print else 1) * font_set(language).leading)


class OverBudget(LeafletError):
    """A leaflet longer than its handout allows: refused unless the caller asked only for a warning."""


def check_pages(loaded: LoadedHandout, pages: int, large_print: bool, language: str | None,
                details: bool = False) -> None:
    """Raise OverBudget when `pages` (counted in the built PDF) exceeds the handout's budget
    (`language` None: the handout's own)."""
    language = language or loaded.handout.language
    budget = page_budget(loaded.handout.max_pages, large_print, language)
    if pages <= budget:
        return
    rule = f"twice max_pages ({loaded.handout.max_pages}) for large print" if large_print else "max_pages"
    spacing = font_set(language).leading
    spaced = f", times {spacing:g} for the script's line spacing" if spacing != 1 else ""
    hint = ("shorten the notes or the follow-up details" if details else
            "shorten the content, or raise max_pages if the clinic agrees") + \
        " (at the command line, --allow-over-budget writes it anyway, with a warning)"
    raise OverBudget(f"the leaflet takes {pages} pages (counted in the PDF as built), over the page budget of "
                     f"{budget} ({rule} of handout '{loaded.id}'{spaced})", where_of(loaded.handout, "max_pages"), hint)
