"""Sharing meetings: RSVPs and waitlist, series roll-over, reminders, notices.

Reminders are sent exactly once per meeting, person, offset and scheduled start: a
MeetingReminder row unique on those four is inserted in the same transaction as the
e-mail's outbox record, so a second run, a second worker or a retry finds the row and
sends nothing. A reminder whose moment passed more than MEETING_REMINDER_WINDOW ago is
recorded as skipped and logged, never sent late.
"""

import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.accounts.errors import Refused
from community.accounts.models import User
from community.accounts.roles import lab_staff_q
from community.calendar import meeting_ics
from community.models import Meeting, MeetingReminder, MeetingSeries, Rsvp
from community.models.meetings import new_calendar_token
from community.outbox.models import OutgoingEmail
from community.outbox.services import email_queue
from community.policy import is_invited
from community.selectors.meetings import GOING, seats_taken

logger = logging.getLogger(__name__)
Answer = Rsvp.Answer


class RsvpRefused(Refused):
    """An RSVP the rules do not allow."""


def _context(meeting, **extra):
    return {
        "meeting": meeting,
        "url": settings.SITE_URL + meeting.get_absolute_url(),
        **extra,
    }


def _promote(meeting, now):
    """Moves people off the waitlist, first come first served, while seats are free."""
    if meeting.capacity is None:
        waiting = meeting.rsvps.filter(waitlisted=True)
    else:
        free = meeting.capacity - seats_taken(meeting)
        if free <= 0:
            return []
        waiting = meeting.rsvps.filter(waitlisted=True).order_by("waitlisted_at", "pk")[:free]
    promoted = list(waiting.select_related("user"))
    for rsvp in promoted:
        rsvp.waitlisted = False
        rsvp.save(update_fields=["waitlisted"])
        email_queue(
            to=rsvp.user.email,
            user=rsvp.user,
            kind="community/meeting_promoted",
            context=_context(meeting),
        )
    return promoted


@transaction.atomic
def meeting_rsvp(*, meeting, user, answer, now=None):
    """Records the person's answer; "going" to a full meeting joins the waitlist.

    Someone leaving "going" frees a seat for the first person waiting. Answers can change
    until the meeting starts. Raises RsvpRefused (not invited, not scheduled, started).
    """
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise RsvpRefused(_("This meeting is not open for answers."))
    if now >= meeting.starts_at:
        raise RsvpRefused(_("The meeting has started: answers can no longer change."))
    if not is_invited(meeting, user):
        raise RsvpRefused(_("This meeting is for the programme's alumni and invited guests."))
    rsvp = Rsvp.objects.filter(meeting=meeting, user=user).first() or Rsvp(
        meeting=meeting, user=user
    )
    was_going = rsvp.pk is not None and rsvp.is_going
    rsvp.answer = answer
    rsvp.answered_at = now
    if answer == Answer.GOING:
        if not was_going:
            full = meeting.capacity is not None and seats_taken(meeting) >= meeting.capacity
            if full and not rsvp.waitlisted:
                rsvp.waitlisted, rsvp.waitlisted_at = True, now
            elif not full:
                rsvp.waitlisted = False
    else:
        rsvp.waitlisted, rsvp.waitlisted_at = False, None
    rsvp.save()
    if was_going and not rsvp.is_going:
        _promote(meeting, now)
    return rsvp


def _answered(meeting):
    return meeting.rsvps.filter(answer__in=[Answer.GOING, Answer.MAYBE]).select_related("user")


@transaction.atomic
def meeting_reschedule(*, meeting, starts_at, ends_at, by=None, now=None):
    """Moves a meeting; people who answered get an "updated" notice, and reminders are
    re-armed for the new start (their records are keyed on the start time)."""
    if ends_at <= starts_at:
        raise ValidationError(_("A meeting must end after it starts."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    old = meeting.starts_at
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.save(update_fields=["starts_at", "ends_at"])
    if meeting.status == Meeting.Status.SCHEDULED and old != starts_at:
        for rsvp in _answered(meeting):
            email_queue(
                to=rsvp.user.email,
                user=rsvp.user,
                kind="community/meeting_updated",
                context=_context(meeting, old_start=old),
                dedupe_key=f"meeting-updated:{meeting.pk}:{rsvp.user_id}:{starts_at.isoformat()}",
                attachment=(
                    "meeting.ics",
                    meeting_ics([meeting], going=rsvp.is_going),
                    "text/calendar",
                ),
            )
    return meeting


REPORT_FIELDS = ("report_shared", "report_worked", "report_failed", "report_followups")


def _report_of(meeting):
    return {f.removeprefix("report_"): getattr(meeting, f) for f in REPORT_FIELDS}


@transaction.atomic
def meeting_create(*, meeting, by=None, now=None):
    """Saves a new meeting (the admin's form); a report written with it is stamped."""
    meeting.save()
    if any(getattr(meeting, f) for f in REPORT_FIELDS):
        meeting_report_write(meeting=meeting, by=by, now=now, **_report_of(meeting))
    return meeting


@transaction.atomic
def meeting_update(*, meeting, by=None, now=None):
    """Saves lab staff's changes to a meeting (the admin's form). A new time goes through
    meeting_reschedule (people who answered are told, reminders re-arm for the new
    start), a changed report through meeting_report_write (it stamps its date). Returns
    the saved meeting."""
    saved = Meeting.objects.select_for_update().get(pk=meeting.pk)
    starts_at, ends_at = meeting.starts_at, meeting.ends_at
    report_changed = any(getattr(saved, f) != getattr(meeting, f) for f in REPORT_FIELDS)
    # Everything but the time is saved as it is; the time by the reschedule below.
    meeting.starts_at, meeting.ends_at = saved.starts_at, saved.ends_at
    meeting.save()
    if (starts_at, ends_at) != (saved.starts_at, saved.ends_at):
        meeting_reschedule(meeting=meeting, starts_at=starts_at, ends_at=ends_at, by=by, now=now)
        meeting.starts_at, meeting.ends_at = starts_at, ends_at
    if report_changed:
        meeting_report_write(meeting=meeting, by=by, now=now, **_report_of(meeting))
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting, by=None):
    """Cancels a meeting: everyone who answered is told; no reminder goes out after."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        return meeting
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status"])
    for rsvp in meeting.rsvps.exclude(answer=Answer.NOT_GOING).select_related("user"):
        email_queue(
            to=rsvp.user.email,
            user=rsvp.user,
            kind="community/meeting_cancelled",
            context=_context(meeting),
            dedupe_key=f"meeting-cancelled:{meeting.pk}:{rsvp.user_id}",
        )
    return meeting


@transaction.atomic
def meeting_schedule(*, meeting, by=None):
    """Announces a draft meeting (the series' next one, once lab staff confirm it)."""
    meeting.status = Meeting.Status.SCHEDULED
    meeting.save(update_fields=["status"])
    return meeting


def series_roll(*, now=None):
    """Creates the next meeting of every active series whose last meeting is over, as a
    draft for lab staff to confirm. Returns the meetings created."""
    now = now or timezone.now()
    created = []
    for series in MeetingSeries.objects.filter(active=True):
        with transaction.atomic():
            series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
            last = (
                series.meetings.exclude(status=Meeting.Status.CANCELLED)
                .order_by("-starts_at")
                .first()
                or series.meetings.order_by("-starts_at").first()
            )
            if last is None or not last.is_over(now):
                continue
            if series.meetings.filter(starts_at__gt=last.starts_at).exists():
                continue
            starts = last.starts_at + relativedelta(months=series.cadence_months)
            while starts < now:
                starts += relativedelta(months=series.cadence_months)
            meeting = Meeting.objects.create(
                series=series,
                programme=series.programme,
                title=series.title,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=series.default_duration_minutes),
                format=series.default_format,
                venue=series.default_venue,
                status=Meeting.Status.DRAFT,
            )
            meeting.organisers.set(series.organisers.all())
            created.append(meeting)
    return created


def _window():
    return timedelta(minutes=settings.MEETING_REMINDER_WINDOW_MINUTES)


def reminders_send(*, now=None):
    """Sends every reminder that is due now, once. Returns counts for the log."""
    now = now or timezone.now()
    counts = {"sent": 0, "skipped": 0, "already": 0, "opted_out": 0}
    longest = timedelta(days=60)
    meetings = Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED, starts_at__gt=now, starts_at__lte=now + longest
    ).select_related("series")
    for meeting in meetings:
        offsets = meeting.series.offsets if meeting.series else [timedelta(days=1)]
        for offset in offsets:
            moment = meeting.starts_at - offset
            if now < moment:
                continue
            late = now - moment > _window()
            for rsvp in meeting.rsvps.filter(GOING).select_related("user"):
                counts[_remind(meeting, rsvp.user, offset, late=late, now=now)] += 1
    if counts["skipped"]:
        logger.warning("Meeting reminders skipped (moment missed): %s", counts["skipped"])
    return counts


def _remind(meeting, user, offset, *, late, now):
    minutes = int(offset.total_seconds() // 60)
    try:
        with transaction.atomic():
            MeetingReminder.objects.create(
                meeting=meeting,
                user=user,
                offset_minutes=minutes,
                starts_at=meeting.starts_at,
                sent_at=now,
                skipped=late,
            )
            if late:
                logger.warning(
                    "Reminder %s min before %s for user %s skipped: its moment passed more "
                    "than the window ago",
                    minutes,
                    meeting.pk,
                    user.pk,
                )
                return "skipped"
            email = email_queue(
                to=user.email,
                user=user,
                kind="community/meeting_reminder",
                context=_context(meeting, offset=offset),
                attachment=("meeting.ics", meeting_ics([meeting], going=True), "text/calendar"),
                now=now,
            )
    except IntegrityError:
        return "already"
    # The record stays either way, so a person who switched reminders off is not asked
    # again at every run.
    return "sent" if email is not None else "opted_out"


def report_reminders_send(*, now=None):
    """Reminds organisers to write the report 3 and 7 days after a meeting without one."""
    now = now or timezone.now()
    sent = 0
    due = Meeting.objects.filter(
        status__in=[Meeting.Status.SCHEDULED, Meeting.Status.HELD],
        report_written_at__isnull=True,
        ends_at__lte=now - timedelta(days=3),
        ends_at__gte=now - timedelta(days=30),
    ).prefetch_related("organisers")
    for meeting in due:
        days = 7 if now - meeting.ends_at >= timedelta(days=7) else 3
        organisers = list(meeting.organisers.all()) or list(
            User.objects.filter(lab_staff_q(), is_active=True).distinct()
        )
        for person in organisers:
            key = f"meeting-report:{meeting.pk}:{days}:{person.pk}"
            if OutgoingEmail.objects.filter(dedupe_key=key).exists():
                continue
            email_queue(
                to=person.email,
                user=person,
                kind="community/meeting_report_due",
                context=_context(meeting, days=days),
                dedupe_key=key,
                now=now,
            )
            sent += 1
    return sent


@transaction.atomic
def meeting_report_write(*, meeting, by, shared, worked, failed, followups, now=None):
    meeting.report_shared, meeting.report_worked = shared, worked
    meeting.report_failed, meeting.report_followups = failed, followups
    meeting.report_written_at = now or timezone.now()
    if meeting.status == Meeting.Status.SCHEDULED and meeting.is_over(now):
        meeting.status = Meeting.Status.HELD
    meeting.save()
    return meeting


def calendar_token_reset(*, user):
    """Issues a new secret for the personal calendar feed (the old address stops working)."""
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def calendar_token_revoke(*, user):
    user.calendar_token = None
    user.save(update_fields=["calendar_token"])
