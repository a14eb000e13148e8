"""The reads the community pages need: who may see whom, the directory, advice, reach."""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import (
    Count,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from community.models import AdviceRequest, ChangeAgent, SpreadActivity, User, Visibility
from community.roles import is_lab_staff

# Learning's models are read by name, not imported: learning depends on community, and
# community's pages only need to filter people by what they completed.
COMPLETED = "completed"


def _learning_model(name):
    return apps.get_model("learning", name)


def visibility_filter(viewer):
    """Q of the people whose profile `viewer` may see."""
    if is_lab_staff(viewer):
        return Q()
    allowed = Q(visibility=Visibility.MEMBERS)
    if viewer.is_alumnus:
        allowed |= Q(visibility=Visibility.ALUMNI)
    return allowed | Q(pk=viewer.pk)


def person_get(*, handle, viewer):
    """The profile `viewer` asked for, or None when it does not exist or is not theirs
    to see (the two look the same, so hidden profiles stay hidden)."""
    if not viewer.is_authenticated:
        return None
    return (
        User.objects.filter(is_active=True, handle__iexact=handle)
        .filter(visibility_filter(viewer))
        .select_related("organisation", "change_agent__home_agency")
        .prefetch_related("expertise")
        .first()
    )


def tagged_ids(model, slug, manager="tags"):
    """A subquery of the ids of `model` rows tagged `slug` (through `manager`).

    Filtering with `pk__in=` this, rather than joining the tags, returns no duplicate
    rows, so lists need no DISTINCT over every column.
    """
    through = getattr(model, manager).through
    return through.objects.filter(
        tag__slug=slug,
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
    ).values("object_id")


def directory(*, viewer, filters):
    """Alumni and change agents `viewer` may see, filtered (a cleaned DirectoryForm)."""
    qs = (
        User.objects.filter(is_active=True)
        .filter(Q(alumnus_since__isnull=False) | Q(change_agent__status=ChangeAgent.Status.ACTIVE))
        .filter(visibility_filter(viewer))
    )
    # Enrolment filters are subqueries, not joins: no duplicate rows, so no DISTINCT over
    # every column (which made the directory's count cost grow with the membership).
    Enrolment = apps.get_model("learning", "Enrolment")
    if filters.get("programme"):
        programme = filters["programme"]
        qs = qs.filter(
            pk__in=Enrolment.objects.filter(
                Q(programme=programme) | Q(offering__programme=programme), status=COMPLETED
            ).values("user_id")
        )
    if filters.get("cohort"):
        qs = qs.filter(pk__in=Enrolment.objects.filter(cohort=filters["cohort"]).values("user_id"))
    if filters.get("organisation"):
        qs = qs.filter(organisation=filters["organisation"])
    if filters.get("country"):
        qs = qs.filter(country=filters["country"])
    if filters.get("expertise"):
        qs = qs.filter(pk__in=tagged_ids(User, filters["expertise"], manager="expertise"))
    if filters.get("open_to_advice"):
        qs = qs.filter(open_to_advice=True)
    if filters.get("change_agent"):
        qs = qs.filter(change_agent__status=ChangeAgent.Status.ACTIVE)
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(display_name__icontains=q) | Q(bio__icontains=q))
    return (
        qs.select_related("organisation", "change_agent__home_agency")
        .prefetch_related("expertise")
        .order_by("display_name", "pk")
    )


def advice_for(*, user):
    """(received, sent) conversations of `user`, newest activity first."""
    base = AdviceRequest.objects.select_related("requester", "recipient").order_by("-updated_at")
    return list(base.filter(recipient=user)), list(base.filter(requester=user))


def advice_get(*, pk, user):
    """A conversation, only for its two people; None otherwise."""
    return (
        AdviceRequest.objects.filter(pk=pk)
        .filter(Q(requester=user) | Q(recipient=user))
        .select_related("requester", "recipient")
        .prefetch_related(Prefetch("replies", queryset=_replies()))
        .first()
    )


def _replies():
    from community.models import AdviceReply

    return AdviceReply.objects.select_related("author").order_by("created_at", "pk")


def change_agent_of(user):
    if not user.is_authenticated:
        return None
    return ChangeAgent.objects.filter(user=user).select_related("home_agency").first()


def spread_log(agent):
    return agent.activities.select_related("agency", "verified_by").order_by("-happened_on", "-pk")


# --- reach ----------------------------------------------------------------------------------


@dataclass
class Reach:
    totals: dict
    by_half_year: list
    by_organisation: list
    by_programme: list
    cascade_total: int
    by_agent: list  # lab staff only
    chart: dict


def _sum_of(queryset, field):
    """A subquery for the SUM of `field` over `queryset` (no GROUP BY needed)."""
    return Subquery(
        queryset.order_by().annotate(total=Func(F(field), function="SUM")).values("total")[:1],
        output_field=IntegerField(),
    )


def _chart(rows, width=560, height=180):
    """Bar geometry for a simple SVG chart; the data table beside it is the real record."""
    top = max((row["reached"] for row in rows), default=0) or 1
    bar = width / max(len(rows), 1)
    bars = []
    for i, row in enumerate(rows):
        h = round(row["reached"] / top * (height - 45))
        bars.append(
            {
                "x": round(i * bar + bar * 0.15),
                "width": round(bar * 0.7),
                "y": height - 20 - h,
                "height": h,
                "label_x": round(i * bar + bar / 2),
                "label": row["label"],
                "value": row["reached"],
            }
        )
    return {"width": width, "height": height, "bars": bars, "baseline": height - 20}


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

    Enrolment = _learning_model("Enrolment")
    Programme = _learning_model("Programme")
    alumni = Enrolment.objects.filter(status=COMPLETED).filter(
        Q(programme=OuterRef(OuterRef("pk"))) | Q(offering__programme=OuterRef(OuterRef("pk")))
    )
    # Both subqueries below sit directly under the programme row, so the alumni subquery
    # reaches the programme two levels up.
    agents_of_programme = ChangeAgent.objects.filter(
        status=ChangeAgent.Status.ACTIVE, user__in=alumni.values("user")
    )
    by_programme = list(
        Programme.objects.filter(status="published")
        .annotate(
            reached=Coalesce(
                _sum_of(
                    activities.filter(change_agent__user__in=alumni.values("user")),
                    "people_reached",
                ),
                0,
            ),
            agents=Coalesce(
                Subquery(
                    agents_of_programme.order_by()
                    .annotate(n=Func(F("pk"), function="COUNT"))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            ),
        )
        .values("title", "reached", "agents")
        .order_by("-reached", "title")
    )

    encouraged = Enrolment.objects.filter(
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
                        Enrolment.objects.filter(encouraged_by=OuterRef("user"))
                        .order_by()
                        .annotate(n=Func(F("user"), function="COUNT"))
                        .values("n")[:1],
                        output_field=IntegerField(),
                    ),
                    0,
                ),
            )
            .values("user__display_name", "home_agency__name", "reached", "encouraged")
            .order_by("-reached")
        )
    return Reach(
        totals,
        by_half_year,
        by_organisation,
        by_programme,
        cascade_total,
        by_agent,
        _chart(by_half_year),
    )


# --- sharing meetings ---------------------------------------------------------------------------


def _meetings_for(user):
    """Meetings the person may see: those they are invited to; lab staff see all."""
    from community.models import Meeting

    qs = Meeting.objects.all()
    if is_lab_staff(user):
        return qs
    qs = qs.exclude(status=Meeting.Status.DRAFT)
    Enrolment = _learning_model("Enrolment")
    done = Enrolment.objects.filter(user=user, status=COMPLETED)
    programmes = done.filter(programme__isnull=False).values("programme")
    via_offerings = done.filter(offering__programme__isnull=False).values("offering__programme")
    invited = Q(programme__in=programmes) | Q(programme__in=via_offerings) | Q(extra_invitees=user)
    if user.is_alumnus:
        invited |= Q(programme__isnull=True)
    return qs.filter(invited).distinct()


def meeting_list(*, user, now=None):
    """(upcoming, past) meetings with the person's own answer attached."""
    from django.utils import timezone

    from community.models import Rsvp

    now = now or timezone.now()
    qs = (
        _meetings_for(user)
        .select_related("programme")
        .annotate(going=Count("rsvps", filter=Q(rsvps__answer="going", rsvps__waitlisted=False)))
    )
    answers = {r.meeting_id: r for r in Rsvp.objects.filter(user=user, meeting__in=qs.values("pk"))}
    upcoming = list(qs.filter(ends_at__gte=now).order_by("starts_at")[:50])
    past = list(qs.filter(ends_at__lt=now).order_by("-starts_at")[:50])
    for meeting in upcoming + past:
        meeting.my_rsvp = answers.get(meeting.pk)
    return upcoming, past


def meeting_get(*, pk, user):
    return _meetings_for(user).select_related("series", "programme").filter(pk=pk).first()


def meeting_people_going(*, meeting, viewer):
    """Who is going, as far as each person's profile visibility allows."""
    from community.models import Rsvp

    return list(
        Rsvp.objects.filter(meeting=meeting, answer="going", waitlisted=False)
        .filter(user__in=User.objects.filter(visibility_filter(viewer)))
        .select_related("user__organisation")
        .order_by("user__display_name")
    )


def calendar_feed_meetings(*, user):
    from community.models import Meeting

    return (
        Meeting.objects.filter(rsvps__user=user, rsvps__answer="going", rsvps__waitlisted=False)
        .exclude(status=Meeting.Status.DRAFT)
        .order_by("starts_at")
    )


# --- forums -------------------------------------------------------------------------------


def space_list(*, user):
    from django.db.models import Max

    from community.models import Space
    from community.services.forums import readable_spaces_filter

    return (
        Space.objects.filter(readable_spaces_filter(user))
        .annotate(
            topic_count=Count("topics", distinct=True),
            post_count=Count("topics__posts", distinct=True),
            latest=Max("topics__last_activity_at"),
        )
        .order_by("position", "name")
    )


def space_get(*, slug, user):
    from community.models import Space
    from community.services.forums import readable_spaces_filter

    return Space.objects.filter(readable_spaces_filter(user)).filter(slug=slug).first()


class CountedApart:
    """Rows for a Paginator whose total comes from a plainer queryset: counting the
    annotated one would compute every row's annotations just to count them."""

    def __init__(self, rows, counted):
        self.rows, self.counted = rows, counted
        self.ordered = True

    def count(self):
        return self.counted.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        return self.rows[index]


def topic_list(*, space, user, kind=None, tag=None, best=False):
    from community.models import Post, Reaction, Topic, TopicRead

    last_read = TopicRead.objects.filter(topic=OuterRef("pk"), user=user).values("read_at")[:1]
    base = Topic.objects.filter(space=space)
    if kind:
        base = base.filter(kind=kind)
    if tag:
        base = base.filter(pk__in=tagged_ids(Topic, tag))
    if best:
        return (
            base.select_related("author")
            .prefetch_related("tags")
            .annotate(
                reply_count=Count("posts", distinct=True) - 1,
                helpful=Count("posts__reactions", distinct=True),
                read_at=Subquery(last_read),
            )
            .filter(kind="experience", helpful__gt=0)
            .order_by("-helpful", "-created_at")
        )

    def per_topic(queryset):
        # Correlated subqueries: computed for the page's rows only, after the LIMIT.
        return Coalesce(
            Subquery(queryset.order_by().values("topic_id").annotate(n=Count("pk")).values("n")),
            0,
        )

    rows = (
        base.select_related("author")
        .prefetch_related("tags")
        .annotate(
            reply_count=per_topic(Post.objects.filter(topic=OuterRef("pk"))) - 1,
            helpful=per_topic(
                Reaction.objects.filter(post__topic=OuterRef("pk")).annotate(
                    topic_id=F("post__topic_id")
                )
            ),
            read_at=Subquery(last_read),
        )
        .order_by("-pinned", "-last_activity_at", "-pk")
    )
    return CountedApart(rows, base)


def topic_get(*, pk, user):
    from community.models import Space, Topic
    from community.services.forums import readable_spaces_filter

    return (
        Topic.objects.filter(pk=pk, space__in=Space.objects.filter(readable_spaces_filter(user)))
        .select_related("space", "author", "accepted_post", "related_offering", "related_toolkit")
        .first()
    )


def topic_posts(*, topic):
    from community.models import Post

    return (
        Post.objects.filter(topic=topic)
        .select_related("author__organisation", "quoted__author")
        .annotate(helpful=Count("reactions"))
        .order_by("created_at", "pk")
    )


def moderation_queue():
    from community.models import Post

    return (
        # Both conditions in one filter(): the same flag row must exist and be open.
        Post.objects.filter(flags__isnull=False, flags__resolved_at__isnull=True)
        .select_related("author", "topic__space")
        .prefetch_related("flags__reporter")
        .annotate(first_flag=Min("flags__created_at"))
        .order_by("first_flag")
        .distinct()
    )


SEARCH_START, SEARCH_STOP = "\x02", "\x03"


def _highlight(text):
    """Escapes `text`, then turns the search markers into <mark> elements."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    safe = escape(text).replace(SEARCH_START, "<mark>").replace(SEARCH_STOP, "</mark>")
    # Escaped just above; only our own markers become tags.
    return mark_safe(safe)  # noqa: S308 # nosec B308 B703


def _plain_snippet(body, q, width=160):
    at = body.lower().find(q.lower())
    start = max(at - width // 3, 0) if at >= 0 else 0
    piece = body[start : start + width]
    if at >= 0:
        i = at - start
        piece = piece[:i] + SEARCH_START + piece[i : i + len(q)] + SEARCH_STOP + piece[i + len(q) :]
    return ("…" if start else "") + piece + ("…" if start + width < len(body) else "")


SEARCH_CANDIDATES = 1000


def forum_search(*, user, q, limit=30):
    """Posts (with their topics) matching `q` in spaces `user` may read, best first.

    PostgreSQL: full-text search over the GIN-indexed vector, titles weighing more than
    bodies, with highlighted snippets. SQLite: a plain substring match, titles first.
    """
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
    from django.db import connection
    from django.db.models import Case, IntegerField, Value, When

    from community.models import Post, Space
    from community.services.forums import readable_spaces_filter

    q = (q or "").strip()[:200]
    if not q:
        return []
    spaces = Space.objects.filter(readable_spaces_filter(user)).values("pk")
    posts = Post.objects.filter(
        topic__space__in=spaces, deleted_at__isnull=True, hidden_at__isnull=True
    ).select_related("topic__space", "author")
    if connection.vendor == "postgresql":
        query = SearchQuery(q, search_type="websearch", config="simple")
        # Ranking is capped: only the SEARCH_CANDIDATES most recent matches are ranked, so
        # a common word costs the same at a million posts as at a thousand. (PostgreSQL
        # walks the recent-posts index for a common word and the GIN index for a rare one.)
        candidates = posts.filter(search_vector=query).order_by("-created_at")[:SEARCH_CANDIDATES]
        rows = list(
            Post.objects.filter(pk__in=candidates.values("pk"))
            .select_related("topic__space", "author")
            .annotate(
                rank=SearchRank(F("search_vector"), query),
                snippet=SearchHeadline(
                    "body",
                    query,
                    config="simple",
                    start_sel=SEARCH_START,
                    stop_sel=SEARCH_STOP,
                    max_words=35,
                    min_words=15,
                ),
            )
            .order_by("-rank", "-created_at")[:limit]
        )
    else:
        rows = list(
            posts.filter(Q(body__icontains=q) | Q(topic__title__icontains=q))
            .annotate(
                rank=Case(
                    When(topic__title__icontains=q, then=Value(2)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("-rank", "-created_at")[:limit]
        )
        for row in rows:
            row.snippet = _plain_snippet(row.body, q)
    for row in rows:
        row.snippet_html = _highlight(row.snippet)
    return rows
