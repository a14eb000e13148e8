"""The toolkits' place in the learning catalogue and the learning cycle."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from community.accounts.tags import tagged_ids
from innolab import fragments
from learning.registry import CatalogueSource
from toolkits.models import LICENCE_LABELS, PersonDownload, Toolkit, ToolkitUse

# Catalogue filters that toolkits cannot satisfy: they have no date, format or language.
EXCLUDING_FILTERS = ("format", "language", "starts_after")


def catalogue_items(filters, now=None):
    if any(filters.get(name) for name in EXCLUDING_FILTERS):
        return None
    qs = Toolkit.objects.published().select_related("host_lab")
    if filters.get("host_lab"):
        qs = qs.filter(host_lab=filters["host_lab"])
    if filters.get("tag"):
        qs = qs.filter(pk__in=tagged_ids(Toolkit, filters["tag"]))
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(approach__icontains=q))
    return qs.order_by("title", "pk")


def catalogue_card(toolkit):
    """A toolkit's card in the catalogue, kept by its content (innolab.fragments)."""
    return fragments.render(
        "toolkits/_catalogue_card.html",
        {
            "slug": toolkit.slug,
            "title": toolkit.title,
            "summary": toolkit.summary,
            "lab": toolkit.host_lab.name,
            "licence_label": str(LICENCE_LABELS.get(toolkit.licence, toolkit.licence)),
            "tags": toolkit.tag_list,
        },
    )


def done_for(user):
    """Downloading or using a toolkit counts as the fourth mode done."""
    return (
        PersonDownload.objects.filter(user=user).exists()
        or ToolkitUse.objects.filter(user=user).exists()
    )


def suggestions(user, interests, limit):
    return list(
        Toolkit.objects.published()
        .only("pk", "slug", "title")  # a link each
        .annotate(matches=Count("tags", filter=Q(tags__name__in=interests), distinct=True))
        .order_by("-matches", "-created_at")[:limit]
    )


toolkit_source = CatalogueSource(
    mode="toolkit",
    label=_("Toolkits and formalised approaches"),
    explanation=_(
        "Translate the approach into tools people can read and remember: toolkits designed "
        "and tested with a real unit, ready to be used again elsewhere."
    ),
    card=catalogue_card,
    items=catalogue_items,
    done_for=done_for,
    suggestions=suggestions,
)
