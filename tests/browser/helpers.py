import re

from django.core import mail

from tests import factories


def log_in(page, email, password=factories.PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("button", name="Log out").wait_for()


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").first.wait_for()


def sign_up_and_confirm(page, email, name, password=factories.PASSWORD):
    """Fills the sign-up form (already open), then follows the confirmation e-mail's link
    and confirms; axe checks the pages on the way."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Password:", exact=True).fill(password)
    page.get_by_label("Password (again):").fill(password)
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()
    page.check()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto("/" + link.split("/", 3)[3])
    page.get_by_role("button", name="Confirm").click()
