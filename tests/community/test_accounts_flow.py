"""The account adapter sends a person on to the page that asked them to sign in, and
commands set up accounts through community.accounts.services."""

import pytest
from django.urls import reverse

from community.accounts.adapters import AccountAdapter, continue_after_login
from community.accounts.services import person_ensure
from tests import factories

pytestmark = pytest.mark.django_db


def test_login_continues_to_the_page_that_asked_for_it(client):
    person = factories.user(email="ana@example.gov")
    client.get(reverse("learning:catalogue"))
    session = client.session
    session["innolab_continue_to"] = "/learning/mine/"
    session.save()
    response = client.post(
        reverse("account_login"), {"login": "ana@example.gov", "password": factories.PASSWORD}
    )
    assert response["Location"] == "/learning/mine/"
    assert person.pk == int(client.session["_auth_user_id"])
    # Only once: the next login goes to the default page.
    client.logout()
    again = client.post(
        reverse("account_login"), {"login": "ana@example.gov", "password": factories.PASSWORD}
    )
    assert again["Location"] == reverse("home")


def test_a_pending_page_elsewhere_is_never_followed(rf, member):
    request = rf.get("/")
    request.session, request.user = {}, member
    continue_after_login(request, "https://evil.example/phish")
    assert AccountAdapter(request).get_login_redirect_url(request) == reverse("home")


def test_person_ensure_creates_once_and_resets_the_password():
    user, created = person_ensure(
        email="demo@example.gov", password="first-password-1", staff=True, display_name="Demo"
    )
    assert created and user.is_lab_staff and user.emailaddress_set.get().verified
    again, created_again = person_ensure(email="demo@example.gov", password="second-password-2")
    assert not created_again and again.pk == user.pk
    again.refresh_from_db()
    assert again.check_password("second-password-2")
