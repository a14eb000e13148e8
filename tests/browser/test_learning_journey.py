"""A member finds an offering by filter, enrols, sees it in My learning and withdraws;
the member waiting for the seat is promoted and sees it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from learning import services
from learning.models import Enrolment
from tests import factories
from tests.browser.helpers import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_enrol_withdraw_and_the_waitlist_moves_up(page):
    lab = factories.organisation(name="Policy Lab", kind="innovation_lab")
    soon = timezone.localdate() + timedelta(days=10)
    factories.offering(
        title="Rewriting letters together", mode="project", host_lab=lab, starts_on=soon
    )
    offering = factories.offering(
        title="Interviewing citizens", mode="class", capacity=1, host_lab=lab, starts_on=soon,
        tags=["user research"],
    )  # fmt: skip
    factories.user(email="mia@example.gov", display_name="Mia Member")
    waiting = factories.user(email="wes@example.gov", display_name="Wes Waiting")

    log_in(page, "mia@example.gov")
    page.get_by_role("link", name="Learn", exact=True).click()
    page.check()
    page.get_by_label("Mode of learning").select_option("class")
    page.get_by_role("button", name="Show results").click()
    page.get_by_role("heading", name="1 result").wait_for()
    page.check()
    page.get_by_role("link", name="Interviewing citizens").click()
    page.check()
    page.get_by_role("button", name="Enrol").click()
    page.get_by_text("You are confirmed for “Interviewing citizens”.").wait_for()
    page.check()

    # Someone else arrives after the last seat went: they wait.
    assert services.enrolment_create(user=waiting, target=offering).status == "waitlisted"

    page.get_by_role("link", name="My learning").click()
    page.get_by_role("link", name="Interviewing citizens").wait_for()
    page.check()
    page.get_by_role("link", name="Interviewing citizens").click()
    page.get_by_role("button", name="Withdraw my place").click()
    page.get_by_text("You have withdrawn from “Interviewing citizens”.").wait_for()
    page.check()
    assert Enrolment.objects.get(user=waiting).status == "confirmed"

    log_out(page)
    log_in(page, "wes@example.gov")
    page.goto(offering.get_absolute_url())
    page.get_by_text("You are confirmed.").wait_for()
    page.check()
