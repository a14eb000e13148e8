"""Headless Chromium (Debian's) driven by Playwright, with axe-core on every page visited.

Skips with a reason where no Chromium is installed; CI installs it (see .ci/run).
"""

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

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


VNU_JAR = Path(__file__).resolve().parents[2] / "var/vnu/node_modules/vnu-jar/build/dist/vnu.jar"


def html_checker_missing():
    """Why the Nu HTML Checker cannot run here, or None."""
    if not shutil.which("java"):
        return "no Java: apt-get install -y default-jre-headless"
    if not VNU_JAR.exists():
        return f"no vnu.jar at {VNU_JAR}: `make test` installs it with npm (vnu-jar)"
    return None


@pytest.fixture(scope="session")
def html_checker():
    """The Nu HTML Checker as a local service for the session (one JVM), or None when it
    cannot run here (the pages are then not validated; test_html_valid.py says so)."""
    if html_checker_missing():
        yield None
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    service = subprocess.Popen(
        ["java", "-Xss8m", "-Dnu.validator.servlet.bind-address=127.0.0.1", "-cp",
         str(VNU_JAR), "nu.validator.servlet.Main", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/?out=json"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    try:
        yield url
    finally:
        service.terminate()
        service.wait(timeout=10)


def html_errors(checker, html):
    """The Nu HTML Checker's errors for the document `html`."""
    request = urllib.request.Request(  # noqa: S310
        checker, data=html.encode(), headers={"Content-Type": "text/html; charset=utf-8"}
    )
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
        messages = json.load(answer)["messages"]
    return [f"line {m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"]


class CheckedPage:
    """A page that fails the test on an accessibility violation, a CSP error, or (where
    the Nu HTML Checker runs) invalid HTML."""

    def __init__(self, page, base_url, checker=None):
        from axe_playwright_python.sync_playwright import Axe

        self.page = page
        self.base_url = base_url
        self.axe = Axe()
        self.console_errors = []
        self.checker = checker
        self.document = None
        page.on("response", self._keep_document)
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
        if self.checker and self.document is not None:
            errors = html_errors(self.checker, self.document.text())
            assert not errors, f"{self.document.url} is not valid HTML:\n" + "\n".join(errors)

    def _keep_document(self, response):
        # The page as the server sent it (the checker reads markup, not the live DOM).
        is_page = response.request.resource_type == "document"
        is_html = "text/html" in response.headers.get("content-type", "")
        if is_page and is_html and response.frame == self.page.main_frame:
            self.document = response

    def __getattr__(self, name):
        return getattr(self.page, name)


@pytest.fixture
def page(browser, live_server, html_checker):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    checked = CheckedPage(context.new_page(), live_server.url, html_checker)
    yield checked
    context.close()


@pytest.fixture
def page_fr(browser, live_server, html_checker):
    """A browser whose language is French (Accept-Language: fr-FR)."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="fr-FR"
    )
    checked = CheckedPage(context.new_page(), live_server.url, html_checker)
    yield checked
    context.close()


def signed_in_as(page, person):
    """Signs `page`'s browser in as `person` (a session made directly, as on login)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(person)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": page.base_url}]
    )
