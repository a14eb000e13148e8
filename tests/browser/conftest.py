"""Headless Chromium (Debian's) driven by Playwright, with axe-core on every page visited.

Skips with a reason where no Chromium is installed; CI installs it (see .ci/run).
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: apt-get install -y chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself (reading the outbox, building data) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


class CheckedPage:
    """A page that fails the test on an accessibility violation or a CSP error."""

    def __init__(self, page, base_url):
        from axe_playwright_python.sync_playwright import Axe

        self.page = page
        self.base_url = base_url
        self.axe = Axe()
        self.console_errors = []
        page.on(
            "console",
            lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None,
        )

    def goto(self, path):
        self.page.goto(self.base_url + path)
        self.check()

    def check(self):
        """Runs axe on the page as it is now and asserts a clean console."""
        self.page.wait_for_load_state("load")
        results = self.axe.run(self.page)
        assert results.violations_count == 0, f"{self.page.url}\n" + results.generate_report()
        csp = [e for e in self.console_errors if "Content Security Policy" in e]
        assert not csp, f"{self.page.url}: {csp}"

    def __getattr__(self, name):
        return getattr(self.page, name)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    checked = CheckedPage(context.new_page(), live_server.url)
    yield checked
    context.close()
