"""Long lists are shown a page at a time, whichever app they belong to."""

from django.core.paginator import Paginator


def paginate(request, rows, per_page):
    """(the page `request` asks for, the rest of its query string): the second lets the
    pagination links keep the list's filters."""
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
