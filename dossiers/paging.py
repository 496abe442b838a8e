"""Pages of long lists whose count stays cheap however many rows there are.

Counting every dossier a province or the superuser may see means visiting them all (and, for an
inspector or a search, joining each to its unit): hundreds of milliseconds at 100,000 dossiers,
on every page. Nobody reads "page 1 of 3,712"; they read "more than 10,000" and narrow the list.
So the count stops at `cap`: below it the count is exact, above it the page says honestly that
there are more (`capped`), and the pages beyond it are reached by narrowing the filters.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A Paginator whose count is exact up to `cap` rows; past it `count` is `cap` and `capped`
    is True. One query either way: COUNT over at most cap + 1 of the rows' ids, in no order."""

    cap = COUNT_CAP

    def __init__(self, *args, cap=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cap is not None:
            self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet):
            found = rows.order_by().values("pk")[: self.cap + 1].count()
        else:
            found = len(rows)
        self.capped = found > self.cap
        return min(found, self.cap)


def page_of(rows, number, per_page):
    """The page `number` (1 when invalid, the last when past it) of `rows`, with a capped count."""
    return CappedPaginator(rows, per_page).get_page(number)
