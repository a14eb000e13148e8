"""The reads the toolkit pages need, in a fixed number of queries."""

from django.db.models import Prefetch, Q

from community.accounts import policy as people_policy
from community.accounts.roles import is_lab_staff
from community.accounts.tags import tagged_ids
from learning.models import Offering
from toolkits.models import MethodCard, Toolkit, ToolkitFile, ToolkitUse
from toolkits.querysets import download_sums


def toolkit_list(*, filters):
    qs = (
        Toolkit.objects.published()
        .select_related("host_lab")
        .with_download_total()
        .with_user_count()
    )
    if filters.get("tag"):
        qs = qs.filter(pk__in=tagged_ids(Toolkit, filters["tag"]))
    if filters.get("audience"):
        qs = qs.filter(audience__icontains=filters["audience"])
    if filters.get("host_lab"):
        qs = qs.filter(host_lab=filters["host_lab"])
    if filters.get("licence"):
        qs = qs.filter(licence=filters["licence"])
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(summary__icontains=q)
            | Q(approach__icontains=q)
            | Q(tested_with__icontains=q)
        )
    order = ["-downloads", "-created_at"] if filters.get("sort") == "popular" else ["-created_at"]
    return qs.order_by(*order, "pk")


def download_totals(toolkit_ids):
    """{toolkit id: its downloads} for those of `toolkit_ids` that have any, in one query
    (`with_download_total()` gives the same sum to each row of a list)."""
    rows = download_sums().filter(file__toolkit__in=toolkit_ids)
    return dict(rows.values_list("file__toolkit", "n"))


def toolkit_get(*, slug, user):
    """The toolkit page's data, or None; lab staff may preview drafts."""
    qs = Toolkit.objects.all() if is_lab_staff(user) else Toolkit.objects.published()
    return (
        qs.select_related("host_lab")
        .with_user_count()
        .prefetch_related(
            "tags",
            "capabilities",
            Prefetch("cards", queryset=MethodCard.objects.order_by("position", "pk")),
            Prefetch(
                "files",
                queryset=ToolkitFile.objects.order_by("-uploaded_at", "-pk"),
                to_attr="versions",
            ),
            Prefetch(
                "related_offerings",
                queryset=Offering.objects.published().select_related("host_lab"),
            ),
        )
        .filter(slug=slug)
        .first()
    )


def stories(*, toolkit, viewer, limit=50):
    """The visible stories of `toolkit`, newest first; each names its teller (and their
    organisation) only when `viewer` may see them (community.accounts.policy)."""
    rows = list(
        ToolkitUse.objects.filter(toolkit=toolkit, hidden=False)
        .select_related("user__organisation")
        .order_by("-created_at")[:limit]
    )
    for use in rows:
        shown = people_policy.can_see(viewer, use.user)
        use.teller = people_policy.name_for(viewer, use.user)
        use.teller_organisation = use.user.organisation if shown else None
    return rows


def use_by(*, toolkit, user):
    if not user.is_authenticated:
        return None
    return ToolkitUse.objects.filter(toolkit=toolkit, user=user).first()


def stories_of(*, person, limit=10):
    """A person's visible toolkit stories, newest first (their profile shows them)."""
    return list(
        ToolkitUse.objects.filter(user=person, hidden=False)
        .select_related("toolkit")
        .order_by("-created_at")[:limit]
    )
