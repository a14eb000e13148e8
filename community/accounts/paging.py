"""Long lists are shown a page at a time, whichever app they belong to: the pager, and
counts for the rows of a page."""

from django.core.paginator import Paginator
from django.db.models import Count, Subquery
from django.db.models.functions import Coalesce


def paginate(request, rows, per_page, params=None):
    """(the page `request` asks for, the rest of its query string): the second lets the
    pagination links keep the list's filters (`params`, when given: the query string's
    known parameters, see known_params)."""
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    query = (request.GET if params is None else params).copy()
    query.pop("page", None)
    return page, query.urlencode()


def known_params(query, names):
    """A copy of the QueryDict `query` with only the parameters in `names`."""
    known = query.copy()
    for name in set(known) - set(names):
        del known[name]
    return known


def counted(rows, key):
    """How many of `rows` (a queryset correlated to the outer row through OuterRef) there
    are, as a subquery grouped on `key`, 0 for none: computed for a page's rows only,
    after the LIMIT, with no GROUP BY over the outer query's columns."""
    return Coalesce(Subquery(rows.order_by().values(key).annotate(n=Count("pk")).values("n")), 0)
