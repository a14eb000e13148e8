"""A member finds a toolkit in the catalogue, downloads it, tells how they used it, and
sees the fourth mode ticked in My learning."""

import pytest
from django.test import override_settings

from tests import factories
from tests.browser.helpers import log_in
from toolkits.models import PersonDownload, ToolkitUse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_download_use_and_the_cycle_is_complete(page, tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        toolkit = factories.toolkit(
            title="Plain language letters", summary="Rewrite letters with the people who get them."
        )
        factories.toolkit_file(toolkit, version="1.0")
        factories.user(email="mia@example.gov", display_name="Mia Member")

        log_in(page, "mia@example.gov")
        page.get_by_role("link", name="Learn", exact=True).click()
        page.get_by_label("Mode of learning").select_option("toolkit")
        page.get_by_role("button", name="Show results").click()
        page.get_by_role("heading", name="1 result").wait_for()
        page.check()
        page.get_by_role("link", name="Plain language letters").click()
        page.check()

        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download version 1.0").click()
        with open(download_info.value.path(), "rb") as downloaded:
            assert downloaded.read(5) == b"%PDF-"
        assert download_info.value.suggested_filename == "toolkit.pdf"
        assert PersonDownload.objects.filter(user__email="mia@example.gov").exists()

        page.get_by_label("Where did you use it?").fill("Housing benefit letters")
        page.get_by_label("How did it go?").fill("Calls dropped by a third.")
        page.get_by_role("button", name="I used this toolkit").click()
        page.get_by_text("Thank you: your story is on the page").wait_for()
        page.get_by_role("article").get_by_text("Calls dropped by a third.").wait_for()
        page.check()
        assert ToolkitUse.objects.filter(user__email="mia@example.gov").exists()

        page.get_by_role("link", name="My learning").click()
        card = page.locator(".card", has_text="Toolkits and formalised approaches")
        card.get_by_text("Done").wait_for()
        page.check()
