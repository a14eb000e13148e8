"""A member enrols and rates themselves; lab staff mark the place completed; the feedback
e-mail arrives and the member answers; ninety days later the follow-up arrives, the member
answers "regularly", rates again and sees their growth; lab staff see the figures, withheld
below five people, and export them."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from learning import services
from learning.models import Enrolment, FollowUp
from tests import factories
from tests.browser.helpers import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _path(url):
    return "/" + url.split("/", 3)[3]


def _link(subject_part):
    message = next(m for m in reversed(mail.outbox) if subject_part in m.subject)
    return _path(next(word for word in message.body.split() if "/learning/mine/" in word))


def test_rate_complete_feedback_follow_up_growth_and_staff_figures(page):
    factories.lab_staff(email="staff@example.gov", display_name="Sam Staff")
    factories.user(email="nina@example.gov", display_name="Nina Member")
    offering = factories.offering(title="Listening to the people a service is for")
    listening = factories.capability(name="Interviewing users")
    offering.capabilities.set([listening, factories.capability(name="Synthesising research")])

    log_in(page, "nina@example.gov")
    page.goto(offering.get_absolute_url())
    page.get_by_role("heading", name="Capabilities it develops").wait_for()
    page.get_by_role("button", name="Enrol").first.click()
    page.get_by_role("heading", name="Where do you stand today?").wait_for()
    page.check()
    page.get_by_role("group", name="Interviewing users").get_by_label("New to this").check()
    page.get_by_role("button", name="Save my ratings").click()
    page.get_by_text("Your ratings are saved. Only you can see them.").wait_for()
    log_out(page)

    log_in(page, "staff@example.gov")
    page.goto("/admin/learning/enrolment/")
    enrolment = Enrolment.objects.get(user__email="nina@example.gov")
    page.locator(f'input[name="_selected_action"][value="{enrolment.pk}"]').check()
    page.locator('select[name="action"]').first.select_option("mark_completed")
    page.get_by_role("button", name="Go").first.click()
    page.get_by_text("1 enrolment marked completed").wait_for()
    log_out(page)

    log_in(page, "nina@example.gov")
    page.goto(_link("How was"))
    page.get_by_role("heading", name="How did it go?").wait_for()
    page.check()
    page.get_by_role("group", name="How useful was it for your work?").get_by_label(
        "Very useful"
    ).check()
    page.get_by_label("What will you use?").fill("Interview guides for our benefit letters.")
    page.get_by_role("group", name="How likely are you to recommend it").get_by_label(
        "9", exact=True
    ).check()
    page.get_by_role("button", name="Send my feedback").click()
    page.get_by_text("Thank you: your feedback is saved.").wait_for()

    # Ninety days on: the hourly tick asks the follow-up.
    services.outcomes_tick(now=timezone.now() + timedelta(days=90, hours=1))
    page.goto(_link("Three months on"))
    page.get_by_role("heading", name="Three months on").wait_for()
    page.check()
    page.get_by_role("group", name="Have you used it back at work?").get_by_label(
        "Regularly"
    ).check()
    page.get_by_label("With what?").fill("Every letter we rewrite.")
    page.get_by_role("group", name="Interviewing users").get_by_label("Can do it on my own").check()
    page.get_by_role("button", name="Send my answer").click()
    page.get_by_text("Thank you: your answer is saved.").wait_for()
    page.get_by_role("heading", name="Your growth").wait_for()
    page.get_by_role("row", name="Interviewing users").get_by_text("+2").wait_for()
    page.check()
    assert FollowUp.objects.get().used == "regularly"
    log_out(page)

    log_in(page, "staff@example.gov")
    page.goto("/learning/staff/")
    page.get_by_role("heading", name="Learning outcomes").wait_for()
    page.get_by_role("row", name="Listening to the people").get_by_text(
        "fewer than 5"
    ).first.wait_for()
    page.check()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export these figures (CSV)").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert "Listening to the people a service is for" in text and "fewer than 5" in text
    # The offering's admin page has the panel too (and its tabular inline of sessions a
    # named first column: static/js/admin_a11y.js).
    page.goto(f"/admin/learning/offering/{offering.pk}/change/")
    page.get_by_text("Nobody's own ratings or answers are shown").wait_for()
