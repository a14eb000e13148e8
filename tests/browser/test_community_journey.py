"""A member finds an alumna open to advice and asks; she replies. A change agent logs an
activity and the reach page shows it."""

import pytest

from tests import factories
from tests.browser.helpers import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_advice_and_spread(page):
    factories.user(email="mia@example.gov", display_name="Mia Member")
    ada = factories.alumnus(
        email="ada@example.gov", display_name="Ada Advice", open_to_advice=True,
        advice_topics="first user interviews",
    )  # fmt: skip
    factories.change_agent(user=ada, agency=factories.organisation(name="Job Agency"))

    log_in(page, "mia@example.gov")
    page.goto("/community/people/")
    page.get_by_label("Open to advice requests").check()
    page.get_by_role("button", name="Show people").click()
    page.get_by_role("heading", name="1 person").wait_for()
    page.check()
    page.get_by_role("link", name="Ada Advice").click()
    page.check()
    page.get_by_role("link", name="Ask Ada Advice").click()
    page.get_by_label("Subject").fill("Starting interviews")
    page.get_by_label("Your question").fill("How many people should we interview first?")
    page.get_by_role("button", name="Send my request").click()
    page.get_by_text("Your request is on its way to Ada Advice").wait_for()
    page.check()
    log_out(page)

    log_in(page, "ada@example.gov")
    page.goto("/community/advice/")
    page.get_by_role("link", name="Starting interviews").click()
    page.get_by_label("Your reply").fill("Five is enough to start.")
    page.get_by_role("button", name="Send reply").click()
    page.get_by_text("Your reply has been sent.").wait_for()
    page.check()

    page.goto("/community/reach/")
    page.get_by_text("Nothing").or_(
        page.get_by_text("No activity logged yet.").first
    ).first.wait_for()
    page.goto("/community/change-agent/")
    page.get_by_label("What").select_option("workshop")
    page.get_by_label("Date").fill("2026-10-01")
    page.get_by_label("Agency").select_option(label="Job Agency")
    page.get_by_label("People reached").fill("12")
    page.get_by_label("Short description").fill("Journey-mapping workshop")
    page.get_by_role("button", name="Add to my log").click()
    page.get_by_text("Activity added to your spread log.").wait_for()
    page.check()
    page.goto("/community/reach/")
    page.locator(".stats").get_by_text("12", exact=True).first.wait_for()
    page.get_by_role("cell", name="2026 H2").wait_for()
    page.check()
