"""Sharing meetings: who is invited, the lists and pages people see, calendar feeds."""

from django.db.models import Count, Q
from django.utils import timezone

from community.accounts.models import User
from community.accounts.roles import is_lab_staff
from community.models import Meeting, Rsvp
from community.selectors.people import visibility_filter
from learning.models import Enrolment

GOING = Q(answer=Rsvp.Answer.GOING, waitlisted=False)


def alumni_of(programme):
    """Active people who completed `programme` or one of its offerings (every alumnus
    when `programme` is None)."""
    done = Enrolment.objects.filter(status=Enrolment.Status.COMPLETED)
    if programme is not None:
        done = done.filter(Q(programme=programme) | Q(offering__programme=programme))
    return User.objects.filter(is_active=True, pk__in=done.values("user"))


def invitees(meeting):
    """Alumni of the meeting's programme (as they are today) and the people added."""
    return (
        alumni_of(meeting.programme) | User.objects.filter(pk__in=meeting.extra_invitees.all())
    ).distinct()


def is_invited(meeting, user):
    if not user.is_authenticated:
        return False
    return invitees(meeting).filter(pk=user.pk).exists()


def _meetings_for(user):
    """Meetings the person may see: those they are invited to; lab staff see all."""
    qs = Meeting.objects.all()
    if is_lab_staff(user):
        return qs
    qs = qs.exclude(status=Meeting.Status.DRAFT)
    done = Enrolment.objects.filter(user=user, status=Enrolment.Status.COMPLETED)
    programmes = done.filter(programme__isnull=False).values("programme")
    via_offerings = done.filter(offering__programme__isnull=False).values("offering__programme")
    invited = Q(programme__in=programmes) | Q(programme__in=via_offerings) | Q(extra_invitees=user)
    if user.is_alumnus:
        invited |= Q(programme__isnull=True)
    return qs.filter(invited).distinct()


def meeting_list(*, user, now=None):
    """(upcoming, past) meetings with the person's own answer attached."""
    now = now or timezone.now()
    going = Count("rsvps", filter=Q(rsvps__answer=Rsvp.Answer.GOING, rsvps__waitlisted=False))
    qs = _meetings_for(user).select_related("programme").annotate(going=going)
    answers = {r.meeting_id: r for r in Rsvp.objects.filter(user=user, meeting__in=qs.values("pk"))}
    upcoming = list(qs.filter(ends_at__gte=now).order_by("starts_at")[:50])
    past = list(qs.filter(ends_at__lt=now).order_by("-starts_at")[:50])
    for meeting in upcoming + past:
        meeting.my_rsvp = answers.get(meeting.pk)
    return upcoming, past


def meeting_get(*, pk, user):
    return _meetings_for(user).select_related("series", "programme").filter(pk=pk).first()


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
        .filter(user__in=User.objects.filter(visibility_filter(viewer)))
        .select_related("user__organisation")
        .order_by("user__display_name")
    )


def calendar_owner(*, token):
    """The active person whose calendar feed `token` opens, or None."""
    if not token:
        return None
    return User.objects.filter(calendar_token=token, is_active=True).first()


def calendar_feed_meetings(*, user):
    return (
        # One filter(): the same RSVP row must be the person's and "going".
        Meeting.objects.filter(
            rsvps__user=user, rsvps__answer=Rsvp.Answer.GOING, rsvps__waitlisted=False
        )
        .exclude(status=Meeting.Status.DRAFT)
        .order_by("starts_at")
    )
