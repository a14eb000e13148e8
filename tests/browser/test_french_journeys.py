"""The member's enrolment and the staff's cohort journey, in French: the pages (axe and
the HTML checker on each) and the e-mails speak French; an English member of the same
cohort is written to in English."""

import pytest
from django.core import mail

from learning import services
from learning.models import Cohort, Enrolment
from tests import factories
from tests.browser.conftest import signed_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_french_visitor_then_member_enrols_in_french(page_fr):
    offering = factories.offering(title="Sprint de conception")
    page_fr.goto("/")
    page_fr.get_by_role("link", name="Se connecter").first.wait_for()
    page_fr.check()
    member = factories.user(preferred_language="fr", display_name="Léa Membre")
    signed_in_as(page_fr, member)
    page_fr.goto(offering.get_absolute_url())
    page_fr.get_by_role("button", name="S’inscrire").click()
    page_fr.get_by_text("Votre place pour « Sprint de conception » est confirmée.").wait_for()
    page_fr.check()
    page_fr.goto("/learning/mine/")
    page_fr.get_by_role("heading", name="Mon parcours").wait_for()
    page_fr.check()
    confirmed = next(m for m in mail.outbox if m.to == [member.email])
    assert confirmed.subject == "Inscription confirmée\u00a0: Sprint de conception"
    assert "Bonjour Léa Membre" in confirmed.body


def test_lab_staff_run_a_cohort_in_french(page_fr):
    staff = factories.lab_staff(preferred_language="fr", display_name="Sam Équipe")
    french = factories.user(preferred_language="fr", display_name="Léa Membre")
    english = factories.user(preferred_language="en", display_name="Max Member")
    offering = factories.offering(
        title="Ateliers de co-conception", enrolment_policy="application", capacity=10
    )
    cohort = Cohort.objects.create(name="Co-conception, hiver", offering=offering)
    applications = [
        services.enrolment_create(user=person, target=offering, motivation="Pour mon équipe",
                                  cohort=cohort)
        for person in (french, english)
    ]  # fmt: skip
    signed_in_as(page_fr, staff)
    page_fr.goto("/admin/")
    page_fr.get_by_role("heading", name="Piloter le lab").wait_for()
    page_fr.check()
    page_fr.goto("/admin/learning/enrolment/?status__exact=applied")
    for enrolment in applications:
        page_fr.locator(f'input[name="_selected_action"][value="{enrolment.pk}"]').check()
    page_fr.locator('select[name="action"]').first.select_option("confirm")
    page_fr.locator('button[name="index"]').first.click()
    page_fr.get_by_text("2 inscriptions traitées").wait_for()
    page_fr.check()
    page_fr.goto(f"/admin/learning/cohort/{cohort.pk}/change/")
    page_fr.get_by_role("link", name="Exporter (CSV)").wait_for()
    page_fr.check()
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"confirmed"}
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[french.email] == "Candidature retenue\u00a0: Ateliers de co-conception"
    assert subjects[english.email] == "Application accepted: Ateliers de co-conception"
