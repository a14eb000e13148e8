"""Demo sharing meetings for `manage.py seed_demo`: a series per programme with a held
meeting (and its report) and an upcoming one whose 1-day reminder falls due a few minutes
after seeding, so `make run` shows it sent. Idempotent."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from community import services
from community.accounts.models import User
from community.models import Meeting, MeetingFormat, MeetingSeries, Rsvp
from learning.models import Programme

SERIES = [
    ("la-transfo", "Inter-Transfo", "La 27e Région, Paris"),
    ("behavioural-insights-pathway", "Behavioural insights exchange", "Online"),
]
ANSWERS = [
    ("alice-alumna", Rsvp.Answer.GOING),
    ("bruno-bastide", Rsvp.Answer.GOING),
    ("chloe-martin", Rsvp.Answer.MAYBE),
    ("max-member", Rsvp.Answer.NOT_GOING),
]


def _held(series, programme, title, venue, now):
    start = now - timedelta(days=182)
    services.meeting_create(
        meeting=Meeting(
            series=series, programme=programme, title=title, starts_at=start,
            ends_at=start + timedelta(hours=3), venue=venue, status=Meeting.Status.HELD,
            report_shared="Six teams showed what they changed since the programme.",
            report_worked="Starting small, with one service and its real users.",
            report_failed="Two projects stalled when their sponsor moved on.",
            report_followups="Pair stalled teams with alumni who faced the same.",
        ),
        now=start + timedelta(days=2),
    )  # fmt: skip


def _upcoming(series, programme, title, venue, now):
    """The next meeting, always tomorrow (a few minutes past its 1-day reminder)."""
    soon = now + timedelta(days=1, minutes=4)
    upcoming = series.meetings.filter(status=Meeting.Status.SCHEDULED).first()
    if upcoming is None:
        return services.meeting_create(
            meeting=Meeting(
                series=series, programme=programme, title=title, starts_at=soon,
                ends_at=soon + timedelta(hours=3), venue=venue, format=MeetingFormat.HYBRID,
                online_link="https://meet.example.gov/inter-transfo", capacity=30,
                status=Meeting.Status.SCHEDULED,
                agenda="1. What each team tried\n2. What failed, and why\n"
                "3. Pairs for next steps",
            )
        )  # fmt: skip
    if upcoming.starts_at < now + timedelta(hours=1):
        # Keep the demo alive: the next meeting moves to tomorrow (people are told).
        services.meeting_reschedule(
            meeting=upcoming, starts_at=soon, ends_at=soon + timedelta(hours=3)
        )
    return upcoming


@transaction.atomic
def seed(*, log=print):
    staff = User.objects.filter(email="staff@demo.innolab.test").first()
    now = timezone.now()
    people = {u.handle: u for u in User.objects.filter(email__endswith="@demo.innolab.test")}
    for slug, title, venue in SERIES:
        programme = Programme.objects.filter(slug=slug).first()
        if programme is None:
            continue
        series, _ = MeetingSeries.objects.get_or_create(
            programme=programme, defaults={"title": title, "default_venue": venue}
        )
        if staff:
            series.organisers.add(staff)
        if not series.meetings.filter(status=Meeting.Status.HELD).exists():
            _held(series, programme, title, venue, now)
        upcoming = _upcoming(series, programme, title, venue, now)
        # The member and everyone answering are invited, whatever they completed.
        upcoming.extra_invitees.add(
            *[people[h] for h, _answer in [("max-member", None), *ANSWERS] if h in people]
        )
        for handle, answer in ANSWERS:
            person = people.get(handle)
            if person and not Rsvp.objects.filter(meeting=upcoming, user=person).exists():
                services.meeting_rsvp(meeting=upcoming, user=person, answer=answer, now=now)
    log(f"  meetings: {Meeting.objects.count()}")
