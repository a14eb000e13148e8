"""Sharing meetings: invitees, RSVPs and waitlist, calendars, reminders, series, reports."""

import threading
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from community import policy, services
from community.accounts import services as account_services
from community.models import Meeting, MeetingReminder, MeetingSeries, OutgoingEmail, Rsvp
from tests import factories

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def make_meeting(programme=None, *, starts_in=timedelta(days=10), capacity=None, **fields):
    programme = programme or factories.programme()
    series = fields.pop("series", None) or MeetingSeries.objects.create(
        programme=programme, title="Inter-Transfo"
    )
    start = fields.pop("starts_at", None) or timezone.now() + starts_in
    return Meeting.objects.create(
        series=series, programme=programme, title=fields.pop("title", "Inter-Transfo"),
        starts_at=start, ends_at=start + timedelta(hours=3), capacity=capacity,
        status=fields.pop("status", Meeting.Status.SCHEDULED), **fields,
    )  # fmt: skip


def alumni(programme, n):
    step = factories.offering(programme=programme)
    return [factories.alumnus(of=step) for _ in range(n)]


pytestmark = pytest.mark.django_db


def test_invitees_are_the_programmes_alumni_including_new_ones_plus_guests():
    programme = factories.programme()
    meeting = make_meeting(programme)
    early = alumni(programme, 1)[0]
    outsider = factories.alumnus()
    guest = factories.user()
    meeting.extra_invitees.add(guest)
    assert set(policy.invitees(meeting)) == {early, guest}
    late = alumni(programme, 1)[0]  # completed after the meeting was scheduled
    assert late in policy.invitees(meeting)
    assert outsider not in policy.invitees(meeting)


def test_rsvp_states_waitlist_and_promotion(mailoutbox, django_capture_on_commit_callbacks):
    programme = factories.programme()
    meeting = make_meeting(programme, capacity=1)
    a, b, c = alumni(programme, 3)
    assert services.meeting_rsvp(meeting=meeting, user=a, answer="going").is_going
    second = services.meeting_rsvp(meeting=meeting, user=b, answer="going")
    assert second.waitlisted
    assert services.meeting_rsvp(meeting=meeting, user=c, answer="maybe").answer == "maybe"
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_rsvp(meeting=meeting, user=a, answer="not_going")
    second.refresh_from_db()
    assert second.is_going
    assert "A place freed up" in mailoutbox[-1].subject and mailoutbox[-1].to == [b.email]


def test_rsvp_refused_for_outsiders_drafts_and_after_the_start():
    programme = factories.programme()
    person = alumni(programme, 1)[0]
    with pytest.raises(services.RsvpRefused, match="alumni and invited guests"):
        services.meeting_rsvp(
            meeting=make_meeting(programme), user=factories.user(), answer="going"
        )
    draft = make_meeting(programme, status=Meeting.Status.DRAFT)
    with pytest.raises(services.RsvpRefused, match="not open"):
        services.meeting_rsvp(meeting=draft, user=person, answer="going")
    started = make_meeting(programme, starts_in=timedelta(minutes=-5))
    with pytest.raises(services.RsvpRefused, match="has started"):
        services.meeting_rsvp(meeting=started, user=person, answer="going")


def test_times_show_in_the_viewers_time_zone(client):
    programme = factories.programme()
    start = datetime(2027, 3, 10, 10, 0, tzinfo=PARIS)
    meeting = make_meeting(programme, starts_at=start)
    londoner = alumni(programme, 1)[0]
    londoner.time_zone = "Europe/London"
    londoner.save()
    client.force_login(londoner)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "10 March 2027, 09:00" in html
    parisian = alumni(programme, 1)[0]
    client.force_login(parisian)
    assert "10 March 2027, 10:00" in client.get(meeting.get_absolute_url()).content.decode()


def test_meeting_ics_parses_and_hides_the_link_from_people_not_going(client):
    programme = factories.programme()
    meeting = make_meeting(programme, online_link="https://meet.example/secret")
    person = alumni(programme, 1)[0]
    client.force_login(person)
    body = client.get(reverse("community:meeting-ics", args=[meeting.pk])).content
    event = Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Inter-Transfo"
    assert event["DTSTART"].dt == meeting.starts_at.replace(microsecond=0)
    assert b"meet.example/secret" not in body
    services.meeting_rsvp(meeting=meeting, user=person, answer="going")
    assert (
        b"meet.example/secret"
        in client.get(reverse("community:meeting-ics", args=[meeting.pk])).content
    )


def test_personal_feed_needs_its_token_and_can_be_revoked(client):
    programme = factories.programme()
    meeting = make_meeting(programme)
    person = alumni(programme, 1)[0]
    services.meeting_rsvp(meeting=meeting, user=person, answer="going")
    token = services.calendar_token_reset(user=person)
    url = reverse("community:calendar-feed", args=[token])
    feed = Calendar.from_ical(client.get(url).content)
    assert [str(e["SUMMARY"]) for e in feed.walk("VEVENT")] == ["Inter-Transfo"]
    new_token = services.calendar_token_reset(user=person)
    assert client.get(url).status_code == 404
    services.calendar_token_revoke(user=person)
    assert client.get(reverse("community:calendar-feed", args=[new_token])).status_code == 404


# --- reminders -------------------------------------------------------------------------------


def going_meeting(starts_in, n=2):
    programme = factories.programme()
    meeting = make_meeting(programme, starts_in=starts_in)
    people = alumni(programme, n)
    for person in people:
        services.meeting_rsvp(meeting=meeting, user=person, answer="going")
    return meeting, people


def test_reminders_go_once_per_person_and_offset_even_when_run_twice(
    mailoutbox, django_capture_on_commit_callbacks
):
    _meeting, people = going_meeting(timedelta(days=1, minutes=-10))
    with django_capture_on_commit_callbacks(execute=True):
        first = services.reminders_send()
        second = services.reminders_send()
    # 1 day: sent; 7 days: missed
    assert first == {"sent": 2, "skipped": 2, "already": 0, "opted_out": 0}
    assert second["sent"] == 0
    reminders = [m for m in mailoutbox if m.subject.startswith("Reminder:")]
    assert sorted(m.to[0] for m in reminders) == sorted(p.email for p in people)
    assert reminders[0].attachments[0][0] == "meeting.ics"
    assert MeetingReminder.objects.filter(skipped=True).count() == 2


def test_a_missed_reminder_is_skipped_and_logged_not_sent_late(caplog):
    _meeting, _people = going_meeting(timedelta(hours=12))  # the 1-day moment was 12 h ago
    counts = services.reminders_send()
    assert counts["sent"] == 0 and counts["skipped"] == 4
    assert "skipped" in caplog.text
    assert not OutgoingEmail.objects.filter(kind="community/meeting_reminder").exists()


def test_rescheduling_rearms_reminders_and_sends_an_update(
    mailoutbox, django_capture_on_commit_callbacks
):
    meeting, _people = going_meeting(timedelta(days=1, minutes=-10))
    services.reminders_send()
    new_start = meeting.starts_at + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_reschedule(
            meeting=meeting, starts_at=new_start, ends_at=new_start + timedelta(hours=2)
        )
    assert sum("New time:" in m.subject for m in mailoutbox) == 2
    later = new_start - timedelta(days=1) + timedelta(minutes=5)
    assert services.reminders_send(now=later)["sent"] == 2


def test_cancelling_tells_everyone_who_answered_and_stops_reminders(
    mailoutbox, django_capture_on_commit_callbacks
):
    meeting, _people = going_meeting(timedelta(days=1, minutes=-10))
    maybe = alumni(meeting.programme, 1)[0]
    services.meeting_rsvp(meeting=meeting, user=maybe, answer="maybe")
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting)
    assert sum(m.subject.startswith("Cancelled:") for m in mailoutbox) == 3
    assert services.reminders_send()["sent"] == 0


@pytest.mark.postgres
@pytest.mark.skipif(not settings.IS_POSTGRES, reason="needs PostgreSQL for concurrent workers")
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once():
    _meeting, _people = going_meeting(timedelta(days=1, minutes=-10), n=5)
    barrier = threading.Barrier(4)
    errors = []

    def worker():
        try:
            barrier.wait(timeout=20)
            services.reminders_send()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    sent = OutgoingEmail.objects.filter(kind="community/meeting_reminder")
    assert sent.count() == 5
    assert sent.values("to").distinct().count() == 5


# --- series, reports -----------------------------------------------------------------------------


def test_the_next_meeting_of_a_series_is_drafted_once_the_last_is_over():
    programme = factories.programme()
    start = timezone.now() - timedelta(days=2)
    last = make_meeting(programme, starts_at=start, status=Meeting.Status.HELD)
    created = services.series_roll()
    assert len(created) == 1
    nxt = created[0]
    assert nxt.status == Meeting.Status.DRAFT and nxt.series == last.series
    assert nxt.starts_at.date() == (start + timedelta(days=183)).date() or nxt.starts_at > start
    assert services.series_roll() == []  # the rhythm is kept, not doubled


def test_organisers_are_reminded_to_write_the_report(
    django_capture_on_commit_callbacks, mailoutbox
):
    organiser = factories.lab_staff()
    programme = factories.programme()
    meeting = make_meeting(programme, starts_at=timezone.now() - timedelta(days=4))
    meeting.organisers.add(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.report_reminders_send() == 1
        assert services.report_reminders_send() == 0
    assert mailoutbox[-1].to == [organiser.email]
    assert services.report_reminders_send(now=timezone.now() + timedelta(days=4)) == 1
    services.meeting_report_write(
        meeting=meeting, by=organiser, shared="s", worked="w", failed="f", followups="x"
    )
    assert services.report_reminders_send(now=timezone.now() + timedelta(days=5)) == 0
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


# --- pages -------------------------------------------------------------------------------


def test_meeting_pages_for_invitees_only(client):
    programme = factories.programme()
    meeting = make_meeting(programme, title="Spring exchange")
    person = alumni(programme, 1)[0]
    assert client.get(reverse("community:meeting-list")).status_code == 302
    client.force_login(factories.user())
    assert "Spring exchange" not in client.get(reverse("community:meeting-list")).content.decode()
    assert client.get(meeting.get_absolute_url()).status_code == 404
    client.force_login(person)
    assert "Spring exchange" in client.get(reverse("community:meeting-list")).content.decode()
    response = client.post(meeting.get_absolute_url(), {"answer": "going"}, follow=True)
    assert "Thank you, your answer is saved." in response.content.decode()
    assert Rsvp.objects.get(user=person).is_going
    html = client.get(reverse("community:meeting-list")).content.decode()
    assert 'class="mine"' in html


@pytest.mark.parametrize("size", [3, 30])
def test_meeting_pages_query_budget(client, django_assert_max_num_queries, size):
    programme = factories.programme()
    people = alumni(programme, size)
    meetings = [make_meeting(programme, starts_in=timedelta(days=5 + n)) for n in range(3)]
    for person in people:
        services.meeting_rsvp(meeting=meetings[0], user=person, answer="going")
    client.force_login(people[0])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("community:meeting-list")).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(meetings[0].get_absolute_url()).status_code == 200


# --- admin and data rights ---------------------------------------------------------------


def test_admin_reschedule_notifies_and_actions_schedule_and_cancel(
    staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    meeting, _people = going_meeting(timedelta(days=10))
    url = reverse("admin:community_meeting_change", args=[meeting.pk])
    new_start = timezone.localtime(meeting.starts_at + timedelta(days=1)).replace(microsecond=0)
    new_end = new_start + timedelta(hours=2)
    form = {
        "title": meeting.title, "series": meeting.series_id, "programme": meeting.programme_id,
        "starts_at_0": new_start.strftime("%Y-%m-%d"),
        "starts_at_1": new_start.strftime("%H:%M:%S"),
        "ends_at_0": new_end.strftime("%Y-%m-%d"), "ends_at_1": new_end.strftime("%H:%M:%S"),
        "format": "hybrid", "venue": "", "online_link": "", "capacity": "", "agenda": "",
        "report_shared": "", "report_worked": "", "report_failed": "", "report_followups": "",
        "rsvps-TOTAL_FORMS": "2", "rsvps-INITIAL_FORMS": "2", "rsvps-MIN_NUM_FORMS": "0",
        "rsvps-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for n, rsvp in enumerate(meeting.rsvps.order_by("answered_at", "pk")):
        form |= {
            f"rsvps-{n}-id": rsvp.pk,
            f"rsvps-{n}-meeting": meeting.pk,
            f"rsvps-{n}-attended": "",
        }
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting.refresh_from_db()
    assert meeting.starts_at == new_start
    assert sum("New time:" in m.subject for m in mailoutbox) == 2

    draft = make_meeting(meeting.programme, status=Meeting.Status.DRAFT, series=meeting.series)
    changelist = reverse("admin:community_meeting_changelist")
    staff_client.post(changelist, {"action": "schedule", ACTION_CHECKBOX_NAME: [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.SCHEDULED
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(changelist, {"action": "cancel", ACTION_CHECKBOX_NAME: [meeting.pk]})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert sum(m.subject.startswith("Cancelled:") for m in mailoutbox) == 2


def test_account_deletion_gives_up_future_seats_and_export_lists_answers(client):
    programme = factories.programme()
    meeting = make_meeting(programme, capacity=1)
    leaving, waiting = alumni(programme, 2)
    services.meeting_rsvp(meeting=meeting, user=leaving, answer="going")
    queued = services.meeting_rsvp(meeting=meeting, user=waiting, answer="going")
    assert queued.waitlisted
    data = account_services.personal_data_export(user=leaving)
    assert data["meetings"][0]["answer"] == "going"
    services.calendar_token_reset(user=leaving)
    account_services.account_delete(user=leaving)
    queued.refresh_from_db()
    leaving.refresh_from_db()
    assert queued.is_going
    assert Rsvp.objects.get(user=leaving).answer == "not_going"
    assert leaving.calendar_token is None


def test_people_who_switched_reminders_off_get_none_and_are_counted_apart():
    _meeting, people = going_meeting(timedelta(days=1, minutes=-10))
    people[0].email_meeting_reminders = False
    people[0].save()
    counts = services.reminders_send()
    assert counts["sent"] == 1 and counts["opted_out"] == 1
    assert OutgoingEmail.objects.filter(kind="community/meeting_reminder").count() == 1
    assert services.reminders_send()["already"] == 4


def test_meeting_update_reschedules_through_the_service_and_stamps_a_report(
    mailoutbox, django_capture_on_commit_callbacks
):
    meeting, _people = going_meeting(timedelta(days=10))
    meeting.venue = "Lyon"
    meeting.starts_at += timedelta(days=1)
    meeting.ends_at += timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.venue == "Lyon" and meeting.report_written_at is None
    assert sum("New time:" in m.subject for m in mailoutbox) == 2
    # Nothing about the time changed: nobody is told again.
    meeting.report_shared = "Everyone brought a failure."
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.report_written_at is not None
    assert sum("New time:" in m.subject for m in mailoutbox) == 2


def test_meeting_create_stamps_a_report_written_with_it():
    programme = factories.programme()
    start = timezone.now() - timedelta(days=3)
    meeting = services.meeting_create(
        meeting=Meeting(
            programme=programme, title="Held", starts_at=start,
            ends_at=start + timedelta(hours=2), status=Meeting.Status.SCHEDULED,
            report_worked="Pairs of teams.",
        )
    )  # fmt: skip
    assert meeting.report_written_at is not None
    assert meeting.status == Meeting.Status.HELD
