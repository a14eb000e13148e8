"""The reads of learning outcomes: a person's own ratings and growth, what is theirs to
answer, and the figures lab staff, digests and the reach page see, each withheld below
learning.policy.ENOUGH_PEOPLE people."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from learning import policy
from learning.models import (
    USED,
    Capability,
    Enrolment,
    Feedback,
    FollowUp,
    Moment,
    Offering,
    OutcomeRequest,
    Programme,
    SelfRating,
    UsedAtWork,
    Usefulness,
)

# --- A person's own --------------------------------------------------------------------------


def enrolment_of(*, pk, user):
    """The enrolment `pk` when its outcomes are `user`'s to see (learning.policy), else None."""
    enrolment = Enrolment.objects.select_related("offering", "programme").filter(pk=pk).first()
    if enrolment is None or not policy.owns_outcomes(user, enrolment):
        return None
    return enrolment


def rating_rows(*, enrolment, moment):
    """The capabilities `enrolment`'s offering or programme develops, each with the
    person's level at `moment` (None when not rated)."""
    capabilities = list(
        enrolment.target.capabilities.select_related("area").order_by(
            "area__position", "position", "name"
        )
    )
    levels = dict(
        SelfRating.objects.filter(enrolment=enrolment, moment=moment).values_list(
            "capability_id", "level"
        )
    )
    return [(capability, levels.get(capability.pk)) for capability in capabilities]


@dataclass
class Growth:
    capability: Capability
    first: int
    first_at: object
    latest: int
    latest_at: object

    @property
    def change(self):
        return self.latest - self.first


def growth_for(*, user):
    """Per capability `user` rated themselves on: their first and latest rating (the
    latest equals the first until they rate again). Theirs alone to see."""
    ratings = (
        SelfRating.objects.filter(user=user)
        .select_related("capability__area")
        .order_by("capability__area__position", "capability__position", "rated_at", "pk")
    )
    rows = {}
    for rating in ratings:
        row = rows.get(rating.capability_id)
        if row is None:
            rows[rating.capability_id] = Growth(
                rating.capability, rating.level, rating.rated_at, rating.level, rating.rated_at
            )
        else:
            row.latest, row.latest_at = rating.level, rating.rated_at
    return list(rows.values())


@dataclass
class ToAnswer:
    rate: list = field(default_factory=list)  # places taken, capabilities not yet rated
    feedback: list = field(default_factory=list)  # completed, no feedback yet
    follow_up: list = field(default_factory=list)  # the follow-up is due, not answered


def to_answer(*, user, now=None):
    """What `user` is asked on My learning, in one query: each of their places with what
    has been answered of it."""
    now = now or timezone.now()
    # Each condition a subquery (EXISTS), not a join: no DISTINCT over every column, and a
    # plan PostgreSQL makes in a fraction of the time.
    of_place = {"enrolment": OuterRef("pk")}
    places = list(
        Enrolment.objects.filter(user=user)
        .select_related("offering", "programme")
        .only("status", "decided_at", "created_at", "offering__title", "programme__title")
        .annotate(
            develops=Exists(
                Offering.capabilities.through.objects.filter(offering=OuterRef("offering"))
            )
            | Exists(
                Programme.capabilities.through.objects.filter(programme=OuterRef("programme"))
            ),
            rated_at_start=Exists(SelfRating.objects.filter(**of_place, moment=Moment.START)),
            answered=Exists(Feedback.objects.filter(**of_place)),
            followed_up=Exists(FollowUp.objects.filter(**of_place)),
            follow_up_asked=Exists(
                OutcomeRequest.objects.filter(**of_place, kind=OutcomeRequest.Kind.FOLLOW_UP)
            ),
        )
        .order_by("-created_at", "-pk")
    )
    rate = [
        e for e in places
        if e.status in (Enrolment.Status.CONFIRMED, Enrolment.Status.APPLIED)
        and e.develops and not e.rated_at_start
    ]  # fmt: skip
    completed = sorted(
        (e for e in places if policy.is_completed(e)),
        key=lambda e: (e.decided_at is None, e.decided_at, e.pk),
    )
    feedback_until = now - timedelta(days=settings.FEEDBACK_EDITABLE_DAYS)
    # (A place completed before decisions were dated has no decided_at: not asked.)
    feedback = [
        e for e in completed if not e.answered and e.decided_at and e.decided_at >= feedback_until
    ]
    follow_up = [
        e for e in completed
        if not e.followed_up
        and policy.follow_up_open(decided_at=e.decided_at, asked=e.follow_up_asked, now=now)
    ]  # fmt: skip
    return ToAnswer(rate, feedback[::-1], follow_up)


# --- Figures over groups ------------------------------------------------------------------


def shown(value, count):
    """`value` when it stands for enough people (learning.policy.enough_people), else
    None: templates and CSV write "fewer than 5"."""
    return value if policy.enough_people(count) else None


def _percent(part, whole):
    return round(100 * part / whole) if whole else 0


@dataclass
class Summary:
    completed: int
    feedback: int
    follow_ups: int
    response_rate: object = None  # % of completed places with feedback
    usefulness: list = field(default_factory=list)  # [(label, count)] or []
    usefulness_average: object = None
    net_recommendation: object = None  # -100 to 100
    used: list = field(default_factory=list)  # [(label, count)] or []
    used_share: object = None  # % of follow-up answers that used it
    growth: list = field(default_factory=list)  # [(capability, people, average change)]
    comments: list = field(default_factory=list)  # [(question, text)], no names

    @property
    def any_shown(self):
        return self.response_rate is not None or self.used_share is not None


def _net_recommendation(scores):
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return round(100 * (promoters - detractors) / len(scores)) if scores else 0


def _figures(completed, feedback, follow_ups):
    """A Summary from rows: `feedback` [(usefulness, recommend, ...)], `follow_ups`
    [(used, ...)]; each figure withheld below ENOUGH_PEOPLE."""
    n, m = len(feedback), len(follow_ups)
    result = Summary(completed=completed, feedback=n, follow_ups=m)
    if policy.enough_people(completed):
        result.response_rate = _percent(n, completed)
    if policy.enough_people(n):
        counts = defaultdict(int)
        for row in feedback:
            counts[row[0]] += 1
        result.usefulness = [(label, counts[value]) for value, label in Usefulness.choices]
        result.usefulness_average = round(sum(row[0] for row in feedback) / n, 1)
        result.net_recommendation = _net_recommendation([row[1] for row in feedback])
    if policy.enough_people(m):
        counts = defaultdict(int)
        for row in follow_ups:
            counts[row[0]] += 1
        result.used = [(label, counts[value]) for value, label in UsedAtWork.choices]
        result.used_share = _percent(sum(counts[v] for v in USED), m)
    return result


def summary(enrolments, *, with_comments=True):
    """Figures over `enrolments` (a queryset), every one withheld below ENOUGH_PEOPLE,
    with the average growth per capability and the free-text answers. Five queries."""
    ids = enrolments.values("pk")
    completed = policy.completed_enrolments().filter(pk__in=ids).count()
    feedback = list(
        Feedback.objects.filter(enrolment__in=ids).values_list(
            "usefulness", "recommend", "will_use", "missing", "comments"
        )
    )
    follow_ups = list(
        FollowUp.objects.filter(enrolment__in=ids).values_list("used", "with_what", "with_whom")
    )
    result = _figures(completed, feedback, follow_ups)
    result.growth = _growth(ids)
    if with_comments:
        result.comments = _comments(feedback, follow_ups)
    return result


def _growth(enrolment_ids):
    """[(capability, people, average change)] between the start and follow-up ratings of
    the same places, for capabilities with enough people rated twice."""
    pairs = defaultdict(dict)
    rows = SelfRating.objects.filter(enrolment__in=enrolment_ids).values_list(
        "enrolment_id", "capability_id", "moment", "level"
    )
    for enrolment_id, capability_id, moment, level in rows:
        pairs[(enrolment_id, capability_id)][moment] = level
    changes = defaultdict(list)
    for (_enrolment, capability_id), levels in pairs.items():
        if Moment.START in levels and Moment.FOLLOW_UP in levels:
            changes[capability_id].append(levels[Moment.FOLLOW_UP] - levels[Moment.START])
    shown_ids = [c for c, values in changes.items() if policy.enough_people(len(values))]
    capabilities = Capability.objects.in_bulk(shown_ids)
    return [
        (capabilities[c], len(changes[c]), round(sum(changes[c]) / len(changes[c]), 1))
        for c in sorted(
            shown_ids, key=lambda c: (capabilities[c].area_id, capabilities[c].position)
        )
    ]


def _comments(feedback, follow_ups):
    """Free-text answers without names, each question's in alphabetical order (not in
    the order given, which could tell who wrote what); only for enough people."""
    questions = []
    for rows, names, first in (
        (feedback, ("will_use", "missing", "comments"), 2),
        (follow_ups, ("with_what", "with_whom"), 1),
    ):
        if not policy.enough_people(len(rows)):
            continue
        model = Feedback if rows is feedback else FollowUp
        for offset, name in enumerate(names):
            label = model._meta.get_field(name).verbose_name
            answers = sorted(row[first + offset] for row in rows if row[first + offset])
            questions += [(label, text) for text in answers]
    return questions


# --- Staff overview, CSV, reach -----------------------------------------------------------


@dataclass
class TargetRow:
    kind: str
    title: str
    target_id: int
    summary: Summary


def target_rows():
    """One row of figures per programme and offering with a completed place, each figure
    withheld below ENOUGH_PEOPLE. Four queries however many there are."""
    from learning.models import Offering, Programme

    def key(row):
        return ("offering", row[0]) if row[0] else ("programme", row[1])

    completed = defaultdict(int)
    for row in policy.completed_enrolments().values_list("offering_id", "programme_id"):
        completed[key(row)] += 1
    feedback, follow_ups = defaultdict(list), defaultdict(list)
    for *target, usefulness, recommend in Feedback.objects.values_list(
        "enrolment__offering_id", "enrolment__programme_id", "usefulness", "recommend"
    ):
        feedback[key(target)].append((usefulness, recommend))
    for *target, used in FollowUp.objects.values_list(
        "enrolment__offering_id", "enrolment__programme_id", "used"
    ):
        follow_ups[key(target)].append((used,))
    titles = {
        ("programme", pk): title
        for pk, title in Programme.objects.filter(
            pk__in=[pk for kind, pk in completed if kind == "programme"]
        ).values_list("pk", "title")
    } | {
        ("offering", pk): title
        for pk, title in Offering.objects.filter(
            pk__in=[pk for kind, pk in completed if kind == "offering"]
        ).values_list("pk", "title")
    }
    labels = {"programme": Programme._meta.verbose_name, "offering": Offering._meta.verbose_name}
    rows = [
        TargetRow(labels[kind], titles[(kind, pk)], pk,
                  _figures(count, feedback[(kind, pk)], follow_ups[(kind, pk)]))
        for (kind, pk), count in completed.items()
        if (kind, pk) in titles
    ]  # fmt: skip
    return sorted(rows, key=lambda row: (row.kind != labels["programme"], row.title))


def comment_rows():
    """[(offering or programme, question, answer)]: the free-text answers, without names,
    of every programme and offering where enough people answered. Four queries."""
    from learning.models import Offering, Programme

    feedback, follow_ups = defaultdict(list), defaultdict(list)
    for offering_id, programme_id, *row in Feedback.objects.values_list(
        "enrolment__offering_id", "enrolment__programme_id",
        "usefulness", "recommend", "will_use", "missing", "comments",
    ):  # fmt: skip
        feedback[(offering_id, programme_id)].append(row)
    for offering_id, programme_id, *row in FollowUp.objects.values_list(
        "enrolment__offering_id", "enrolment__programme_id", "used", "with_what", "with_whom"
    ):
        follow_ups[(offering_id, programme_id)].append(row)
    keys = set(feedback) | set(follow_ups)
    offerings = Offering.objects.in_bulk({o for o, _p in keys if o})
    programmes = Programme.objects.in_bulk({p for o, p in keys if p and not o})
    rows = []
    for key in keys:
        target = offerings.get(key[0]) if key[0] else programmes.get(key[1])
        rows += [
            (target.title, question, text)
            for question, text in _comments(feedback[key], follow_ups[key])
        ]
    return sorted(rows, key=lambda row: (row[0], str(row[1]), row[2]))


def used_at_work_by_half_year():
    """[(label, answers, % used)] of follow-up answers by half-year; the share is None
    for a half-year with fewer than ENOUGH_PEOPLE answers."""
    rows = (
        FollowUp.objects.annotate(
            year=ExtractYear("answered_at"), month=ExtractMonth("answered_at")
        )
        .values("year", "month", "used")
        .annotate(n=Count("pk"))
    )
    halves = defaultdict(lambda: [0, 0])
    for row in rows:
        key = (row["year"], 1 if row["month"] <= 6 else 2)
        halves[key][0] += row["n"]
        if row["used"] in USED:
            halves[key][1] += row["n"]
    return [
        {"label": f"{year} H{half}", "answers": answers,
         "used_share": shown(_percent(used, answers), answers)}
        for (year, half), (answers, used) in sorted(halves.items())
    ]  # fmt: skip
