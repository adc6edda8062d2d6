"""The home page for every kind of user: accessible, keyboard-navigable, role-aware navigation."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_accessible, assert_keyboard_navigable, login

pytestmark = pytest.mark.e2e


def _nav_labels(page) -> list[str]:
    return [text.strip() for text in page.locator("nav[aria-label='Primary navigation'] a").all_inner_texts()]


@pytest.mark.parametrize(
    ("user_fixture", "expected_nav", "absent_nav"),
    [
        ("sysadmin", ["Home", "Agencies", "Companies"], []),
        ("supervisor_a", ["Home", "Companies", "Notifications", "Account"], ["Agencies"]),
        ("viewer_a", ["Home", "Companies", "Account"], ["Agencies"]),
        ("agency_admin_a", ["Home", "Agency users", "Companies"], ["Agencies"]),
        ("company_admin_x", ["Home", "My company", "Account"], ["Agencies", "Companies"]),
    ],
)
def test_home_for_each_role(page, base_url, request, user_fixture, expected_nav, absent_nav):
    user = request.getfixturevalue(user_fixture)
    login(page, base_url, user, user.totp_secret)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_contain_text(user.get_short_name())
    labels = _nav_labels(page)
    for label in expected_nav:
        assert label in labels, f"{label} missing from {labels}"
    for label in absent_nav:
        assert label not in labels, f"{label} shown to {user_fixture}: {labels}"
    assert_accessible(page)
    assert_keyboard_navigable(page)


def test_anonymous_home_redirects_to_sign_in(page, base_url):
    page.goto(f"{base_url}/")
    assert "/accounts/login/" in page.url
