"""Accounts: the user model, sign-up with e-mail verification, login limits, profiles."""

import re

import pytest
from django.urls import reverse

from community.models import OutgoingEmail, User
from tests import factories

pytestmark = pytest.mark.django_db


def test_create_user_normalises_email_and_makes_a_free_handle():
    first = User.objects.create_user("Ada.Lovelace@Example.GOV", "pw", display_name="Ada Lovelace")
    second = User.objects.create_user("ada@other.gov", "pw", display_name="Ada Lovelace")
    assert first.email == "ada.lovelace@example.gov"
    assert first.handle == "ada-lovelace"
    assert second.handle == "ada-lovelace-2"
    assert first.check_password("pw")
    assert str(first) == "Ada Lovelace"


def test_create_superuser_is_staff_and_superuser():
    boss = User.objects.create_superuser("boss@example.gov", "pw", display_name="Boss")
    assert boss.is_staff and boss.is_superuser


def test_handles_are_unique_whatever_the_case():
    from django.db import IntegrityError, transaction

    factories.user(handle="policy-pat")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.user(handle="Policy-Pat")


def _signup(client, email="new.person@example.gov"):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "display_name": "New Person",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
        },
    )


def test_signup_requires_email_verification_before_login(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    person = User.objects.get(email="new.person@example.gov")
    assert person.display_name == "New Person"
    assert person.handle == "new-person"

    # Not verified yet: logging in leads back to the "check your inbox" page.
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_login"),
            {"login": "new.person@example.gov", "password": "a-long-and-unusual-passphrase"},
        )
    assert response["Location"] == reverse("account_email_verification_sent")

    assert len(mailoutbox) >= 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.post("/" + path)
    assert response.status_code == 302
    assert person.emailaddress_set.filter(verified=True).exists()
    assert client.get(reverse("community:profile-edit")).status_code == 200


def test_verification_email_is_recorded_hidden_and_blanked_once_sent(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client)
    record = OutgoingEmail.objects.get(to="new.person@example.gov")
    assert record.status == OutgoingEmail.Status.SENT
    assert record.sensitive
    assert record.body_text == "" and record.body_html == ""
    # ... and the person got the real thing, in text and HTML.
    message = mailoutbox[-1]
    assert "confirm-email" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_login_is_rate_limited_after_repeated_failures(client):
    factories.user(email="target@example.gov")
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": "target@example.gov", "password": "wrong"}
        )
        assert "Too many failed login attempts" not in response.content.decode()
    response = client.post(
        reverse("account_login"), {"login": "target@example.gov", "password": "wrong"}
    )
    assert "Too many failed login attempts" in response.content.decode()
    # Even the right password is refused while the limit holds.
    response = client.post(
        reverse("account_login"),
        {"login": "target@example.gov", "password": factories.PASSWORD},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_with_the_right_password(client):
    factories.user(email="ok@example.gov")
    response = client.post(
        reverse("account_login"), {"login": "OK@example.gov", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_profile_page_needs_login(client):
    response = client.get(reverse("community:profile-edit"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_member_edits_own_profile(member_client, member):
    org = factories.organisation(name="Ministry of Tests")
    response = member_client.post(
        reverse("community:profile-edit"),
        {
            "display_name": "Mia M.",
            "handle": "mia-m",
            "job_title": "Analyst",
            "organisation": org.pk,
            "country": "FR",
            "time_zone": "Europe/Paris",
            "preferred_language": "en",
            "visibility": "members",
            "bio": "I like prototypes.",
            "expertise": "prototyping, user research",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Mia M."
    assert member.organisation == org
    assert sorted(t.name for t in member.expertise.all()) == ["prototyping", "user research"]
    page = member_client.get(response["Location"])
    assert "Your profile has been saved." in page.content.decode()


def test_profile_errors_are_explained_and_input_kept(member_client, member):
    factories.user(handle="taken")
    response = member_client.post(
        reverse("community:profile-edit"),
        {
            "display_name": "Kept Name",
            "handle": "taken",
            "time_zone": "Europe/Paris",
            "preferred_language": "en",
            "visibility": "members",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This handle is taken" in html
    assert 'value="Kept Name"' in html
    member.refresh_from_db()
    assert member.display_name == "Mia Member"


def test_profile_edit_only_changes_the_signed_in_person(member_client, member):
    other = factories.user(display_name="Other")
    member_client.post(
        reverse("community:profile-edit"),
        {
            "display_name": "Changed",
            "handle": member.handle,
            "time_zone": "UTC",
            "preferred_language": "en",
            "visibility": "members",
            "id": other.pk,
        },
    )
    other.refresh_from_db()
    assert other.display_name == "Other"


def test_the_admin_login_is_the_same_rate_limited_login(client):
    staff = factories.lab_staff(email="admin-target@example.gov")
    # The admin's own form is never used: it sends people to the site's login...
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    response = client.post(
        reverse("admin:login"), {"username": staff.email, "password": factories.PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    # ...where the sixth failure in five minutes is refused, for staff accounts too.
    login = response["Location"] if response.status_code == 302 else reverse("account_login")
    for attempt in range(6):
        response = client.post(login, {"login": staff.email, "password": "wrong"})
        refused = "Too many failed login attempts" in response.content.decode()
        assert refused == (attempt == 5), attempt
    response = client.post(login, {"login": staff.email, "password": factories.PASSWORD})
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("name", ["account_login", "account_signup", "set_language"])
def test_forms_refuse_a_post_without_a_valid_csrf_token(name):
    """wapiti 3.0.4 reports these forms as lacking a CSRF token: it does not know Django's
    field name (csrfmiddlewaretoken). They are protected: a missing or wrong token is
    refused."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    url = reverse(name)
    assert client.post(url, {"login": "a@example.gov", "password": "x"}).status_code == 403
    client.cookies["csrftoken"] = "A" * 32
    response = client.post(url, {"csrfmiddlewaretoken": "wapiti", "language": "fr"})
    assert response.status_code == 403
