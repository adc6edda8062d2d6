"""Browser helpers shared by the end-to-end tests: signing in, axe, keyboard checks."""

from __future__ import annotations

import json
import time

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from tests.fixtures import PASSWORD, totp_code

# WCAG 2.1 A and AA plus axe's best practices: the bar every page template has to clear.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}

_axe = Axe()


# What Chromium says when axe is injected while a click's navigation swaps the document.
_NAVIGATION_RACES = ("reading 'documentElement'", "Execution context was destroyed")


def axe_violations(page: Page) -> list[dict]:
    """axe's violations on the page once it has loaded.

    A link's click returns before its navigation has finished; axe injected in between finds no
    document. Waiting for the load and trying again checks the page the click led to.
    """
    attempts_left = 3
    while True:
        page.wait_for_load_state("load")
        try:
            return _axe.run(page, options=AXE_OPTIONS).response["violations"]
        except PlaywrightError as error:
            attempts_left -= 1
            if not attempts_left or not any(race in str(error) for race in _NAVIGATION_RACES):
                raise


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {json.dumps(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Zero axe violations on the page as it is now."""
    violations = axe_violations(page)
    assert not violations, f"{page.url} has accessibility violations:\n{describe_violations(violations)}"


def login(page: Page, live_server_url: str, user, secret: str | None = None, *, password: str = PASSWORD) -> None:
    """Signs in through the real allauth form, answering the MFA prompt when the user has TOTP."""
    page.goto(f"{live_server_url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
    if secret is not None:
        expect(page.locator("input[name=code]")).to_be_visible()
        page.fill("input[name=code]", totp_code(secret))
        page.press("input[name=code]", "Enter")
        page.wait_for_load_state()
        if "/accounts/2fa/authenticate" in page.url:
            # A code is single-use: an earlier sign-in of the same user in this 30-second window
            # already spent it. Wait for the next window, as a person would, and try once more.
            page.wait_for_timeout(_seconds_to_next_totp_window() * 1000 + 500)
            page.fill("input[name=code]", totp_code(secret))
            page.press("input[name=code]", "Enter")
            page.wait_for_load_state()
    assert "/accounts/login" not in page.url, f"sign-in failed, still on {page.url}"
    assert "/accounts/2fa/authenticate" not in page.url, f"MFA prompt not passed, still on {page.url}"


def _seconds_to_next_totp_window() -> float:
    return 30 - (time.time() % 30)


def focused(page: Page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement; return e ? {
            tag: e.tagName.toLowerCase(), id: e.id, text: (e.innerText || e.value || '').trim(),
            href: e.getAttribute('href'), cls: e.className, inMain: !!e.closest('main') } : {}; }"""
    )


def tab_until(page: Page, predicate, *, limit: int = 60, key: str = "Tab") -> dict:
    """Presses Tab until ``predicate(focused element)`` holds; fails if it never does."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        current = focused(page)
        seen.append(current.get("text") or current.get("tag"))
        if predicate(current):
            return current
    raise AssertionError(f"keyboard focus never reached the target; focus went through: {seen}")


def assert_keyboard_navigable(page: Page, *, main_target: str | None = None) -> None:
    """The skip link is the first Tab stop and moves focus into main; Tab then reaches main's controls.

    ``main_target`` is text the focused control in main must contain (a link or button label); without
    it the first focusable control in main must be reached, or, when main has none, the footer.
    """
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first.get("href") == "#main-content", f"the first Tab stop is not the skip link: {first}"
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()
    if main_target is not None:
        tab_until(page, lambda f: f.get("inMain") and main_target in (f.get("text") or ""))
        return
    controls = page.locator(
        "main a[href]:visible, main button:visible, main input:not([type=hidden]):visible, main select:visible, "
        "main textarea:visible"
    ).count()
    if controls:
        page.keyboard.press("Tab")
        assert focused(page).get("inMain"), "Tab after the skip link left main although main has controls"
    else:
        page.keyboard.press("Tab")
        assert page.evaluate("() => !!document.activeElement.closest('footer')"), "focus skipped past the footer"
