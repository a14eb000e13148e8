"""Six-monthly cohort digests: schedule, content, exactly-once sending, admin."""

import threading
from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community import digests, services
from community.accounts.services import personal_data_export
from community.models import (
    Meeting,
    OutgoingEmail,
    Post,
    Reaction,
    Space,
    SpreadActivity,
    Topic,
    Visibility,
)
from community.outbox.services import email_deliver_batch, email_sweep
from community.services import digests as digest_services
from learning.models import Cohort, CohortDigest, DigestRecord, Enrolment, EnrolmentStatusChange
from tests import factories
from toolkits.models import ToolkitUse

KIND = "learning/digest"


def make_cohort(n=3, *, started_days_ago=200, tags=("service design",), **people_fields):
    programme = factories.programme()
    programme.tags.set(list(tags))
    cohort = Cohort.objects.create(
        name=f"Cohort of {programme.title}",
        programme=programme,
        starts_on=timezone.localdate() - timedelta(days=started_days_ago),
    )
    people = [factories.user(**people_fields) for _ in range(n)]
    Enrolment.objects.bulk_create(
        Enrolment(user=p, programme=programme, cohort=cohort, status="confirmed") for p in people
    )
    return cohort, people


def something_to_say(cohort, *, days_ago=3):
    """A sharing meeting coming up for the cohort's programme: the digest is not empty."""
    start = timezone.now() + timedelta(days=20)
    return Meeting.objects.create(
        programme=cohort.programme,
        title="Inter-Transfo",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status=Meeting.Status.SCHEDULED,
    )


def digest_emails(cohort=None):
    return OutgoingEmail.objects.filter(kind=KIND)


# --- Schedule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("anchor", "months", "after", "expected"),
    [
        (date(2026, 1, 15), 6, date(2026, 1, 15), date(2026, 7, 15)),
        (date(2026, 1, 15), 6, date(2026, 7, 15), date(2027, 1, 15)),
        (date(2026, 1, 15), 6, date(2026, 7, 14), date(2026, 7, 15)),
        # Month ends: counted from the anchor each time, so 31 August stays the 31st.
        (date(2026, 8, 31), 6, date(2026, 8, 31), date(2027, 2, 28)),
        (date(2026, 8, 31), 6, date(2027, 2, 28), date(2027, 8, 31)),
        (date(2020, 3, 1), 3, date(2026, 11, 28), date(2026, 12, 1)),
        (date(2026, 3, 1), 6, date(2025, 1, 1), date(2026, 9, 1)),
    ],
)
def test_due_dates_count_whole_periods_from_the_start(anchor, months, after, expected):
    assert digests.due_dates_after(anchor, months, after) == expected


def test_the_last_due_date_is_the_latest_on_or_before_a_day():
    assert digests.last_due_on_or_before(date(2026, 1, 15), 6, date(2026, 7, 14)) is None
    assert digests.last_due_on_or_before(date(2026, 1, 15), 6, date(2026, 7, 15)) == date(
        2026, 7, 15
    )
    assert digests.last_due_on_or_before(date(2024, 1, 15), 6, date(2026, 3, 1)) == date(
        2026, 1, 15
    )


@pytest.mark.django_db
def test_schedule_follows_the_start_the_cadence_and_the_switch():
    cohort, _people = make_cohort(0, started_days_ago=10)
    start = cohort.starts_on
    assert services.digest_schedule(cohort=cohort) == digests.due_dates_after(start, 6, start)
    cohort.digest_months = 3
    assert services.digest_schedule(cohort=cohort) == digests.due_dates_after(start, 3, start)
    cohort.digests_on = False
    assert services.digest_schedule(cohort=cohort) is None
    cohort.refresh_from_db()
    assert cohort.digest_next_on is None


@pytest.mark.django_db
def test_an_undated_cohort_counts_from_its_creation():
    programme = factories.programme()
    cohort = Cohort.objects.create(name="Undated", programme=programme)
    assert cohort.digest_anchor == timezone.localdate()
    assert services.digest_schedule(cohort=cohort) == digests.due_dates_after(
        timezone.localdate(), 6, timezone.localdate()
    )


@pytest.mark.django_db
def test_a_cohort_not_yet_due_gets_no_digest_but_a_date():
    cohort, _people = make_cohort(2, started_days_ago=30)
    something_to_say(cohort)
    assert services.digests_send_due() == []
    cohort.refresh_from_db()
    assert cohort.digest_next_on > timezone.localdate()
    assert not CohortDigest.objects.exists()


@pytest.mark.django_db
def test_a_due_cohort_is_sent_one_digest_covering_missed_periods(
    django_capture_on_commit_callbacks,
):
    # Started 20 months ago and never sent: one digest, not three.
    cohort, people = make_cohort(3, started_days_ago=610)
    something_to_say(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        started = services.digests_send_due()
    assert len(started) == 1
    digest = started[0]
    today = timezone.localdate()
    assert digest.period_end == digests.last_due_on_or_before(cohort.starts_on, 6, today)
    assert digest.covers_from == digests.start_of_day(cohort.starts_on)
    cohort.refresh_from_db()
    assert cohort.digest_next_on == digests.due_dates_after(cohort.starts_on, 6, today)
    assert digest_emails().count() == 3
    assert set(digest_emails().values_list("to", flat=True)) == {p.email for p in people}
    # The next run has nothing due.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_send_due() == []
    assert digest_emails().count() == 3


@pytest.mark.django_db
def test_switched_off_cohorts_are_never_sent_a_digest():
    cohort, _people = make_cohort(2)
    something_to_say(cohort)
    Cohort.objects.filter(pk=cohort.pk).update(digests_on=False)
    assert services.digests_send_due() == []


# --- Content -----------------------------------------------------------------------------------


@pytest.fixture
def known_period(db):
    """A cohort with one thing of each kind inside the period and one just outside each rule."""
    now = timezone.now()
    since = now - timedelta(days=30)
    cohort, (ana, bo) = make_cohort(2)
    bo.visibility = Visibility.HIDDEN
    bo.save()
    ana.display_name, bo.display_name = "Ana Visible", "Bo Hidden"
    ana.save()
    bo.save()
    other_cohort, _ = make_cohort(0)
    stranger = factories.user(display_name="Stranger")

    open_space = Space.objects.create(name="Open", slug="open")
    alumni_space = Space.objects.create(name="Alumni", slug="alumni", audience="alumni")
    other_private = Space.objects.create(
        name="Other", slug="other", audience="private", cohort=other_cohort
    )

    def topic(space, author, title, kind=Topic.Kind.EXPERIENCE, days_ago=5):
        at = now - timedelta(days=days_ago)
        t = Topic.objects.create(space=space, title=title, kind=kind, author=author, created_at=at)
        post = Post.objects.create(
            topic=t, author=author, body=title, body_html=f"<p>{title}</p>", created_at=at
        )
        return t, post

    topic(open_space, ana, "What we learnt at the job centre")
    topic(other_private, ana, "Private to another cohort")
    topic(open_space, stranger, "Not a member's")
    topic(open_space, ana, "Just a discussion", kind=Topic.Kind.DISCUSSION)
    topic(open_space, ana, "Before the period", days_ago=40)
    _t, helpful = topic(open_space, stranger, "A helpful answer", kind="question")
    _t, hidden_helpful = topic(alumni_space, stranger, "Alumni only", kind="question")
    for voter in (ana, bo):
        Reaction.objects.create(post=helpful, user=voter)
        Reaction.objects.create(post=hidden_helpful, user=voter)

    bo.alumnus_since = now - timedelta(days=7)
    bo.save()
    agent = factories.change_agent(user=bo)
    for verified, reached in ((True, 12), (False, 99)):
        SpreadActivity.objects.create(
            change_agent=agent,
            kind="workshop",
            happened_on=timezone.localdate() - timedelta(days=10),
            agency=agent.home_agency,
            people_reached=reached,
            description="A workshop",
            verified_at=now if verified else None,
        )

    kit = factories.toolkit(title="Plain letters", tags=["service design"])
    ToolkitUse.objects.create(
        toolkit=kit, user=ana, story="It worked", created_at=now - timedelta(days=1)
    )
    factories.toolkit(title="Untagged kit")

    course = factories.offering(title="User research")
    enrolment = Enrolment.objects.create(user=ana, offering=course, status="completed")
    EnrolmentStatusChange.objects.create(
        enrolment=enrolment, to_status="completed", changed_at=now - timedelta(days=7)
    )
    ana.alumnus_since = now - timedelta(days=7)
    ana.save()
    bo.alumnus_since = now - timedelta(days=7)
    bo.save()

    def meeting(title, programme, status=Meeting.Status.SCHEDULED):
        start = now + timedelta(days=14)
        return Meeting.objects.create(
            title=title,
            programme=programme,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            status=status,
        )

    meeting("Inter-Transfo", cohort.programme)
    meeting("Open to every alumnus", None)
    meeting("Another programme's", other_cohort.programme)
    meeting("Cancelled one", cohort.programme, Meeting.Status.CANCELLED)

    factories.offering(title="Service safari", tags=["service design"])
    factories.offering(title="Untagged course")
    factories.offering(title="Draft course", tags=["service design"], status="draft")
    return cohort, since, timezone.now()  # after everything made above


def by_key(content):
    return {section["key"]: section for section in content["sections"]}


def titles(section):
    return [item.get("title") for item in section["items"]]


def test_content_selects_what_the_period_holds(known_period):
    cohort, since, now = known_period
    sections = by_key(digests.digest_content(cohort=cohort, since=since, until=now))
    assert titles(sections["experiences"]) == ["What we learnt at the job centre"]
    assert sections["change_agents"]["total"] == 1
    assert sections["change_agents"]["reached"] == 12
    assert sections["change_agents"]["items"][0]["by"] == ""  # Bo's profile is hidden
    assert sections["completions"]["items"][0]["title"] == "User research"
    used = sections["toolkits_used"]["items"][0]
    assert (used["title"], used["count"], used["by"]) == ("Plain letters", 1, "Ana Visible")
    assert titles(sections["helpful_posts"]) == ["A helpful answer"]
    assert sections["helpful_posts"]["items"][0]["count"] == 2
    assert titles(sections["meetings"]) == ["Inter-Transfo", "Open to every alumnus"]
    assert titles(sections["new_offerings"]) == ["Service safari"]
    assert titles(sections["new_toolkits"]) == ["Plain letters"]
    assert sections["new_alumni"]["total"] == 2
    assert titles(sections["new_alumni"]) == ["Ana Visible"]  # Bo is counted, not named
    assert list(sections) == [
        "experiences", "change_agents", "completions", "toolkits_used", "helpful_posts",
        "meetings", "new_offerings", "new_toolkits", "new_alumni",
    ]  # fmt: skip


def test_content_is_built_in_a_constant_number_of_queries(known_period):
    cohort, since, now = known_period
    with CaptureQueriesContext(connection) as small:
        digests.digest_content(cohort=cohort, since=since, until=now)
    Enrolment.objects.bulk_create(
        Enrolment(
            user=factories.user(), programme=cohort.programme, cohort=cohort, status="confirmed"
        )
        for _ in range(10)
    )
    with CaptureQueriesContext(connection) as large:
        digests.digest_content(cohort=cohort, since=since, until=now)
    assert len(large) == len(small) <= 20


def test_empty_sections_are_left_out_and_the_text_reads_well(known_period):
    cohort, since, now = known_period
    content = digests.digest_content(cohort=cohort, since=now - timedelta(minutes=1), until=now)
    # Only what is still to come (meetings) and what was just created remain.
    assert "experiences" not in by_key(content)
    assert "meetings" in by_key(content)
    person = factories.user(display_name="Reader")
    subject, text, html = digests.digest_render_one(
        cohort=cohort, content=content, covers_from=since, covers_to=now, person=person
    )
    assert cohort.name in subject
    assert "Hello Reader" in text and "Coming sharing meetings" in text
    assert "Experiences your cohort shared" not in text
    assert "<img" not in html and "http" in html  # absolute links, no external images


@pytest.mark.django_db
def test_a_digest_with_nothing_to_say_is_not_sent(django_capture_on_commit_callbacks):
    cohort, _people = make_cohort(3, tags=())
    with django_capture_on_commit_callbacks(execute=True):
        started = services.digests_send_due()
    digest = started[0]
    assert digest.empty and digest.finished_at
    assert not digest_emails().exists() and not DigestRecord.objects.exists()
    cohort.refresh_from_db()
    assert cohort.digest_next_on > timezone.localdate()  # the schedule moves on


# --- Exactly once ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_member_gets_one_digest_whatever_runs_twice(
    django_capture_on_commit_callbacks, mailoutbox
):
    cohort, people = make_cohort(4)
    something_to_say(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        digest = services.digests_send_due()[0]
    for _ in range(2):  # a chunk redelivered by the broker, then the resumer
        with django_capture_on_commit_callbacks(execute=True):
            assert services.digest_chunk_send(digest_id=digest.pk, after_id=0, upto_id=10**9) == 0
        services.digests_resume(now=timezone.now() + timedelta(hours=1))
    assert DigestRecord.objects.filter(cohort=cohort).count() == 4
    ids = list(digest_emails().values_list("pk", flat=True))
    assert len(ids) == 4
    email_deliver_batch(email_ids=ids)
    email_deliver_batch(email_ids=ids)
    email_sweep(now=timezone.now() + timedelta(hours=1))
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people)
    digest.refresh_from_db()
    assert digest.finished_at is not None
    # A person's data export lists the digests they were given.
    exported = personal_data_export(user=people[0])["cohort_digests"]
    assert exported == [
        {
            "cohort": cohort.name,
            "period_ends": digest.period_end.isoformat(),
            "sent_at": exported[0]["sent_at"],
        }
    ]
    assert exported[0]["sent_at"] is not None


@pytest.mark.django_db
def test_a_crash_halfway_is_finished_by_a_rerun_without_duplicates(
    django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(digest_services, "CHUNK", 2)
    cohort, people = make_cohort(5)
    something_to_say(cohort)
    real = digest_services.email_queue_bulk
    calls = {"n": 0}

    def crash_on_second_chunk(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return real(**kwargs)

    monkeypatch.setattr(digest_services, "email_queue_bulk", crash_on_second_chunk)
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_send_due()  # the failed chunk is logged, the others go on
    digest = CohortDigest.objects.get(cohort=cohort)
    # Chunks one and three went through; the crashed one left nothing behind.
    assert DigestRecord.objects.filter(cohort=cohort).count() == 3
    assert digest_emails().count() == 3
    assert digest.finished_at is None

    monkeypatch.setattr(digest_services, "email_queue_bulk", real)
    assert services.digests_resume() == 0  # too early: the chunks may still be running
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_resume(now=timezone.now() + timedelta(minutes=11)) == 1
    assert DigestRecord.objects.filter(cohort=cohort).count() == 5
    assert sorted(digest_emails().values_list("to", flat=True)) == sorted(p.email for p in people)
    digest.refresh_from_db()
    assert digest.finished_at is not None


@pytest.mark.django_db
def test_a_chunk_takes_the_same_queries_for_few_or_many_people():
    def measure(n):
        cohort, _people = make_cohort(n)
        something_to_say(cohort)
        digest = services.digests_send_due()[0]  # chunks not run: no commit in this test
        with CaptureQueriesContext(connection) as queries:
            given = services.digest_chunk_send(digest_id=digest.pk, after_id=0, upto_id=10**9)
        assert given == n
        CohortDigest.objects.all().delete()
        Cohort.objects.filter(pk=cohort.pk).update(digests_on=False)
        return len(queries)

    assert measure(3) == measure(40)


@pytest.mark.django_db
def test_people_who_switched_digests_off_are_counted_not_written_to(
    django_capture_on_commit_callbacks,
):
    cohort, (keen, off) = make_cohort(2)
    off.email_digests = False
    off.save()
    something_to_say(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        digest = services.digests_send_due()[0]
    assert (digest.members, digest.opted_out) == (2, 1)
    assert list(digest_emails().values_list("to", flat=True)) == [keen.email]


@pytest.mark.django_db
def test_the_digest_carries_an_unsubscribe_link_and_one_click_headers(
    django_capture_on_commit_callbacks, mailoutbox, client
):
    cohort, (person,) = make_cohort(1, preferred_language="fr", time_zone="Europe/Paris")
    something_to_say(cohort)
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_send_due()
    (message,) = mailoutbox
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    html = message.alternatives[0][0]
    assert link in html
    response = client.post(link.removeprefix(django_settings.SITE_URL))
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.email_digests is False
    assert person.email_meeting_reminders is True  # only that kind of e-mail


@pytest.mark.postgres
@pytest.mark.skipif(
    not django_settings.IS_POSTGRES, reason="needs PostgreSQL for concurrent workers"
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_give_each_member_one_digest():
    cohort, people = make_cohort(12)
    something_to_say(cohort)
    digest_services.CHUNK, chunk = 5, digest_services.CHUNK
    barrier = threading.Barrier(4)
    errors = []

    def worker():
        try:
            barrier.wait(timeout=20)
            services.digests_send_due()  # eager tasks: the chunks run in this thread
            digest = CohortDigest.objects.get(cohort=cohort)
            services.digest_chunk_send(digest_id=digest.pk, after_id=0, upto_id=10**9)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        digest_services.CHUNK = chunk
    assert errors == []
    assert CohortDigest.objects.filter(cohort=cohort).count() == 1
    assert DigestRecord.objects.filter(cohort=cohort).count() == 12
    assert sorted(digest_emails().values_list("to", flat=True)) == sorted(p.email for p in people)


# --- Admin -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_preview_then_send_now_then_are_told_it_went_today(
    staff_client, django_capture_on_commit_callbacks
):
    cohort, _people = make_cohort(2, started_days_ago=20)
    something_to_say(cohort)
    url = reverse("admin:learning_cohort_digest", args=[cohort.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert b"Coming sharing meetings" in response.content
    assert b"Send it now" in response.content
    html = staff_client.get(reverse("admin:learning_cohort_digest_html", args=[cohort.pk]))
    assert html.status_code == 200 and b"Inter-Transfo" in html.content
    assert not digest_emails().exists()  # a preview sends nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, follow=True)
    assert "The digest is being sent to 2 members." in response.content.decode()
    digest = CohortDigest.objects.get(cohort=cohort)
    assert digest.period_end == timezone.localdate() and digest.started_by is not None
    assert digest_emails().count() == 2
    response = staff_client.post(url, follow=True)
    assert "already sent today" in response.content.decode()
    assert digest_emails().count() == 2


@pytest.mark.django_db
def test_send_now_refuses_an_empty_digest(staff_client):
    cohort, _people = make_cohort(2, tags=())
    url = reverse("admin:learning_cohort_digest", args=[cohort.pk])
    assert b"nothing to tell this cohort yet" in staff_client.get(url).content
    response = staff_client.post(url, follow=True)
    assert "Nothing to tell this cohort" in response.content.decode()
    assert not CohortDigest.objects.exists()


@pytest.mark.django_db
def test_members_cannot_reach_the_digest_pages(member_client):
    cohort, _people = make_cohort(1)
    for name in ("admin:learning_cohort_digest", "admin:learning_cohort_digest_html"):
        response = member_client.get(reverse(name, args=[cohort.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_saving_a_cohort_in_the_admin_shows_and_recomputes_the_next_digest(staff_client):
    cohort, _people = make_cohort(0, started_days_ago=10)
    change = reverse("admin:learning_cohort_change", args=[cohort.pk])
    data = {
        "name": cohort.name,
        "programme": cohort.programme_id,
        "starts_on": cohort.starts_on.isoformat(),
        "digests_on": "on",
        "digest_months": "3",
    }
    response = staff_client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    cohort.refresh_from_db()
    assert cohort.digest_next_on == digests.due_dates_after(cohort.starts_on, 3, cohort.starts_on)
    listing = staff_client.get(reverse("admin:learning_cohort_changelist"))
    assert cohort.digest_next_on.strftime("%b").encode() in listing.content
    data.pop("digests_on")
    staff_client.post(change, data)
    cohort.refresh_from_db()
    assert cohort.digest_next_on is None
    assert staff_client.get(reverse("admin:learning_cohortdigest_changelist")).status_code == 200
