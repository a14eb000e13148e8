"""Pages as every visitor sees them: the catalogue, an offering, the toolkits.

A visitor (not signed in) has no state of their own on these pages, so their body is the
same for every visitor asking for the same thing. It is kept (innolab.fragments) under
what was asked for and the catalogue's version (innolab.versions), which the database
changes with any write to a table these pages show: never out of date, and nothing to
clear. What the clock alone changes (a deadline passing, a new day) is heeded too: a
body is kept only until the next such moment. The rest of the page (messages, the
language form and its token) is rendered for each visitor.

A figure visitors themselves change (a toolkit's downloads) is not part of the body:
it is a slot (`fragments.slot`), filled for each request, so a visitor's download never
gives everyone's pages a new key.
"""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import conditional_escape

from innolab import fragments, versions
from learning.apps import CATALOGUE
from learning.selectors import catalogue_changes_at


def page(request, name, values, make, *, clock=catalogue_changes_at, fill=None):
    """The page `name` for `values` (what the visitor asked for). `make()` returns its
    (title, body template, body context), and is only called when no body is kept;
    `clock(now)` the next moment the body may change with no write (None: never);
    `fill(body)` the values of its slots ({slot name: {key: value}}). With kept bodies
    turned off (BODY_CACHE_ENTRIES=0) the body is rendered, and no version is read."""
    version = versions.current(CATALOGUE) if fragments.bodies.entries > 0 else None
    now = timezone.now()

    def render_parts():
        title, template, context = make()
        # Both parts are kept as HTML: the title (a row's text) is escaped here.
        return conditional_escape(title), render_to_string(template, context, request)

    if version is None:  # turned off, or inside a transaction: nothing to key on
        title, body = render_parts()
    else:
        title, body = fragments.get_or_render_until(
            name,
            [version, *values],
            lambda: (render_parts(), clock(now) if clock else None),
            now=now,
        )
    if fill is not None:
        body = fragments.fill_slots(body, fill(body))
    return render(request, "visitor_page.html", {"kept_title": title, "kept_body": body})


def params(request, form_class, *, free_text=("q",)):
    """The known filters and page a visitor asked for, as the key of the page they see;
    None when the page is not kept: a signed-in reader (the page shows their state), a
    free-text search (as many keys as searches), or a value no link of ours makes."""
    if request.user.is_authenticated or any(request.GET.get(name) for name in free_text):
        return None
    asked = []
    for name in [*form_class.base_fields, "page"]:
        values = request.GET.getlist(name)
        if len(values) > 1 or any(len(value) > 40 for value in values):
            return None
        asked.append(values[0] if values else None)
    page_number = asked[-1]
    if page_number is not None and not (page_number.isdigit() and len(page_number) <= 4):
        return None
    return tuple(asked)
