"""Reach: how far the practice spread, from change agents' verified logs and enrolments."""

from dataclasses import dataclass

from django.db.models import Count, F, Func, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from community.accounts.roles import is_lab_staff
from community.models import ChangeAgent, SpreadActivity
from learning import policy as learning_policy
from learning.models import Programme
from learning.selectors import outcomes as outcome_selectors


@dataclass
class Reach:
    totals: dict
    by_half_year: list
    by_organisation: list
    by_programme: list
    cascade_total: int
    by_agent: list  # lab staff only
    used_at_work: list  # follow-up answers by half-year, shares withheld below 5 people


def _sum_of(queryset, field):
    """A subquery for the SUM of `field` over `queryset` (no GROUP BY needed)."""
    return Subquery(
        queryset.order_by().annotate(total=Func(F(field), function="SUM")).values("total")[:1],
        output_field=IntegerField(),
    )


def _count_of(queryset, field="pk"):
    """A subquery for the COUNT of `field` over `queryset` (no GROUP BY needed)."""
    return Coalesce(
        Subquery(
            queryset.order_by().annotate(n=Func(F(field), function="COUNT")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def reach(*, viewer=None):
    """How far the practice spread: totals, by half-year, organisation, programme, and the
    cascade of members encouraged by change agents. Per-person detail for lab staff."""
    activities = SpreadActivity.objects.filter(change_agent__status=ChangeAgent.Status.ACTIVE)
    totals = activities.aggregate(
        people=Coalesce(Sum("people_reached"), 0),
        activities=Count("pk"),
        agencies=Count("agency", distinct=True),
    )
    totals["teams"] = activities.exclude(team="").values("agency", "team").distinct().count()
    totals["change_agents"] = ChangeAgent.objects.filter(status=ChangeAgent.Status.ACTIVE).count()

    halves = (
        activities.annotate(year=ExtractYear("happened_on"), month=ExtractMonth("happened_on"))
        .annotate(half=(F("month") + 5) / 6)
        .values("year", "half")
        .annotate(reached=Sum("people_reached"), n=Count("pk"))
        .order_by("year", "half")
    )
    by_half_year = [
        {"label": f"{r['year']} H{r['half']}", "reached": r["reached"], "activities": r["n"]}
        for r in halves
    ]
    by_organisation = list(
        activities.values(name=F("agency__name"))
        .annotate(reached=Sum("people_reached"), activities=Count("pk"))
        .order_by("-reached", "name")[:20]
    )

    # Both subqueries below sit directly under the programme row, so the alumni subquery
    # reaches the programme two levels up.
    alumni = learning_policy.alumni_ids(OuterRef(OuterRef("pk")))
    agents_of_programme = ChangeAgent.objects.filter(
        status=ChangeAgent.Status.ACTIVE, user__in=alumni
    )
    by_programme = list(
        Programme.objects.published()
        .annotate(
            reached=Coalesce(
                _sum_of(
                    activities.filter(change_agent__user__in=alumni),
                    "people_reached",
                ),
                0,
            ),
            agents=_count_of(agents_of_programme),
        )
        .values("title", "reached", "agents")
        .order_by("-reached", "title")
    )

    # The cascade counts people, once each, who took a place (learning.policy's members):
    # not applications, nor places given up.
    encouraged = learning_policy.member_enrolments().filter(
        encouraged_by__change_agent__status=ChangeAgent.Status.ACTIVE
    )
    cascade_total = encouraged.values("user").distinct().count()
    by_agent = []
    if viewer is not None and is_lab_staff(viewer):
        by_agent = list(
            ChangeAgent.objects.filter(status=ChangeAgent.Status.ACTIVE)
            .annotate(
                reached=Coalesce(Sum("activities__people_reached"), 0),
                encouraged=Coalesce(
                    Subquery(
                        learning_policy.member_enrolments()
                        .filter(encouraged_by=OuterRef("user"))
                        .order_by()
                        .annotate(n=Func(F("user"), template="COUNT(DISTINCT %(expressions)s)"))
                        .values("n")[:1],
                        output_field=IntegerField(),
                    ),
                    0,
                ),
            )
            .values("user__display_name", "home_agency__name", "reached", "encouraged")
            .order_by("-reached")
        )
    used_at_work = outcome_selectors.used_at_work_by_half_year()
    return Reach(
        totals, by_half_year, by_organisation, by_programme, cascade_total, by_agent, used_at_work
    )
