"""A newcomer signs up, confirms the e-mail, logs in, edits the profile and logs out."""

import re

import pytest
from django.core import mail

from community.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_confirm_log_in_edit_profile_log_out(page):
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.check()

    page.get_by_label("Email").fill("newcomer@example.gov")
    page.get_by_label("Your name").fill("Nora Newcomer")
    page.get_by_label("Password:", exact=True).fill("a-long-and-unusual-passphrase")
    page.get_by_label("Password (again):").fill("a-long-and-unusual-passphrase")
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()
    page.check()

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto("/" + link.split("/", 3)[3])
    page.get_by_role("button", name="Confirm").click()
    page.check()

    page.get_by_role("button", name="Log out").click()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("newcomer@example.gov")
    page.get_by_label("Password:", exact=True).fill("a-long-and-unusual-passphrase")
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
