"""E-mail choices: each preference is honoured, essential e-mails ignore them, and every
optional e-mail can be stopped from its own link (RFC 8058 one-click included)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from community import services
from community.models import OutgoingEmail
from community.outbox import preferences
from community.outbox import services as outbox
from tests import factories

pytestmark = pytest.mark.django_db


def send(user, kind, context=None):
    return outbox.email_queue(to=user.email, user=user, kind=kind, context=context or {})


@pytest.mark.parametrize(
    ("field", "off", "kind"),
    [
        ("email_meeting_reminders", False, "community/meeting_reminder"),
        ("email_enrolment_updates", False, "learning/confirmed"),
        ("email_advice", False, "community/advice_request"),
        ("forum_emails", "off", "community/forum_post"),
        ("email_digests", False, "learning/digest"),
    ],
)
def test_each_preference_switches_its_emails_off(field, off, kind):
    person = factories.user()
    setattr(person, field, off)
    person.save()
    assert preferences.wants(person, kind) is False
    assert (
        outbox.email_queue(to=person.email, user=person, kind=kind, subject="s", body_text="b")
        is None
    )
    assert not OutgoingEmail.objects.exists()


def test_essential_emails_ignore_preferences():
    person = factories.user(
        email_meeting_reminders=False, email_enrolment_updates=False, email_advice=False,
        email_digests=False, forum_emails="off",
    )  # fmt: skip
    for kind in ("learning/application_decided", "learning/promoted",
                 "community/meeting_cancelled", "community/meeting_updated",
                 "community/post_hidden", "account_confirmation"):  # fmt: skip
        assert preferences.wants(person, kind)
    record = outbox.email_queue(
        to=person.email, user=person, kind="learning/promoted", subject="s", body_text="b"
    )
    assert record is not None and record.list_unsubscribe == ""


def test_optional_emails_carry_the_link_and_the_rfc_8058_headers(
    mailoutbox, django_capture_on_commit_callbacks
):
    person = factories.user()
    offering = factories.offering(title="Sprint")
    from learning import services as learning

    with django_capture_on_commit_callbacks(execute=True):
        learning.enrolment_create(user=person, target=offering)
    message = mailoutbox[-1]
    link = re.search(r"https?://\S+/accounts/unsubscribe/\S+/", message.body).group(0)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.alternatives[0][0]


def _link_path(person, name):
    return reverse("community:unsubscribe", args=[preferences.unsubscribe_token(person, name)])


def test_get_only_asks_and_one_click_post_unsubscribes_without_login_or_csrf():
    person = factories.user()
    path = _link_path(person, "meeting_reminders")
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(path)
    assert page.status_code == 200 and "Stop these e-mails?" in page.content.decode()
    person.refresh_from_db()
    assert person.email_meeting_reminders is True
    response = browser.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.email_meeting_reminders is False
    assert person.email_advice is True  # exactly that kind, nothing else


def test_a_tampered_or_unknown_token_does_nothing(client):
    person = factories.user()
    path = _link_path(person, "advice")
    assert client.post(path[:-3] + "xx/").status_code == 404
    person.refresh_from_db()
    assert person.email_advice is True


def test_preferences_page_saves_and_lists_essential_emails(client, member):
    client.force_login(member)
    url = reverse("community:email-preferences")
    html = client.get(url).content.decode()
    assert "Always sent" in html and "Account security" in html
    response = client.post(url, {"forum_emails": "weekly", "email_advice": "on"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.forum_emails == "weekly" and member.email_advice
    assert not member.email_digests and not member.email_meeting_reminders


def test_weekly_forum_summary_once_a_week(mailoutbox, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from community.models import Space

    author = factories.user()
    author.date_joined = timezone.now() - timedelta(days=30)
    author.save()
    reader = factories.user(forum_emails="weekly")
    space = Space.objects.create(name="S", slug="s")
    services.follow_toggle(user=reader, space=space)
    with django_capture_on_commit_callbacks(execute=True):
        services.topic_create(space=space, author=author, title="T", kind="discussion", body="b")
    assert not [m for m in mailoutbox if m.to == [reader.email]]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.forum_daily_send(frequency="weekly") == 1
        assert services.forum_daily_send(frequency="weekly") == 0
    assert len([m for m in mailoutbox if m.to == [reader.email]]) == 1
