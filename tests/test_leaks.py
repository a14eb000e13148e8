"""One regression test per leak found in the review of who may see what (issue 18), over
HTTP where a visitor would try it, and the weak points fixed with them. Each failed
before its fix."""

import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community import policy, selectors, services
from community.accounts.errors import RateLimited
from community.accounts.forms import ProfileForm
from community.accounts.models import Visibility
from community.accounts.roles import lab_staff_group_sync
from community.accounts.services import account_delete
from community.models import Meeting, Notification, Post, Rsvp, Space, User
from innolab import fragments
from innolab.gunicorn import RedactingLogger
from innolab.logs import RedactSecretsFilter, redact
from learning import services as learning_services
from learning.models import Cohort, Enrolment, Policy, Publication
from tests import factories
from toolkits import services as toolkit_services

pytestmark = pytest.mark.django_db


def old_member(**fields):
    """An account older than the new-account posting limits."""
    return factories.user(date_joined=timezone.now() - timedelta(days=60), **fields)


@pytest.fixture
def cohort_world():
    """A programme cohort with its private space, and someone at each step of applying."""
    staff = factories.lab_staff()
    programme = factories.programme(enrolment_policy=Policy.APPLICATION, capacity=10)
    cohort = services.cohort_create(cohort=Cohort(name="Spring", programme=programme))
    people = {name: old_member() for name in ("applicant", "waitlisted", "declined", "member")}
    for name in ("applicant", "waitlisted", "declined"):
        enrolment = learning_services.enrolment_create(
            user=people[name], target=programme, motivation="Please", cohort=cohort
        )
        if name == "waitlisted":
            learning_services.enrolment_waitlist(enrolment=enrolment, by=staff)
        if name == "declined":
            learning_services.enrolment_decline(enrolment=enrolment, by=staff)
    learning_services.enrolment_place(
        user=people["member"], target=programme, by=staff, cohort=cohort
    )
    space = Space.objects.get(cohort=cohort)
    topic = services.topic_create(
        space=space, author=staff, title="Our private talk", kind="discussion", body="Secret"
    )
    return {"staff": staff, "programme": programme, "cohort": cohort, "space": space,
            "topic": topic, **people}  # fmt: skip


# 1. -------------------------------------------------------------------------------------------


def test_1_applying_or_waiting_does_not_open_a_private_space(cohort_world):
    w = cohort_world
    for name in ("applicant", "waitlisted"):
        client = factories.client_for(w[name])
        assert client.get(w["space"].get_absolute_url()).status_code == 404
        assert client.get(w["topic"].get_absolute_url()).status_code == 404
        reply = client.post(w["topic"].get_absolute_url(), {"body": "Let me in"})
        assert reply.status_code == 404
    assert factories.client_for(w["member"]).get(w["topic"].get_absolute_url()).status_code == 200
    everyone = [w[name].pk for name in ("applicant", "waitlisted", "declined", "member")]
    assert set(policy.readers_among(w["space"], [*everyone, w["staff"].pk])) == {
        w["member"],
        w["staff"],
    }
    assert not Post.objects.filter(body="Let me in").exists()


# 2. -------------------------------------------------------------------------------------------


def test_2_removed_posts_are_never_quoted_nor_shown_on_the_flag_page():
    author, reader, staff = old_member(), old_member(), factories.lab_staff()
    space = Space.objects.create(name="Open", slug="open")
    topic = services.topic_create(
        space=space, author=author, title="Talk", kind="discussion", body="Hello"
    )
    hidden = services.post_reply(topic=topic, author=author, body="Hidden words")
    services.post_hide(post=hidden, by=staff, reason="Rude")
    deleted = services.post_reply(topic=topic, author=author, body="Deleted words")
    services.post_delete(post=deleted, by=author)
    client = factories.client_for(reader)
    for post in (hidden, deleted):
        page = client.get(f"{topic.get_absolute_url()}?quote={post.pk}").content.decode()
        assert post.body not in page
        assert client.get(reverse("community:post-flag", args=[post.pk])).status_code == 404


# 3. -------------------------------------------------------------------------------------------


def test_3_a_toolkit_page_names_only_people_the_reader_may_see(client):
    hidden = factories.alumnus(display_name="Hidden Teller", visibility=Visibility.HIDDEN)
    open_one = factories.alumnus(display_name="Open Teller")
    toolkit = factories.toolkit()
    for person in (hidden, open_one):
        factories.change_agent(user=person)
        toolkit_services.toolkit_use_record(
            toolkit=toolkit, user=person, context="Housing", story="It went well."
        )
    visitor_page = client.get(toolkit.get_absolute_url()).content.decode()
    assert "Hidden Teller" not in visitor_page and "Open Teller" not in visitor_page
    member_page = (
        factories.client_for(old_member()).get(toolkit.get_absolute_url()).content.decode()
    )
    assert "Hidden Teller" not in member_page and "Open Teller" in member_page
    assert "A member" in member_page
    staff_page = factories.client_for(factories.lab_staff()).get(toolkit.get_absolute_url())
    assert "Hidden Teller" in staff_page.content.decode()


# 4. -------------------------------------------------------------------------------------------


def test_4_nobody_can_take_a_deleted_accounts_handle_and_deletion_never_fails():
    victim, squatter = factories.user(), factories.user()
    form = ProfileForm(
        data={"handle": f"former-member-{victim.pk}", "display_name": "Squatter"},
        instance=squatter,
    )
    assert not form.is_valid() and "reserved" in str(form.errors["handle"])
    for word in ("admin", "Lab-Staff", "former-member-x"):
        form = ProfileForm(data={"handle": word, "display_name": "S"}, instance=squatter)
        assert not form.is_valid()
    # An account that took the handle before the rule existed cannot block a deletion.
    User.objects.filter(pk=squatter.pk).update(handle=f"former-member-{victim.pk}")
    account_delete(user=victim)
    victim.refresh_from_db()
    assert not victim.is_active and victim.handle.startswith(f"former-member-{victim.pk}-")


# 5 and 7. -------------------------------------------------------------------------------------


def test_5_no_page_is_kept_and_no_kept_fragment_holds_a_csrf_token():
    """The per-person page cache is gone; what is kept (fragments by their content) never
    holds a token, and a post cannot turn into someone's token."""
    fragments.cache.clear()
    author = old_member()
    space = Space.objects.create(name="Open", slug="open")
    topic = services.topic_create(
        space=space, author=author, title="Links", kind="discussion",
        body="See https://evil.example/?t=CSRF_TOKEN_PLACEHOLDER",
    )  # fmt: skip
    tokens = []
    for person in (old_member(), old_member()):
        client = factories.client_for(person)
        page = client.get(topic.get_absolute_url()).content.decode()
        assert "evil.example/?t=CSRF_TOKEN_PLACEHOLDER" in page
        tokens.append(client.cookies["csrftoken"].value)
        client.get("/learning/")
        client.get("/community/forums/")
    kept = " ".join(str(value) for value in fragments.cache._data.values())
    assert kept and not any(token in kept for token in tokens)
    assert "csrfmiddlewaretoken" not in kept


def test_7_junk_addresses_cannot_flood_what_is_kept(client, settings):
    """Fragments live in a bounded per-process cache; an anonymous download marks nothing
    out of date for anyone (fragments are named by their content, not by a version)."""
    fragments.cache.clear()
    small = fragments.FragmentCache(entries=20)
    original, fragments.cache = fragments.cache, small
    try:
        factories.offering(title="Kept offering")
        for n in range(50):
            client.get(f"/learning/?q=junk{n}")
        assert len(small) <= 20
        toolkit = factories.toolkit()
        client.get("/learning/")
        before = list(small._data)
        factories.toolkit_file(toolkit)
        client.get(reverse("toolkits:download", args=[toolkit.slug]))
        client.get("/learning/")
        assert all(key in small._data for key in before)
    finally:
        fragments.cache = original


# 6. -------------------------------------------------------------------------------------------


def test_6_a_draft_offering_is_not_in_a_participants_calendar_or_learning_page():
    person, staff = old_member(), factories.lab_staff()
    draft = factories.offering(title="Unannounced course", starts_on=timezone.localdate())
    learning_services.enrolment_place(user=person, target=draft, by=staff)
    draft.status = Publication.DRAFT
    learning_services.offering_update(offering=draft)
    client = factories.client_for(person)
    assert "Unannounced course" not in client.get("/learning/mine/calendar.ics").content.decode()
    assert "Unannounced course" not in client.get("/learning/mine/").content.decode()


# 8. -------------------------------------------------------------------------------------------


def test_8_non_numeric_ids_are_not_server_errors():
    author, staff = old_member(), factories.lab_staff()
    space = Space.objects.create(name="Open", slug="open")
    topic = services.topic_create(
        space=space, author=author, title="Talk", kind="discussion", body="Hello"
    )
    client = factories.client_for(author)
    assert client.get(f"{topic.get_absolute_url()}?quote=abc").status_code == 200
    reply = client.post(topic.get_absolute_url(), {"body": "Hi", "quoted": "abc"})
    assert reply.status_code == 302
    moderated = factories.client_for(staff).post(
        reverse("community:topic-moderate", args=[topic.pk]),
        {"action": "move", "space": "abc", "reason": "Tidy"},
    )
    assert moderated.status_code == 302


# 9. -------------------------------------------------------------------------------------------


def test_9_the_directorys_cohort_filter_lists_only_members(cohort_world):
    w = cohort_world
    staff = w["staff"]
    for name in ("applicant", "waitlisted", "declined", "member"):
        # Alumni of something else, so each would be listed in the directory.
        learning_services.enrolment_complete(
            enrolment=learning_services.enrolment_place(
                user=w[name], target=factories.offering(), by=staff
            )[0],
            by=staff,
        )
    withdrawn = factories.alumnus()
    enrolment = learning_services.enrolment_create(
        user=withdrawn, target=w["programme"], motivation="Maybe", cohort=w["cohort"]
    )
    learning_services.enrolment_withdraw(enrolment=enrolment, by=withdrawn)
    page = (
        factories.client_for(staff)
        .get(f"/community/people/?cohort={w['cohort'].pk}")
        .content.decode()
    )
    assert str(w["member"]) in page
    for person in (w["applicant"], w["waitlisted"], w["declined"], withdrawn):
        assert str(person) not in page


# 10. ------------------------------------------------------------------------------------------


def test_10_the_cascade_counts_people_who_took_a_place_once_each():
    agent = factories.alumnus()
    factories.change_agent(user=agent)
    newcomer = old_member()
    offering = factories.offering()
    for _ in range(5):
        enrolment = learning_services.enrolment_create(
            user=newcomer, target=offering, encouraged_by=agent
        )
        learning_services.enrolment_withdraw(enrolment=enrolment, by=newcomer)
    assert selectors.reach().cascade_total == 0
    for target in (offering, factories.offering()):
        learning_services.enrolment_create(user=newcomer, target=target, encouraged_by=agent)
    assert selectors.reach().cascade_total == 1


# 11. ------------------------------------------------------------------------------------------


def test_11_sign_in_emails_have_real_paragraphs(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    person = factories.user(email="ada@example.gov")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": person.email})
    html = mailoutbox[-1].alternatives[0][0]
    assert "<p>" in html and "&lt;p&gt;" not in html


# Weak points ----------------------------------------------------------------------------------


def test_the_calendar_feed_drops_a_meeting_once_the_person_is_no_longer_invited():
    guest = old_member()
    start = timezone.now() + timedelta(days=5)
    meeting = Meeting.objects.create(
        title="Inter-Transfo", starts_at=start, ends_at=start + timedelta(hours=1),
        status=Meeting.Status.SCHEDULED, online_link="https://meet.example.gov/room",
        programme=factories.programme(),
    )  # fmt: skip
    meeting.extra_invitees.add(guest)
    services.meeting_rsvp(meeting=meeting, user=guest, answer=Rsvp.Answer.GOING)
    token = services.calendar_token_reset(user=guest)
    feed = reverse("community:calendar-feed", args=[token])
    assert "meet.example.gov/room" in Client().get(feed).content.decode()
    meeting.extra_invitees.remove(guest)
    assert "meet.example.gov/room" not in Client().get(feed).content.decode()


def test_secrets_in_addresses_never_reach_the_logs():
    for path in (
        "/community/meetings/feed/s3cr3t.ics",
        "/accounts/unsubscribe/s3cr3t/",
        "/learning/invitations/s3cr3t/",
        "/accounts/password/reset/key/s3cr3t/",
    ):
        assert "s3cr3t" not in redact(f"GET {path} HTTP/1.1")
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s",
        ("/learning/invitations/s3cr3t/",), None,
    )  # fmt: skip
    RedactSecretsFilter().filter(record)
    assert "s3cr3t" not in record.getMessage()
    # A mapping of arguments (Celery logs so) is kept a mapping.
    record = logging.LogRecord(
        "celery", logging.INFO, __file__, 1, "%(name)s", ({"name": "ok"},), None
    )
    RedactSecretsFilter().filter(record)
    assert record.getMessage() == "ok"


def test_gunicorns_access_log_cuts_the_secrets_out():
    class Response:
        status, sent, headers = "200 OK", 10, ()

    class Request:
        headers = ()
        method, path, query, uri = "GET", "/accounts/unsubscribe/s3cr3t/", "", ""
        version = (1, 1)

    secret = "/accounts/unsubscribe/s3cr3t/"
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": secret, "PATH_INFO": secret,
               "QUERY_STRING": "", "SERVER_PROTOCOL": "HTTP/1.1",
               "HTTP_REFERER": "/learning/invitations/s3cr3t/"}  # fmt: skip
    logger = RedactingLogger.__new__(RedactingLogger)
    atoms = logger.atoms(Response(), Request(), environ, timedelta(seconds=0.01))
    assert "s3cr3t" not in " ".join(str(value) for value in atoms.values())


def test_limits_on_advice_replies_and_flags(settings):
    settings.ADVICE_REPLIES_PER_HOUR, settings.FLAGS_PER_DAY = 2, 2
    asker, advisor = old_member(), factories.alumnus(open_to_advice=True)
    advice = services.advice_request_create(
        requester=asker, recipient=advisor, subject="Help", message="Please"
    )
    services.advice_reply(request=advice, author=advisor, body="One")
    services.advice_reply(request=advice, author=advisor, body="Two")
    with pytest.raises(RateLimited, match="2 replies an hour"):
        services.advice_reply(request=advice, author=advisor, body="Three")
    space = Space.objects.create(name="Open", slug="open")
    topic = services.topic_create(
        space=space, author=asker, title="Talk", kind="discussion", body="Hello"
    )
    posts = [services.post_reply(topic=topic, author=asker, body=f"Post {n}") for n in range(3)]
    client = factories.client_for(advisor)
    for post in posts[:2]:
        client.post(reverse("community:post-flag", args=[post.pk]), {"reason": "Spam"})
    refused = client.post(
        reverse("community:post-flag", args=[posts[2].pk]),
        {"reason": "A long explanation of what is wrong with this post."},
    )
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "You can flag 2 posts a day" in page
    assert "A long explanation of what is wrong with this post." in page  # nothing lost


def test_mentions_follow_the_persons_email_choice(mailoutbox, django_capture_on_commit_callbacks):
    daily = old_member(handle="daily-dana", forum_emails=User.ForumEmails.DAILY)
    at_once = old_member(handle="quick-quinn")
    author = old_member()
    space = Space.objects.create(name="Open", slug="open")
    with django_capture_on_commit_callbacks(execute=True):
        services.topic_create(
            space=space, author=author, title="Who knows?", kind="discussion",
            body="@daily-dana and @quick-quinn, any idea?",
        )  # fmt: skip
    assert [m.to for m in mailoutbox] == [[at_once.email]]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.forum_daily_send() == 1
    summary = mailoutbox[-1]
    assert summary.to == [daily.email]
    assert "Who knows?" in summary.body and "mentioned you" in summary.body


def test_proxy_header_is_trusted_only_behind_a_proxy():
    from tests.innolab.test_settings import run_django

    command = ["shell", "-c", "from django.conf import settings as s; "
               "print(s.SECURE_PROXY_SSL_HEADER)"]  # fmt: skip
    assert run_django(command, DEBUG="1").stdout.split()[-1] == "None"
    behind = run_django(command, DEBUG="1", BEHIND_PROXY="1").stdout.splitlines()[-1]
    assert behind == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_notifications_of_a_space_no_longer_readable_drop_out(cohort_world):
    w = cohort_world
    member = w["member"]
    assert policy.unread_count(member) == 0
    Notification.objects.create(user=member, kind="topic", post=w["topic"].posts.get())
    assert policy.notifications_for(member).count() == 1
    assert policy.unread_count(member) == 1
    enrolment = Enrolment.objects.get(user=member, cohort=w["cohort"])
    learning_services.enrolment_withdraw(enrolment=enrolment, by=member)
    assert policy.notifications_for(member).count() == 0
    # Unread, but about a space no longer readable: not counted (nor shown in the badge).
    assert policy.unread_count(member) == 0
    page = factories.client_for(member).get("/community/notifications/").content.decode()
    assert "Our private talk" not in page


def test_removing_someone_from_lab_staff_from_the_groups_side_ends_their_staff_pages():
    person = factories.lab_staff()
    client = factories.client_for(person)
    assert client.get("/learning/staff/").status_code == 200
    lab_staff_group_sync().user_set.remove(person)
    assert client.get("/learning/staff/").status_code in (302, 403)
