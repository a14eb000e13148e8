"""The toolkit sections of cohort digests (registered with learning in apps.py)."""

from django.db.models import Count

from community.models import Visibility
from toolkits.models import Toolkit, ToolkitUse

ITEMS = 5


def toolkits_used(*, cohort, members, tags, since, until):
    """Toolkits the cohort's members told a story about in the period."""
    uses = ToolkitUse.objects.filter(
        user__in=members, hidden=False, created_at__gte=since, created_at__lt=until
    )
    rows = list(
        uses.values("toolkit__title", "toolkit__slug")
        .annotate(n=Count("pk"))
        .order_by("-n", "toolkit__title")
    )
    if not rows:
        return None
    # One name per toolkit where the teller's profile is visible to every member.
    names = {}
    for slug, name in (
        uses.filter(user__visibility=Visibility.MEMBERS)
        .order_by("created_at")
        .values_list("toolkit__slug", "user__display_name")
    ):
        names.setdefault(slug, name)
    items = [
        {
            "title": row["toolkit__title"],
            "url": Toolkit(slug=row["toolkit__slug"]).get_absolute_url(),
            "count": row["n"],
            "by": names.get(row["toolkit__slug"], ""),
        }
        for row in rows[:ITEMS]
    ]
    return {"items": items, "total": len(rows), "more": max(len(rows) - ITEMS, 0)}


def new_toolkits(*, cohort, members, tags, since, until):
    """Toolkits published in the period on one of the cohort's tags."""
    if not tags:
        return None
    toolkits = (
        Toolkit.objects.published()
        .filter(created_at__gte=since, created_at__lt=until, tags__name__in=tags)
        .distinct()
        .order_by("title")
    )
    items = [
        {"title": t.title, "url": t.get_absolute_url(), "note": t.summary} for t in toolkits[:ITEMS]
    ]
    if not items:
        return None
    return {"items": items, "total": len(items), "more": 0}
