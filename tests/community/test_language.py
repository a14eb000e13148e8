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


def test_emails_are_written_in_each_recipients_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    from learning import services as learning_services

    offering = factories.offering(title="Design sprint")
    with django_capture_on_commit_callbacks(execute=True):
        for language in ("fr", "en"):
            learning_services.enrolment_create(
                user=factories.user(preferred_language=language), target=offering
            )
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == [
        "Inscription confirmée\u00a0: Design sprint",
        "You are confirmed: Design sprint",
    ]
    french = next(m for m in mailoutbox if m.subject.startswith("Inscription"))
    assert "Bonjour" in french.body


def test_a_cohorts_digest_goes_in_french_and_in_english_alike(
    mailoutbox, django_capture_on_commit_callbacks
):
    from community.services.digests import cohort_digest_send_now
    from learning import services as learning_services
    from learning.models import Cohort

    staff = factories.lab_staff()
    offering = factories.offering(title="Design sprint")
    cohort = Cohort.objects.create(name="Spring", offering=offering)
    places = [
        learning_services.enrolment_place(
            user=factories.user(preferred_language=language, display_name=f"Person {language}"),
            target=offering, by=staff, cohort=cohort,
        )[0]
        for language in ("fr", "en")
    ]  # fmt: skip
    learning_services.enrolment_complete(enrolment=places[0], by=staff)  # something to say
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cohort_digest_send_now(cohort=cohort, by=staff)
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == [
        "Spring : six mois de vie de la communauté",  # subjects are one line, plain spaces
        "Spring: six months in the community",
    ]


def test_error_pages_speak_the_visitors_language(client, rf):
    from django.views.defaults import server_error

    page = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 404 and "Page introuvable" in page.content.decode()
    assert "Page not found" in client.get("/no-such-page/").content.decode()
    forbidden = factories.client_for(factories.user(preferred_language="fr")).get(
        "/learning/staff/"
    )
    assert forbidden.status_code == 403 and "Accès non autorisé" in forbidden.content.decode()
    from django.utils import translation

    with translation.override("fr"):
        crashed = server_error(rf.get("/"))
    assert crashed.status_code == 500 and "Une erreur est survenue" in crashed.content.decode()


def test_the_calendar_feed_speaks_its_owners_language(client):
    from community import services

    person = factories.user(preferred_language="fr")
    token = services.calendar_token_reset(user=person)
    feed = client.get(reverse("community:calendar-feed", args=[token])).content.decode()
    assert "mes rencontres" in feed
