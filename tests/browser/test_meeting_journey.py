"""An alumna answers "going" to the next sharing meeting, downloads its .ics, and the
reminder task (run twice) leaves exactly one reminder per offset due in the outbox."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from community import tasks
from community.models import Meeting, MeetingSeries, OutgoingEmail
from tests import factories
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rsvp_download_and_one_reminder_per_due_offset(page):
    programme = factories.programme(title="La Transfo")
    alumna = factories.alumnus(
        email="alice@example.gov", display_name="Alice Alumna",
        of=factories.offering(programme=programme),
    )  # fmt: skip
    series = MeetingSeries.objects.create(
        programme=programme, title="Inter-Transfo", reminder_offsets="7d, 1d, 2h"
    )
    # Tomorrow minus ten minutes: the 1-day reminder is due, the 7-day one long missed,
    # the 2-hour one not yet.
    start = timezone.now() + timedelta(days=1, minutes=-10)
    meeting = Meeting.objects.create(
        series=series, programme=programme, title="Inter-Transfo, winter", starts_at=start,
        ends_at=start + timedelta(hours=3), status=Meeting.Status.SCHEDULED,
        online_link="https://meet.example.gov/transfo",
    )  # fmt: skip

    log_in(page, "alice@example.gov")
    page.get_by_role("link", name="Meetings").click()
    page.check()
    page.get_by_role("link", name="Inter-Transfo, winter").click()
    page.get_by_role("radio", name="Going", exact=True).check()
    page.get_by_role("button", name="Save my answer").click()
    page.get_by_text("Thank you, your answer is saved.").wait_for()
    page.get_by_role("link", name="https://meet.example.gov/transfo").wait_for()
    page.check()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download .ics").click()
    with open(download_info.value.path(), "rb") as ics:
        event = Calendar.from_ical(ics.read()).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Inter-Transfo, winter"
    assert "meet.example.gov/transfo" in str(event["LOCATION"])

    tasks.meetings_tick.delay().get()
    tasks.meetings_tick.delay().get()
    reminders = OutgoingEmail.objects.filter(kind="community/meeting_reminder", user=alumna)
    assert reminders.count() == 1
    assert meeting.reminders.filter(user=alumna, skipped=False).count() == 1
    assert meeting.reminders.filter(user=alumna, skipped=True).count() == 1
