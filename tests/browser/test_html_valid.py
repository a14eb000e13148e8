"""Every page the browser journeys visit is checked against the Nu HTML Checker as it is
visited (conftest.CheckedPage). This test says plainly when that cannot happen here, and
checks a few pages without a journey in both languages."""

import pytest

from tests.browser.conftest import html_checker_missing, html_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PAGES = [
    "/", "/learning/", "/toolkits/", "/community/", "/community/reach/", "/accounts/login/",
    "/accounts/signup/", "/privacy/", "/accessibility/",
]  # fmt: skip


@pytest.mark.skipif(html_checker_missing() is not None, reason=html_checker_missing() or "")
@pytest.mark.parametrize("language", ["en", "fr"])
def test_public_pages_are_valid_html_in_both_languages(client, html_checker, language):
    for path in PAGES:
        html = client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        errors = html_errors(html_checker, html)
        assert not errors, f"{path} ({language}):\n" + "\n".join(errors)
