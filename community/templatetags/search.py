from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from community.selectors.search import SEARCH_START, SEARCH_STOP

register = template.Library()


@register.filter
def highlight(snippet):
    """{{ post.snippet|highlight }}: escapes the snippet, then turns the search's match
    markers into <mark> elements."""
    safe = escape(snippet).replace(SEARCH_START, "<mark>").replace(SEARCH_STOP, "</mark>")
    # Escaped just above; only our own markers become tags.
    return mark_safe(safe)  # noqa: S308 # nosec B308 B703
