"""A newcomer signs up, confirms the e-mail, logs in, edits the profile and logs out."""

import pytest

from community.models import User
from learning import services as learning_services
from learning.models import Cohort, CohortInvitation, Enrolment
from tests import factories
from tests.browser.helpers import sign_up_and_confirm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_confirm_log_in_edit_profile_log_out(page):
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.check()

    sign_up_and_confirm(page, "newcomer@example.gov", "Nora Newcomer")
    page.check()

    page.get_by_role("button", name="Log out").click()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("newcomer@example.gov")
    page.get_by_label("Password:", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Nora Newcomer").click()
    page.get_by_role("heading", name="Your profile").wait_for()
    page.check()

    page.get_by_label("Job title").fill("Policy designer")
    page.get_by_label("Bio").fill("I run user research in a regional authority.")
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Your profile has been saved.").wait_for()
    page.check()
    assert User.objects.get(email="newcomer@example.gov").job_title == "Policy designer"

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").first.wait_for()
    page.check()


def test_an_invitation_leads_to_sign_up_then_a_place_taken_with_one_button(page):
    staff = factories.lab_staff()
    programme = factories.programme(title="Public design programme")
    cohort = Cohort.objects.create(name="Autumn", programme=programme)
    learning_services.cohort_import(
        cohort=cohort, rows=learning_services.parse_invite_text("ines@example.gov"), by=staff
    )
    invitation = CohortInvitation.objects.get()

    page.goto(f"/learning/invitations/{invitation.token}/")
    page.get_by_role("heading", name="You are invited").wait_for()
    page.check()
    page.get_by_role("link", name="Create my account").click()
    sign_up_and_confirm(page, "ines@example.gov", "Ines Invited")
    # Back on the invitation, signed in: nothing happens until the person says so.
    page.get_by_role("button", name="Take my place").wait_for()
    page.check()
    assert not Enrolment.objects.filter(user__email="ines@example.gov").exists()
    page.get_by_role("button", name="Take my place").click()
    page.get_by_text("Welcome! You have a confirmed place in “Public design programme”.").wait_for()
    page.check()
    assert Enrolment.objects.get(user__email="ines@example.gov").cohort == cohort
