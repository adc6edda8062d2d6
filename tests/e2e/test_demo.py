"""The seeded demo in a real browser: its logins work, with and without required MFA."""

import re

import pytest
from playwright.sync_api import expect

from redress.demo.seed import seed_demo
from tests.e2e.helpers import assert_accessible, assert_keyboard_navigable, login
from tests.fixtures import totp_code

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "demo password for the browser"


@pytest.fixture
def demo_logins(transactional_db):
    return {entry.role: entry for entry in seed_demo(password=DEMO_PASSWORD).logins}


def _sign_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


def test_demo_supervisor_signs_in_with_password_when_mfa_is_off(page, base_url, settings, demo_logins):
    settings.REDRESS_REQUIRE_MFA = False
    _sign_in(page, base_url, demo_logins["Complaint Supervisor"].email)
    expect(page.locator("h1")).to_contain_text("Welcome")
    banner = page.get_by_role("region", name="Demonstration notice")
    expect(banner).to_contain_text("multi-factor authentication is switched off")
    assert_accessible(page)
    assert_keyboard_navigable(page)
    page.get_by_role("link", name="Companies").first.click()
    page.get_by_label("Company name").fill("equifax")
    page.get_by_label("Company name").press("Enter")
    expect(page.locator("main table")).to_contain_text("EQUIFAX, INC.")
    assert_accessible(page)


def test_demo_company_admin_sets_up_mfa_when_required(page, base_url, settings, demo_logins):
    settings.REDRESS_REQUIRE_MFA = True
    _sign_in(page, base_url, demo_logins["Company account administrator"].email)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate"))
    expect(page.get_by_role("region", name="Demonstration notice")).to_have_count(0)
    secret = page.locator("#authenticator_secret").input_value().strip()
    page.fill("input[name=code]", totp_code(secret))
    page.press("input[name=code]", "Enter")
    page.wait_for_load_state()
    page.goto(f"{base_url}/")
    expect(page.locator("h1")).to_contain_text("Welcome")
    expect(page.get_by_role("link", name="My company")).to_be_visible()


def test_demo_sysadmin_sees_both_agencies(page, base_url, settings, demo_logins):
    settings.REDRESS_REQUIRE_MFA = False
    login(
        page, base_url, type("Login", (), {"email": demo_logins["System administrator"].email}), password=DEMO_PASSWORD
    )
    page.goto(f"{base_url}/agencies/")
    table = page.locator("main table")
    expect(table).to_contain_text("Maryland Office of Financial Regulation")
    expect(table).to_contain_text("Texas Department of Banking")
    assert_accessible(page)
