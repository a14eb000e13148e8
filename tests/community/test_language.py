"""Each person's language: the profile's when signed in, the browser's otherwise; the
switcher keeps a signed-in person's choice in their profile (e-mails follow it)."""

import pytest
from django.urls import reverse

from community.models import User
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_visitor_gets_the_browsers_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response["Content-Language"] == "fr"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"


def test_a_signed_in_person_gets_their_profiles_language_whatever_the_browser(client):
    client.force_login(factories.user(preferred_language="fr"))
    response = client.get("/learning/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr"' in response.content.decode()


def test_the_switcher_keeps_a_signed_in_persons_choice(client):
    person = factories.user(preferred_language="en")
    client.force_login(person)
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/learning/"})
    assert response.status_code == 302 and response["Location"] == "/learning/"
    person.refresh_from_db()
    assert person.preferred_language == "fr"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    person.refresh_from_db()
    assert person.preferred_language == "fr"


def test_signing_up_in_french_makes_french_the_profiles_language(client):
    client.post(
        reverse("account_signup"),
        {"email": "lea@example.gov", "display_name": "Léa",
         "password1": "a-long-and-unusual-passphrase",
         "password2": "a-long-and-unusual-passphrase"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )  # fmt: skip
    assert User.objects.get(email="lea@example.gov").preferred_language == "fr"
