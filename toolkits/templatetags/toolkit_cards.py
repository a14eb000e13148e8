"""The toolkit list's cards, kept by their content (innolab.fragments): each is rendered
from a dict of what it shows, once per process for those values."""

from django import template

from innolab import fragments
from toolkits.models import LICENCE_LABELS

register = template.Library()


@register.simple_tag
def toolkit_card(toolkit, live_downloads=False):
    """{% toolkit_card toolkit %}: a toolkit from the list's selector (download and user
    totals) with its `tag_list` set. With `live_downloads`, the downloads are a slot
    filled for each request (the list as every visitor sees it, learning.visitors)."""
    return fragments.render(
        "toolkits/_toolkit_card.html",
        {
            "slug": toolkit.slug,
            "title": toolkit.title,
            "summary": toolkit.summary,
            "lab": toolkit.host_lab.name,
            "licence": str(LICENCE_LABELS.get(toolkit.licence, toolkit.licence)),
            "downloads": (
                fragments.slot("downloads", toolkit.pk) if live_downloads else toolkit.downloads
            ),
            "used_by": toolkit.used_by,
            "tags": toolkit.tag_list,
        },
    )
