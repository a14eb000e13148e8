"""Outcomes on pages: a person's growth as a chart, and lab staff's figures with those
over too few people withheld (learning.policy.enough_people)."""

from django import template
from django.utils.translation import gettext as _

from learning import policy

register = template.Library()

ROW, LABEL_WIDTH, BAR_WIDTH = 34, 230, 300


@register.inclusion_tag("learning/_growth_chart.html")
def growth_chart(growth):
    """Two bars per capability, first and latest rating on the scale of 1 to 4; the table
    beside it is the record (the chart is an image for those who can see it)."""
    rows = []
    for n, row in enumerate(growth):
        y = 30 + n * ROW
        rows.append(
            {
                "label": row.capability.name,
                "y": y,
                "first_width": round(row.first / 4 * BAR_WIDTH),
                "latest_width": round(row.latest / 4 * BAR_WIDTH),
                "first": row.first,
                "latest": row.latest,
            }
        )
    return {
        "rows": rows,
        "label_width": LABEL_WIDTH,
        "width": LABEL_WIDTH + BAR_WIDTH + 40,
        "height": 40 + len(rows) * ROW,
    }


@register.filter
def figure(value, suffix=""):
    """A figure for lab staff, or "fewer than 5" where it stands for too few people."""
    if value is None:
        return _("fewer than %(n)s") % {"n": policy.ENOUGH_PEOPLE}
    return f"{value}{suffix}"


@register.filter
def counted(count):
    """A number of people, or "fewer than 5"."""
    return figure(count if policy.enough_people(count) else None)
