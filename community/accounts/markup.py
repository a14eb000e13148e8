"""Markdown written by people, rendered to HTML that is safe to show to others.

Markdown is converted first, then nh3 (the Ammonia sanitiser) keeps only a small set of
tags and attributes: no raw HTML survives, no script, no javascript: links, no images.
"""

import markdown as markdown_lib
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h2", "h3", "h4", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text):
    """Returns sanitised HTML (marked safe) for Markdown `text`."""
    if not text:
        # An empty string: nothing to escape.
        return mark_safe("")  # nosec B308
    html = markdown_lib.markdown(text, extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
    )
    # Sanitised by nh3 just above: only the allowed tags and attributes remain.
    return mark_safe(clean)  # noqa: S308 # nosec B308 B703
