"""The reads each learning page needs, in a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.db.models import Count, F, Min, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.accounts.paging import counted
from community.accounts.tags import tag_names, tagged_ids
from learning import policy, registry
from learning.models import (
    Cohort,
    CohortInvitation,
    Enrolment,
    EnrolmentStatusChange,
    Mode,
    Offering,
    Policy,
    Programme,
    Session,
)

Status = Enrolment.Status


# --- Seats and the waitlist --------------------------------------------------------------------


def target_filter(target):
    """Q of the enrolments in `target`, an offering or a programme."""
    return Q(offering=target) if isinstance(target, Offering) else Q(programme=target)


def seats_taken(target):
    """Places taken in `target` now (the count the enrolment services keep on its row,
    read again: the instance may predate a change made in this transaction)."""
    return type(target).objects.filter(pk=target.pk).values_list("seats_taken", flat=True).get()


def has_free_seat(target):
    limit = target.seat_limit
    return limit is None or seats_taken(target) < limit


def waitlist_positions(enrolment_ids):
    """{id: place in line, 1 for the first} of the waitlisted among `enrolment_ids`, in
    one query, whatever their offerings or programmes."""
    # A place has exactly one target, so the other side of the OR compares with NULL.
    ahead = Enrolment.objects.filter(
        Q(offering=OuterRef("offering")) | Q(programme=OuterRef("programme"))
    ).ahead_in_line(waitlisted_at=OuterRef("waitlisted_at"), pk=OuterRef("pk"))
    return dict(
        Enrolment.objects.waitlisted()
        .filter(pk__in=enrolment_ids)
        .annotate(position=counted(ahead, "status") + 1)
        .values_list("pk", "position")
    )


def waitlist_position(enrolment):
    """1 for the first person in line; None when not waitlisted."""
    if enrolment.status != Status.WAITLISTED:
        return None
    return waitlist_positions([enrolment.pk]).get(enrolment.pk)


# --- The catalogue -----------------------------------------------------------------------------


def _target_queryset(model, user):
    visible = policy.offerings_visible_to if model is Offering else policy.programmes_visible_to
    return visible(user).select_related("host_lab")


def offering_list(*, user, filters, now=None):
    """Published offerings matching `filters` (a cleaned CatalogueForm's data)."""
    now = now or timezone.now()
    qs = Offering.objects.published().select_related("host_lab")
    if not filters.get("include_past"):
        qs = qs.current(timezone.localdate(now))
    if filters.get("mode"):
        qs = qs.filter(mode=filters["mode"])
    if filters.get("format"):
        qs = qs.filter(format=filters["format"])
    if filters.get("host_lab"):
        qs = qs.filter(host_lab=filters["host_lab"])
    if filters.get("language"):
        qs = qs.filter(language=filters["language"])
    if filters.get("tag"):
        qs = qs.filter(pk__in=tagged_ids(Offering, filters["tag"]))
    if filters.get("starts_after"):
        qs = qs.filter(starts_on__gte=filters["starts_after"])
    if filters.get("open_only"):
        qs = qs.open_for_enrolment(now)
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(
            Q(title__icontains=q) | Q(summary__icontains=q) | Q(description__icontains=q)
        )
    return qs.in_start_order()


def catalogue_results(*, user, filters, now=None):
    """Offerings, then items of registered modes (toolkits), as one paginated list.

    Registered modes are undated, so they follow the dated offerings.
    """
    mode = filters.get("mode")
    source = registry.get(mode) if mode else None
    if source is not None:
        return registry.ChainedResults(source.items(filters, now))
    offerings = offering_list(user=user, filters=filters, now=now)
    if mode:
        return registry.ChainedResults(offerings)
    return registry.ChainedResults(offerings, *(s.items(filters, now) for s in registry.sources()))


def programme_strip(*, now=None):
    """Up to six current programmes, soonest first, each with its `step_count` (published
    offerings)."""
    today = timezone.localdate(now or timezone.now())
    programmes = list(
        Programme.objects.published().current(today).select_related("host_lab").in_start_order()[:6]
    )
    steps = Counter(
        Offering.objects.published()
        .filter(programme__in=[p.pk for p in programmes])
        .values_list("programme_id", flat=True)
    )
    for programme in programmes:
        programme.step_count = steps[programme.pk]
    return programmes


def catalogue_changes_at(now):
    """The next moment the catalogue changes by the clock alone, with no write: an
    application deadline passing, or a new day (in the reader's time zone or the labs'),
    on which offerings start, end and close enrolment."""
    moments = [
        datetime.combine(timezone.localdate(now, zone) + timedelta(days=1), time.min, zone)
        for zone in (timezone.get_current_timezone(), timezone.get_default_timezone())
    ]
    for model in (Offering, Programme):
        deadline = model.objects.filter(application_deadline__gt=now).aggregate(
            next=Min("application_deadline")
        )["next"]
        if deadline is not None:
            moments.append(deadline)
    return min(moments)


def active_target_ids(user):
    """(offering ids, programme ids) the person currently holds a place or application in."""
    if not user.is_authenticated:
        return set(), set()
    rows = Enrolment.objects.filter(user=user).active().values_list("offering_id", "programme_id")
    return {o for o, _ in rows if o}, {p for _, p in rows if p}


def offering_get(*, slug, user):
    """The offering page's data, or None; lab staff may preview drafts."""
    qs = _target_queryset(Offering, user).select_related("programme", "sponsor")
    return qs.prefetch_related("tags", "sessions", "capabilities").filter(slug=slug).first()


def programme_get(*, slug, user):
    qs = _target_queryset(Programme, user).prefetch_related(
        "tags",
        "capabilities",
        Prefetch(
            "offerings",
            queryset=Offering.objects.published().order_by("programme_position", "starts_on"),
            to_attr="steps",
        ),
    )
    return qs.filter(slug=slug).first()


def pairs_well_with(offering, *, limit=4, now=None):
    """Open offerings of *other* modes sharing tags with `offering`: modes combine."""
    tag_ids = [t.pk for t in offering.tags.all()]
    if not tag_ids:
        return Offering.objects.none()
    return (
        Offering.objects.open_for_enrolment(now)
        .exclude(mode=offering.mode)
        .filter(tags__in=tag_ids)
        .annotate(shared=Count("tags", distinct=True))
        .select_related("host_lab")
        .order_by("-shared", F("starts_on").asc(nulls_last=True))[:limit]
    )


def enrolment_for(*, user, target):
    """The person's current enrolment in `target` (or None)."""
    if not user.is_authenticated:
        return None
    key = "offering" if isinstance(target, Offering) else "programme"
    return Enrolment.objects.filter(user=user, **{key: target}).active().first()


@dataclass
class CallToAction:
    """What the enrolment box shows: a state, and what the person can do about it."""

    state: str
    position: int | None = None
    enrolment: Enrolment | None = None
    seats_left: int | None = None
    extra: dict = field(default_factory=dict)


def call_to_action(*, user, target, enrolment=None, now=None):
    """One of: login, enrol, apply, waitlist, confirmed, pending, waitlisted, completed,
    closed."""
    now = now or timezone.now()
    limit = target.seat_limit
    taken = getattr(target, "seats_taken", None)
    seats_left = None if limit is None or taken is None else max(limit - taken, 0)
    if enrolment is not None:
        if enrolment.status == Status.CONFIRMED:
            return CallToAction("confirmed", enrolment=enrolment, seats_left=seats_left)
        if enrolment.status == Status.APPLIED:
            return CallToAction("pending", enrolment=enrolment, seats_left=seats_left)
        if enrolment.status == Status.WAITLISTED:
            return CallToAction(
                "waitlisted",
                enrolment=enrolment,
                position=waitlist_position(enrolment),
                seats_left=seats_left,
            )
        if policy.is_completed(enrolment):
            return CallToAction("completed", enrolment=enrolment)
    if not target.is_open_for_enrolment(now):
        return CallToAction("closed", seats_left=seats_left)
    if not user.is_authenticated:
        return CallToAction("login", seats_left=seats_left)
    if target.enrolment_policy == Policy.APPLICATION:
        return CallToAction("apply", seats_left=seats_left)
    if seats_left == 0:
        return CallToAction("waitlist", seats_left=0)
    return CallToAction("enrol", seats_left=seats_left)


@dataclass
class LearningJourney:
    current: list
    completed: list
    past: list
    done_modes: set
    doing_modes: set
    suggestions: dict  # mode -> [offerings]

    @property
    def cycle(self):
        labels = dict(Mode.choices) | {s.mode: s.label for s in registry.sources()}
        for mode in labels:
            state = (
                "done"
                if mode in self.done_modes
                else "doing"
                if mode in self.doing_modes
                else "not yet"
            )
            yield {
                "mode": mode,
                "label": labels[mode],
                "state": state,
                "suggestions": self.suggestions.get(mode, []),
            }


# What "My learning" shows of each place.
JOURNEY_FIELDS = (
    "status", "created_at", "cohort__name",
    "offering__title", "offering__slug", "offering__starts_on", "offering__mode",
    "programme__title", "programme__slug", "programme__starts_on",
)  # fmt: skip


def my_learning(*, user, now=None, suggestions_per_mode=2):
    """Everything on "My learning" in a fixed number of queries."""
    now = now or timezone.now()
    enrolments = list(
        policy.enrolments_shown_to(user, Enrolment.objects.filter(user=user))
        .select_related("offering", "programme", "cohort")
        .only(*JOURNEY_FIELDS)
        .prefetch_related(
            Prefetch(
                "programme__offerings",
                queryset=Offering.objects.only("pk", "mode", "programme"),
            )
        )
        .order_by("-created_at")
    )
    # Places in line, only when the person waits somewhere (most do not).
    waiting = [e.pk for e in enrolments if e.status == Status.WAITLISTED]
    positions = waitlist_positions(waiting) if waiting else {}
    current, completed, past = [], [], []
    done, doing, interest_ids = set(), set(), set()
    for e in enrolments:
        if e.status == Status.WAITLISTED:
            e.position = positions.get(e.pk)
        modes = (
            {e.offering.mode} if e.offering_id else {o.mode for o in e.programme.offerings.all()}
        )
        if policy.is_completed(e):
            completed.append(e)
            done |= modes
        elif e.status in (Status.APPLIED, Status.WAITLISTED, Status.CONFIRMED):
            current.append(e)
            if e.status == Status.CONFIRMED:
                doing |= modes
        else:
            past.append(e)
        if e.offering_id:
            interest_ids.add(e.offering_id)

    for source in registry.sources():
        if source.done_for(user):
            done.add(source.mode)
    untried = [m for m in (Mode.CLASS, Mode.PROJECT, Mode.SECONDMENT) if m not in done | doing]
    untried_sources = [s for s in registry.sources() if s.mode not in done]
    suggestions = {}
    interests = set()
    if untried or untried_sources:
        # Their expertise and the tags of what they signed up for.
        interests = tag_names(
            (user._meta.model, [user.pk], "expertise"), (Offering, interest_ids, "tags")
        )
    for source in untried_sources:
        suggestions[source.mode] = list(source.suggestions(user, interests, suggestions_per_mode))
    if untried:
        candidates = (
            Offering.objects.open_for_enrolment(now)
            .filter(mode__in=untried)
            .exclude(pk__in=interest_ids)
            .only("pk", "slug", "title", "mode")  # a link each
            .annotate(matches=Count("tags", filter=Q(tags__name__in=interests), distinct=True))
            .order_by("-matches", F("starts_on").asc(nulls_last=True), "title")[:60]
        )
        for offering in candidates:
            picked = suggestions.setdefault(offering.mode, [])
            if len(picked) < suggestions_per_mode:
                picked.append(offering)
    return LearningJourney(current, completed, past, done, doing, suggestions)


def calendar_sessions(*, user):
    """Sessions and dated offerings the person holds a place in and may see (a draft is
    the lab's, even when someone holds a place in it)."""
    rows = Enrolment.objects.filter(user=user).seated().values_list("offering_id", "programme_id")
    offering_ids = {o for o, _ in rows if o}
    programme_ids = {p for _, p in rows if p}
    offerings = list(
        policy.offerings_visible_to(user)
        .filter(Q(pk__in=offering_ids) | Q(programme_id__in=programme_ids))
        .prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("starts_at")))
        .order_by("starts_on")
    )
    return offerings


def programme_progress(*, user, programme):
    """The programme's steps in order, each with the person's status on it.

    A place in the programme as a whole counts as a place in each of its offerings.
    """
    steps = getattr(programme, "steps", None)
    if steps is None:
        steps = list(programme.offerings.published().order_by("programme_position", "starts_on"))
    statuses = {}
    whole = None
    if user.is_authenticated:
        rows = Enrolment.objects.filter(user=user).active()
        statuses = dict(
            rows.filter(offering__in=[s.pk for s in steps]).values_list("offering_id", "status")
        )
        whole = rows.filter(programme=programme).values_list("status", flat=True).first()
    return [
        {"offering": step, "status": statuses.get(step.pk) or whole, "position": n}
        for n, step in enumerate(steps, start=1)
    ]


def alumni_record(*, user):
    """What the person is an alumnus of: completed offerings, and their programmes."""
    completed = list(
        policy.completed_enrolments()
        .filter(user=user)
        .select_related("offering__programme", "programme")
        .order_by("-updated_at")
    )
    offerings = [e.offering for e in completed if e.offering_id]
    programmes = {e.programme.pk: e.programme for e in completed if e.programme_id}
    for offering in offerings:
        if offering.programme_id:
            programmes.setdefault(offering.programme_id, offering.programme)
    labels = dict(Mode.choices)
    modes = {o.mode for o in offerings}
    modes |= set(
        Offering.objects.filter(programme__in=[e.programme_id for e in completed if e.programme_id])
        .values_list("mode", flat=True)
        .distinct()
    )
    done = [labels[m] for m in labels if m in modes]
    done += [s.label for s in registry.sources() if s.done_for(user)]
    return {"offerings": offerings, "programmes": list(programmes.values()), "modes": done}


def staff_overview(*, now=None, soon_days=60):
    """Numbers and to-dos for the lab staff overview page."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counted = [Status.APPLIED, Status.CONFIRMED, Status.COMPLETED, Status.WITHDRAWN]
    rows = (
        EnrolmentStatusChange.objects.filter(changed_at__year=today.year, to_status__in=counted)
        .annotate(
            programme_title=Coalesce(
                "enrolment__offering__programme__title",
                "enrolment__programme__title",
                Value("—"),
            ),
            mode=Coalesce("enrolment__offering__mode", Value("programme")),
        )
        .values("programme_title", "mode", "to_status")
        .annotate(n=Count("pk"))
        .order_by("programme_title", "mode")
    )
    labels = dict(Mode.choices) | {"programme": _("Programme as a whole")}
    table = {}
    for row in rows:
        key = (row["programme_title"], row["mode"])
        entry = table.setdefault(
            key,
            {"programme": key[0], "mode": labels.get(key[1], key[1]), **dict.fromkeys(counted, 0)},
        )
        entry[row["to_status"]] = row["n"]
    pending = (
        Enrolment.objects.filter(status=Status.APPLIED)
        .select_related("user__organisation", "offering", "programme")
        .order_by("created_at")[:50]
    )
    cohorts = (
        Cohort.objects.filter(starts_on__gte=today, starts_on__lte=today + timedelta(soon_days))
        .select_related("offering", "programme")
        .annotate(n_confirmed=Count("enrolments", filter=Q(enrolments__status=Status.CONFIRMED)))
        .order_by("starts_on")
    )
    return {
        "year": today.year,
        "rows": list(table.values()),
        "pending": list(pending),
        "cohorts": list(cohorts),
    }


def invitation_is_for(invitation, user):
    """Whether `invitation` was sent to one of `user`'s verified addresses."""
    return EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists() or (user.email.lower() == invitation.email.lower())


def invitation_get(*, token, now=None):
    """An invitation still waiting to be used and not expired (INVITATION_DAYS), or None."""
    return (
        CohortInvitation.objects.pending(now)
        .select_related("cohort__offering", "cohort__programme")
        .filter(token=token)
        .first()
    )
