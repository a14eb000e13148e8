"""Meetings as iCalendar: one file per meeting, and the personal subscription feed."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from community.models import Meeting


def meeting_ics(meetings, *, going=False, name=None):
    """iCalendar text for `meetings`, in the active language. Joining links only for
    people who are going."""
    cal = Calendar()
    cal.add("prodid", "-//innolab//Sharing meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name or _("innolab sharing meetings"))
    domain = settings.SITE_URL.split("://", 1)[-1]
    stamp = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{domain}")
        event.add("dtstamp", stamp)
        event.add("summary", meeting.title)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("url", settings.SITE_URL + meeting.get_absolute_url())
        location = meeting.venue
        description = meeting.agenda or ""
        if going and meeting.online_link:
            location = f"{location} / {meeting.online_link}" if location else meeting.online_link
            join = _("Join online: %(link)s") % {"link": meeting.online_link}
            description = f"{description}\n\n{join}".strip()
        if location:
            event.add("location", location)
        if description:
            event.add("description", description)
        cancelled = meeting.status == Meeting.Status.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical().decode()
