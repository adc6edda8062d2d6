"""The browser guards themselves can fail: axe reports a real defect, CSP and 404s are caught."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import axe_violations, login

pytestmark = pytest.mark.e2e

_ADD_UNLABELLED_IMAGE = """() => {
  const image = document.createElement('img');
  image.src = '/static/uswds/img/usa-icons/close.svg';
  document.querySelector('main').appendChild(image);
}"""

_ADD_INLINE_STYLE = """() => {
  const style = document.createElement('style');
  style.textContent = 'body { color: red; }';
  document.head.appendChild(style);
}"""


def test_axe_reports_an_image_without_text_alternative(page, base_url, supervisor_a):
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)
    assert axe_violations(page) == []
    page.evaluate(_ADD_UNLABELLED_IMAGE)
    assert "image-alt" in {v["id"] for v in axe_violations(page)}


def test_inline_style_is_reported_as_csp_violation(page, base_url, page_problems, supervisor_a):
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)
    page.evaluate(_ADD_INLINE_STYLE)
    page.wait_for_timeout(200)
    assert any("CSP violation: style-src" in problem for problem in page_problems.unexpected())
    page_problems.allow("style-src")  # seen and asserted: the fixture must not fail the test for it


def test_uswds_assets_load(page, base_url, page_problems):
    responses = []
    page.on("response", lambda response: responses.append((response.url, response.status)))
    page.goto(f"{base_url}/no-such-page/")
    expect(page.locator("h1")).to_have_text("Page not found")
    assets = {url.rsplit("/", 1)[-1]: status for url, status in responses if "/static/" in url}
    for name in ("uswds.min.css", "app.css", "uswds-init.min.js", "uswds.min.js", "htmx.min.js", "app.js"):
        assert assets.get(name) == 200, f"{name} did not load: {assets}"
    # USWDS's init script marks the document once its JavaScript ran.
    assert page.evaluate("() => getComputedStyle(document.querySelector('.usa-skipnav')).position") == "absolute"


def test_missing_static_file_is_reported(page, base_url, page_problems):
    page.goto(f"{base_url}/no-such-page/")
    page.evaluate("() => fetch('/static/app/css/missing.css')")
    page.wait_for_timeout(200)
    assert any("404" in problem and "missing.css" in problem for problem in page_problems.unexpected())
    page_problems.allow("missing.css")
