"""Demo learning outcomes for `manage.py seed_demo`: self-ratings when people took their
places, feedback on what they completed, and follow-up answers where three months have
passed, so lab staff's pages and the reach page show real figures (five answers or more)
and alumni see their growth on My learning. Through the services; idempotent (answers are
kept per place, a second run changes nothing)."""

from datetime import timedelta

from django.db import transaction

from community.accounts.models import User
from learning import services
from learning.models import Enrolment, Moment, SelfRating, UsedAtWork

# usefulness, recommend, what they will use, what was missing, anything else
FEEDBACK = [
    (4, 10, "Interviewing the people who receive our letters before rewriting them.",
     "More time on how to get the legal team on board.", "The best training I have had."),
    (3, 8, "Journey maps for our next service review.", "A follow-up session after a month.", ""),
    (4, 9, "Prototyping with paper before we commission anything.", "",
     "Meeting people from other ministries was worth it on its own."),
    (2, 6, "Some of the interview techniques.", "Examples from local government, not only "
     "central.", "Too fast for a first introduction."),
    (3, 9, "Working in the open: we now publish our drafts.", "A template for the first "
     "workshop.", ""),
    (4, 10, "Reframing the brief with the minister's office.", "", "I want my team to go."),
]  # fmt: skip

# used at work, with what, with whom
FOLLOW_UPS = [
    (UsedAtWork.REGULARLY, "Every letter we change is now tested with five claimants.",
     "My team and the contact centre"),
    (UsedAtWork.TAUGHT, "I ran two half-day sessions on open drafting.", "Colleagues in policy"),
    (UsedAtWork.ONCE, "One co-design workshop on the school transport review.", "A local council"),
    (UsedAtWork.REGULARLY, "We publish our project notes every fortnight.", "The project board"),
    (UsedAtWork.NOT_YET, "", ""),
    (UsedAtWork.REGULARLY, "Reframing workshops at the start of each project.", "Two directorates"),
]  # fmt: skip


def _levels(enrolment, start, bump):
    """A level per capability of the place: `start` rising by `bump` (at most 4)."""
    capabilities = enrolment.target.capabilities.order_by("pk").values_list("pk", flat=True)
    return {pk: min(4, max(1, start + (n % 2) + bump)) for n, pk in enumerate(capabilities)}


@transaction.atomic
def seed(*, log=print):
    people = User.objects.filter(email__endswith="@demo.innolab.test")
    places = (
        Enrolment.objects.filter(user__in=people)
        .select_related("user", "offering", "programme")
        .order_by("pk")
    )
    rated = answered = followed = 0
    for n, enrolment in enumerate(places):
        status = enrolment.status
        if status not in (Enrolment.Status.CONFIRMED, Enrolment.Status.COMPLETED):
            continue
        person = enrolment.user
        if not SelfRating.objects.filter(enrolment=enrolment, moment=Moment.START).exists():
            services.self_assessment_save(
                enrolment=enrolment, user=person, levels=_levels(enrolment, 1, 0),
                now=enrolment.created_at,
            )  # fmt: skip
            rated += 1
        if status != Enrolment.Status.COMPLETED:
            continue
        if not hasattr(enrolment, "feedback"):
            usefulness, recommend, will_use, missing, comments = FEEDBACK[n % len(FEEDBACK)]
            services.feedback_save(
                enrolment=enrolment, user=person,
                data={"usefulness": usefulness, "recommend": recommend, "will_use": will_use,
                      "missing": missing, "comments": comments},
                now=enrolment.decided_at + timedelta(days=2),
            )  # fmt: skip
            answered += 1
        if services.follow_up_due(enrolment) and not hasattr(enrolment, "follow_up"):
            used, with_what, with_whom = FOLLOW_UPS[n % len(FOLLOW_UPS)]
            services.follow_up_save(
                enrolment=enrolment, user=person, used=used, with_what=with_what,
                with_whom=with_whom, levels=_levels(enrolment, 1, 1 + n % 2),
            )  # fmt: skip
            followed += 1
    log(f"  outcomes: {rated} self-assessments, {answered} feedback, {followed} follow-ups")
