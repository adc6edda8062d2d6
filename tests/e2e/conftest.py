"""Real-browser fixtures: Debian Chromium through Playwright, a live Django server, and guards.

Every page a test opens is watched: a console error, an uncaught exception, a Content Security
Policy violation or a failed sub-resource (a missing stylesheet, script or image) fails the test.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from django.core.cache import caches
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, sync_playwright

# Playwright's sync API keeps an event loop in the test thread; Django's ORM calls from the test
# body (fixtures, assertions) are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("REDRESS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Reports CSP violations back to the test: Chromium raises some only as DOM events, not console lines.
_CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__redressCspViolation(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')
    + ' at ' + e.sourceFile + ':' + e.lineNumber);
});
"""


class PageProblems:
    """What went wrong in the browser during a test; ``allow`` whitelists an expected message."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self._allowed: list[re.Pattern[str]] = []

    def allow(self, pattern: str) -> None:
        self._allowed.append(re.compile(pattern))

    def add(self, message: str) -> None:
        self.errors.append(message)

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self._allowed)]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(browser: Browser, live_server, transactional_db, page_problems: PageProblems) -> Iterator[Page]:
    # Every test signs in from 127.0.0.1: allauth's per-address rate limits live in the cache and
    # would otherwise carry over from test to test and answer 429.
    for cache in caches.all():
        cache.clear()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    # Generous: a busy CI machine can take seconds per page; a real hang still fails.
    context.set_default_timeout(float(os.environ.get("REDRESS_E2E_TIMEOUT_MS", "30000")))
    context.expose_function("__redressCspViolation", lambda text: page_problems.add(f"CSP violation: {text}"))
    context.add_init_script(_CSP_LISTENER)
    page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        # "Failed to load resource" repeats what on_response reports for sub-resources; for the page
        # itself an error status is what the test asked for (a 404 page, a lockout).
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            page_problems.add(f"console error: {message.text} ({message.location.get('url', '')})")

    def on_response(response: Response) -> None:
        # Chromium asks for /favicon.ico by itself on pages that declare no icon; that is no page defect.
        if response.url.endswith("/favicon.ico"):
            return
        if response.request.resource_type != "document" and response.status >= 400:
            page_problems.add(f"sub-resource {response.status}: {response.url}")

    def on_request_failed(request: Request) -> None:
        if request.resource_type != "document":
            page_problems.add(f"request failed: {request.url} ({request.failure})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: page_problems.add(f"page error: {error}"))
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    yield page
    context.close()
    problems = page_problems.unexpected()
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def base_url(live_server) -> str:
    return live_server.url
