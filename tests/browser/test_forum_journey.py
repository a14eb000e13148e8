"""An alumna shares an experience with a failure and a lesson; a member finds it helpful
and replies; the alumna is notified; a flagged post is hidden by lab staff."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community import services
from community.models import Post, Space
from tests import factories
from tests.browser.helpers import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seasoned(person):
    person.date_joined = timezone.now() - timedelta(days=90)
    person.save()
    return person


def test_experience_helpful_reply_notification_and_moderation(page, settings):
    space = Space.objects.create(name="Open exchange", slug="open-exchange")
    seasoned(factories.alumnus(email="alice@example.gov", display_name="Alice Alumna"))
    seasoned(factories.user(email="mia@example.gov", display_name="Mia Member"))
    factories.lab_staff(email="staff@example.gov", display_name="Sam Staff")
    spammer = seasoned(factories.user(display_name="Spammy"))
    spam = services.topic_create(
        space=space, author=spammer, title="Cheap consultancy", kind="discussion",
        body="Buy our innovation package!",
    )  # fmt: skip

    log_in(page, "alice@example.gov")
    page.goto("/community/forums/")
    page.get_by_role("link", name="Open exchange").click()
    page.check()
    page.get_by_role("link", name="Share an experience").click()
    page.get_by_label("Title").fill("Letters we rewrote with tenants")
    page.get_by_label("Kind").select_option("experience")
    page.get_by_label("Context").fill("Tenants called about every letter.")
    page.get_by_label("What we tried").fill("Rewriting three letters with five tenants.")
    page.get_by_label("What worked").fill("Reading aloud together.")
    page.get_by_label("Where we failed").fill("We forgot the legal team until the end.")
    page.get_by_label("Key learning points").fill("Invite legal on day one.")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Your topic is published.").wait_for()
    page.get_by_role("heading", name="Where we failed").wait_for()
    page.check()
    log_out(page)

    log_in(page, "mia@example.gov")
    page.goto("/community/forums/open-exchange/")
    page.get_by_role("link", name="Letters we rewrote with tenants").click()
    page.get_by_role("button", name="Helpful").click()
    page.get_by_text("1 found this helpful").wait_for()
    page.get_by_text("Thank you: you marked this post helpful.").wait_for()
    page.get_by_text("You found this helpful").wait_for()
    page.get_by_label("Your reply").fill("Same here: legal saved our second round.")
    page.get_by_role("button", name="Post reply").click()
    page.get_by_text("Your reply is posted.").wait_for()
    page.check()
    # A second reply within the hour, past a limit of one: the 429 page gives it back.
    settings.FORUM_POSTS_PER_HOUR = 1
    page.get_by_label("Your reply").fill("And the tenants' panel met twice more after that.")
    page.get_by_role("button", name="Post reply").click()
    page.get_by_role("heading", name="Too many at once").wait_for()
    assert "tenants' panel met twice" in page.get_by_role("textbox").first.input_value()
    page.check()
    settings.FORUM_POSTS_PER_HOUR = 30
    page.goto(spam.get_absolute_url())
    page.get_by_role("link", name="Flag").click()
    page.get_by_label("What is wrong with this post?").fill("Advertising")
    page.get_by_role("button", name="Send to lab staff").click()
    page.get_by_text("Thank you: lab staff will look at it.").wait_for()
    page.check()
    log_out(page)

    log_in(page, "alice@example.gov")
    page.get_by_role("link", name="Notifications").click()
    page.get_by_role("link", name="Letters we rewrote with tenants").wait_for()
    page.check()
    log_out(page)

    log_in(page, "staff@example.gov")
    page.goto("/community/moderation/")
    page.get_by_text("Advertising").wait_for()
    page.check()
    page.get_by_label("Reason").fill("Advertising is not allowed")
    page.get_by_role("button", name="Hide", exact=True).click()
    page.get_by_text("Post hidden; its author has been told.").wait_for()
    page.check()
    assert Post.objects.get(topic=spam).hidden_at is not None
