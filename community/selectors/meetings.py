"""Sharing meetings: who is invited, the lists and pages people see, calendar feeds."""

from django.db.models import Count, Q
from django.utils import timezone

from community import policy
from community.accounts import policy as people_policy
from community.accounts.models import User
from community.models import Meeting, Rsvp

GOING = Q(answer=Rsvp.Answer.GOING, waitlisted=False)


def meeting_list(*, user, now=None):
    """(upcoming, past) meetings with the person's own answer attached."""
    now = now or timezone.now()
    going = Count("rsvps", filter=Q(rsvps__answer=Rsvp.Answer.GOING, rsvps__waitlisted=False))
    qs = policy.meetings_visible_to(user).select_related("programme").annotate(going=going)
    upcoming = list(qs.filter(ends_at__gte=now).order_by("starts_at")[:50])
    past = list(qs.filter(ends_at__lt=now).order_by("-starts_at")[:50])
    # Their answers to the meetings listed, by id: the rule is not built a third time.
    shown = upcoming + past
    answers = Rsvp.objects.filter(user=user, meeting__in=[meeting.pk for meeting in shown])
    answered = {rsvp.meeting_id: rsvp for rsvp in answers}
    for meeting in shown:
        meeting.my_rsvp = answered.get(meeting.pk)
    return upcoming, past


def meeting_get(*, pk, user):
    return (
        policy.meetings_visible_to(user).select_related("series", "programme").filter(pk=pk).first()
    )


def rsvp_of(*, meeting, user):
    """The person's own answer to `meeting`, or None."""
    return Rsvp.objects.filter(meeting=meeting, user=user).first()


def rsvp_waitlist_position(rsvp):
    """1 for the first person waiting for a seat; None when not on the waitlist."""
    if not rsvp.waitlisted:
        return None
    ahead = rsvp.meeting.rsvps.filter(waitlisted=True).filter(
        Q(waitlisted_at__lt=rsvp.waitlisted_at)
        | Q(waitlisted_at=rsvp.waitlisted_at, pk__lt=rsvp.pk)
    )
    return ahead.count() + 1


def seats_taken(meeting):
    return meeting.rsvps.filter(GOING).count()


def meeting_people_going(*, meeting, viewer):
    """Who is going, as far as each person's profile visibility allows."""
    return list(
        Rsvp.objects.filter(GOING, meeting=meeting)
        .filter(user__in=User.objects.filter(people_policy.visible_people_q(viewer)))
        .select_related("user__organisation")
        .order_by("user__display_name")
    )


def calendar_owner(*, token):
    """The active person whose calendar feed `token` opens, or None."""
    if not token:
        return None
    return User.objects.filter(calendar_token=token, is_active=True).first()


def calendar_feed_meetings(*, user):
    """The meetings `user` is going to and still invited to (the feed has their links)."""
    going = Rsvp.objects.filter(user=user, answer=Rsvp.Answer.GOING, waitlisted=False)
    return (
        policy.meetings_visible_to(user)
        .exclude(status=Meeting.Status.DRAFT)
        .filter(pk__in=going.values("meeting"))
        .order_by("starts_at")
    )
