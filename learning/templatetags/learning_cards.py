"""The catalogue's cards, kept by their content (innolab.fragments).

Each card is rendered from a dict of what it shows; the reader's own state ("You are
signed up") is added around it by the page."""

from django import template

from innolab import fragments
from learning import registry
from learning.models import Format, Mode, Offering

register = template.Library()

MODE_LABELS = dict(Mode.choices)
FORMAT_LABELS = dict(Format.choices)


@register.filter
def mode_label(code):
    """A mode's name, for an offering's mode or a registered mode's (toolkits): a dict
    read, where get_mode_display() walks every choice."""
    if code in MODE_LABELS:
        return MODE_LABELS[code]
    source = registry.get(code)
    return source.label if source is not None else code


@register.filter
def format_label(code):
    return FORMAT_LABELS.get(code, code)


def offering_card(offering):
    """An offering's card; `offering` comes from the catalogue's selector (seats taken)
    with its `cta` and `tag_list` set."""
    return fragments.render(
        "learning/_offering_card.html",
        {
            "slug": offering.slug,
            "title": offering.title,
            "summary": offering.summary,
            "starts_on": offering.starts_on,
            "ends_on": offering.ends_on,
            "format": offering.format,
            "lab": offering.host_lab.name,
            "closed": offering.cta.state == "closed",
            "seats_left": offering.cta.seats_left,
            "tags": offering.tag_list,
        },
    )


@register.simple_tag
def catalogue_card(item):
    """{% catalogue_card item %}: an offering's card, or the card of a registered mode."""
    if isinstance(item, Offering):
        return offering_card(item)
    return registry.get(item.mode).card(item)


@register.simple_tag
def programme_strip(programmes):
    """{% programme_strip programmes %}: the catalogue's strip of programmes."""
    rows = tuple((p.slug, p.title, p.summary, p.step_count, p.host_lab.name) for p in programmes)
    return fragments.render("learning/_programme_strip.html", {"programmes": rows})
