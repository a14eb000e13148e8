"""What a cohort's digest says, and how it reads in an e-mail.

Reads only; the sending lives in `community.services.digests`. A digest's content is
built once per cohort and period as a JSON-ready dict (frozen on the `CohortDigest`, so
every chunk of a large cohort sends the same thing) and rendered per language and time
zone, then wrapped per person (greeting and unsubscribe link).

The sections are listed in SECTIONS, in the order the e-mail shows them. A section names
people only where their profile is visible to every member (forum posts already are), so
a digest never reveals a hidden profile.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation

from community import policy
from community.accounts import policy as people_policy
from community.accounts.models import User
from community.models import Meeting, SpreadActivity, Topic
from learning import policy as learning_policy
from learning.models import DigestRecord, Enrolment, EnrolmentStatusChange, Offering, Programme
from learning.selectors import outcomes as outcome_selectors
from toolkits.models import Toolkit, ToolkitUse

ITEMS = 5  # per section; the rest is counted as "and N more"


# --- Schedule --------------------------------------------------------------------------


def due_dates_after(anchor, months, after):
    """The first date anchor + k·months (k ≥ 1) strictly after `after`."""
    k = 1
    if after > anchor:
        # Jump close, then step: month arithmetic clamps day 31 to 30, so count from the
        # anchor each time instead of adding to the previous date.
        elapsed = (after.year - anchor.year) * 12 + after.month - anchor.month
        k = max(1, elapsed // months)
    while anchor + relativedelta(months=k * months) <= after:
        k += 1
    return anchor + relativedelta(months=k * months)


def last_due_on_or_before(anchor, months, day):
    """The latest date anchor + k·months (k ≥ 1) on or before `day`, or None."""
    first = anchor + relativedelta(months=months)
    if first > day:
        return None
    due = first
    while (following := due_dates_after(anchor, months, due)) <= day:
        due = following
    return due


def start_of_day(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


# --- Content ---------------------------------------------------------------------------


def members(cohort):
    """The cohort's people (its members, learning.policy) with an active account."""
    return User.objects.filter(is_active=True, pk__in=learning_policy.member_ids(cohort=cohort))


def member_counts(cohort):
    """{"members": everyone in the cohort, "opted_out": those who switched digests off}."""
    everyone = members(cohort)
    return {
        "members": everyone.count(),
        "opted_out": everyone.filter(email_digests=False).count(),
    }


def cohort_tags(cohort):
    target = cohort.target
    return list(target.tags.values_list("name", flat=True)) if target else []


def _name(person):
    return person.display_name if people_policy.shown_to_every_member(person) else ""


def _section(items, total=None, **extra):
    if not items:
        return None
    total = len(items) if total is None else total
    return {"items": items[:ITEMS], "total": total, "more": max(total - ITEMS, 0), **extra}


def _experiences(*, cohort, members, tags, since, until):
    readable = policy.read_by_every_member_q(cohort)
    topics = (
        Topic.objects.filter(readable, kind=Topic.Kind.EXPERIENCE, author__in=members)
        .filter(created_at__gte=since, created_at__lt=until)
        .select_related("author")
        .order_by("-created_at")
    )
    rows = list(topics[: ITEMS + 1])
    total = topics.count() if len(rows) > ITEMS else len(rows)
    items = [
        {
            "title": t.title,
            "url": t.get_absolute_url(),
            "by": t.author.display_name,
            "when": t.created_at.isoformat(),
        }
        for t in rows
    ]
    return _section(items, total)


def _change_agents(*, cohort, members, tags, since, until):
    activities = SpreadActivity.objects.filter(
        change_agent__user__in=members,
        verified_at__isnull=False,
        happened_on__gte=timezone.localdate(since),
        happened_on__lt=timezone.localdate(until),
    )
    totals = activities.aggregate(n=Count("pk"), reached=Sum("people_reached"))
    if not totals["n"]:
        return None
    rows = activities.select_related("change_agent__user", "agency").order_by("-happened_on")
    items = [
        {
            "kind": a.kind,
            "by": _name(a.change_agent.user),
            "note": a.agency.name if a.agency else a.team,
            "count": a.people_reached,
            "when": a.happened_on.isoformat(),
        }
        for a in rows[:ITEMS]
    ]
    return _section(items, totals["n"], reached=totals["reached"] or 0)


def _completions(*, cohort, members, tags, since, until):
    changes = EnrolmentStatusChange.objects.filter(
        to_status=Enrolment.Status.COMPLETED,
        changed_at__gte=since,
        changed_at__lt=until,
        enrolment__user__in=members,
    )
    rows = list(
        changes.values(
            "enrolment__offering__title",
            "enrolment__offering__slug",
            "enrolment__programme__title",
            "enrolment__programme__slug",
        )
        .annotate(n=Count("enrolment__user", distinct=True))
        .order_by("-n", "enrolment__offering__title", "enrolment__programme__title")
    )
    items = []
    for row in rows:
        if row["enrolment__offering__slug"]:
            title, url = (
                row["enrolment__offering__title"],
                Offering(slug=row["enrolment__offering__slug"]).get_absolute_url(),
            )
        else:
            title, url = (
                row["enrolment__programme__title"],
                Programme(slug=row["enrolment__programme__slug"]).get_absolute_url(),
            )
        items.append({"title": title, "url": url, "count": row["n"]})
    return _section(items, len(items), people=sum(item["count"] for item in items))


def _helpful_posts(*, cohort, members, tags, since, until):
    posts = (
        policy.shown_posts()
        .filter(
            policy.read_by_every_member_q(cohort, prefix="topic__space__"),
            created_at__gte=since,
            created_at__lt=until,
        )
        .annotate(helpful=Count("reactions"))
        .filter(helpful__gt=0)
        .select_related("topic", "author")
        .order_by("-helpful", "-created_at")
    )
    items = [
        {
            "title": p.topic.title,
            "url": p.get_absolute_url(),
            "by": p.author.display_name,
            "count": p.helpful,
        }
        for p in posts[:ITEMS]
    ]
    return _section(items)


def _outcomes(*, cohort, members, tags, since, until):
    """The cohort's own outcomes so far (feedback and follow-up), once enough people
    answered (learning.policy.enough_people: each figure is withheld below that)."""
    summary = outcome_selectors.summary(cohort.enrolments.all(), with_comments=False)
    figures = [
        ("usefulness", summary.usefulness_average),
        ("recommend", summary.net_recommendation),
        ("used", summary.used_share),
    ]
    items = [{"key": key, "value": value} for key, value in figures if value is not None]
    growth = [{"name": c.name, "change": change} for c, _people, change in summary.growth]
    return _section(
        items, len(items), feedback=summary.feedback, follow_ups=summary.follow_ups, growth=growth
    )


def _programme_ids(cohort):
    if cohort.programme_id:
        return [cohort.programme_id]
    if cohort.offering_id and cohort.offering.programme_id:
        return [cohort.offering.programme_id]
    return []


def _meetings(*, cohort, members, tags, since, until):
    meetings = (
        Meeting.objects.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=until)
        .filter(Q(programme__isnull=True) | Q(programme__in=_programme_ids(cohort)))
        .order_by("starts_at")
    )
    items = [
        {
            "title": m.title,
            "url": m.get_absolute_url(),
            "when": m.starts_at.isoformat(),
            "format": m.format,
            "note": m.venue,
        }
        for m in meetings[:ITEMS]
    ]
    return _section(items)


def _new_offerings(*, cohort, members, tags, since, until):
    if not tags:
        return None
    offerings = (
        Offering.objects.published()
        .filter(created_at__gte=since, created_at__lt=until, tags__name__in=tags)
        .exclude(pk=cohort.offering_id or 0)
        .distinct()
        .order_by("starts_on", "title")
    )
    items = [
        {
            "title": o.title,
            "url": o.get_absolute_url(),
            "mode": o.mode,
            "when": o.starts_on.isoformat() if o.starts_on else "",
        }
        for o in offerings[:ITEMS]
    ]
    return _section(items)


def _new_alumni(*, cohort, members, tags, since, until):
    alumni = User.objects.filter(
        is_active=True, alumnus_since__gte=since, alumnus_since__lt=until
    ).order_by("display_name")
    total = alumni.count()
    if not total:
        return None
    shown = alumni.filter(people_policy.shown_to_every_member_q())
    items = [
        {"title": a.display_name, "url": a.get_absolute_url()}
        for a in shown.only("display_name", "handle")[:ITEMS]
    ]
    return {"items": items, "total": total, "more": total - len(items)}


def _toolkits_used(*, cohort, members, tags, since, until):
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
        uses.filter(people_policy.shown_to_every_member_q("user__"))
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


def _new_toolkits(*, cohort, members, tags, since, until):
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


@dataclass(frozen=True)
class Section:
    """One section of the digest: build(*, cohort, members, tags, since, until) returns a
    JSON-ready dict with an "items" list, or None when there is nothing to say; `members`
    is a queryset of the members' ids, `tags` the names of the cohort's tags. It reads
    as `<template>.html` and `<template>.txt`, rendered with `section`."""

    key: str
    build: Callable
    template: str


# In the order the e-mail shows them.
SECTIONS = [
    Section("experiences", _experiences, "emails/learning/digest/experiences"),
    Section("change_agents", _change_agents, "emails/learning/digest/change_agents"),
    Section("completions", _completions, "emails/learning/digest/completions"),
    Section("outcomes", _outcomes, "emails/learning/digest/outcomes"),
    Section("toolkits_used", _toolkits_used, "emails/toolkits/digest/toolkits_used"),
    Section("helpful_posts", _helpful_posts, "emails/learning/digest/helpful_posts"),
    Section("meetings", _meetings, "emails/learning/digest/meetings"),
    Section("new_offerings", _new_offerings, "emails/learning/digest/new_offerings"),
    Section("new_toolkits", _new_toolkits, "emails/toolkits/digest/new_toolkits"),
    Section("new_alumni", _new_alumni, "emails/learning/digest/new_alumni"),
]


def digest_content(*, cohort, since, until):
    """The digest of `cohort` for [since, until): {"sections": [...]} in display order,
    only those with something to say. A constant number of queries."""
    member_ids = members(cohort).values("pk")
    tags = cohort_tags(cohort)
    sections = []
    for section in SECTIONS:
        built = section.build(
            cohort=cohort, members=member_ids, tags=tags, since=since, until=until
        )
        if built and (built.get("items") or built.get("total")):
            sections.append({"key": section.key, **built})
    return {"sections": sections}


def digest_done(cohort, period_end):
    """A subquery: this person already has this digest."""
    return Exists(
        DigestRecord.objects.filter(cohort=cohort, period_end=period_end, user=OuterRef("pk"))
    )


# --- Rendering -------------------------------------------------------------------------


def _hydrate(content):
    """ISO strings back to dates and datetimes, for the templates' date filters."""
    sections = []
    for section in content.get("sections", []):
        items = []
        for item in section["items"]:
            item = dict(item)
            when = item.get("when")
            if when:
                item["when"] = (
                    datetime.fromisoformat(when)
                    if "T" in when
                    else datetime.fromisoformat(when).date()
                )
            items.append(item)
        sections.append({**section, "items": items})
    return sections


def _plain(template, context):
    return template.template.render(Context(context, autoescape=False))


class DigestRenderer:
    """Renders one digest for many people: the shared body once per language and time
    zone, then a light wrapper per person. Touches the database only through the
    digest's own fields (no query per recipient)."""

    def __init__(self, *, cohort, content, covers_from, covers_to):
        self.context = {
            "cohort": cohort,
            "cohort_name": cohort.name,
            "covers_from": covers_from,
            "covers_to": covers_to,
            "SITE_URL": settings.SITE_URL,
        }
        self.sections = _hydrate(content)
        self.templates = {
            section.key: (
                get_template(f"{section.template}.html"),
                get_template(f"{section.template}.txt"),
            )
            for section in SECTIONS
        }
        self.html = get_template("emails/learning/digest.html")
        self.text = get_template("emails/learning/digest.txt")
        self.subject = get_template("emails/learning/digest_subject.txt")
        self._shared = {}

    def _shared_parts(self, language, zone):
        key = (language, zone)
        if key not in self._shared:
            with translation.override(language), timezone.override(zone):
                html, text = [], []
                for section in self.sections:
                    html_template, text_template = self.templates[section["key"]]
                    context = {**self.context, "section": section}
                    html.append(html_template.render(context))
                    text.append(_plain(text_template, context).strip())
                subject = " ".join(_plain(self.subject, self.context).split())
            self._shared[key] = (subject, "".join(html), "\n\n".join(text))
        return self._shared[key]

    def __call__(self, person, unsubscribe_url):
        language = person.preferred_language or settings.LANGUAGE_CODE
        zone = person.time_zone or settings.TIME_ZONE
        subject, sections_html, sections_text = self._shared_parts(language, zone)
        context = {
            **self.context,
            "user": person,
            "subject": subject,
            "sections_html": sections_html,
            "sections_text": sections_text,
            "unsubscribe_url": unsubscribe_url,
        }
        with translation.override(language), timezone.override(zone):
            return subject, _plain(self.text, context), self.html.render(context)


def digest_render_one(*, cohort, content, covers_from, covers_to, person, unsubscribe_url=""):
    """(subject, text, html) of one person's digest: for previews."""
    renderer = DigestRenderer(
        cohort=cohort, content=content, covers_from=covers_from, covers_to=covers_to
    )
    return renderer(person, unsubscribe_url)
