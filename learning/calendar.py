"""A person's learning calendar as iCalendar (.ics), for calendar apps."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event


def learning_calendar(offerings, *, user):
    """One event per class session; an all-day event for dated offerings without any."""
    cal = Calendar()
    cal.add("prodid", "-//innolab//My learning//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("innolab: %(name)s") % {"name": user.display_name})
    stamp = timezone.now()
    domain = settings.SITE_URL.split("://", 1)[-1]
    for offering in offerings:
        url = settings.SITE_URL + offering.get_absolute_url()
        sessions = list(offering.sessions.all())
        for session in sessions:
            event = Event()
            event.add("uid", f"session-{session.pk}@{domain}")
            event.add("dtstamp", stamp)
            event.add("summary", session.title or offering.title)
            event.add("dtstart", session.starts_at)
            event.add("dtend", session.ends_at)
            if session.place:
                event.add("location", session.place)
            event.add("url", url)
            cal.add_component(event)
        if not sessions and offering.starts_on:
            event = Event()
            event.add("uid", f"offering-{offering.pk}@{domain}")
            event.add("dtstamp", stamp)
            event.add("summary", offering.title)
            event.add("dtstart", offering.starts_on)
            event.add("dtend", (offering.ends_on or offering.starts_on) + timedelta(days=1))
            if offering.location:
                event.add("location", offering.location)
            event.add("url", url)
            cal.add_component(event)
    return cal.to_ical()
