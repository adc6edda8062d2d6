"""Sign-in, two-step sign-in (set-up and code prompt), password reset and lockout pages."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.helpers import assert_accessible, assert_keyboard_navigable, login
from tests.fixtures import PASSWORD, totp_code

pytestmark = pytest.mark.e2e


def test_sign_in_page_errors_and_keyboard(page, base_url, supervisor_a):
    page.goto(f"{base_url}/accounts/login/")
    expect(page.locator("h1")).to_have_text("Sign in")
    assert_accessible(page)
    assert_keyboard_navigable(page)

    # Submit empty by keyboard: the error summary appears and every field error is linked.
    page.locator("input[name=login]").focus()
    page.keyboard.press("Enter")
    summary = page.locator(".usa-alert--error")
    expect(summary).to_be_visible()
    login_input = page.locator("input[name=login]")
    expect(login_input).to_have_attribute("aria-invalid", "true")
    described = login_input.get_attribute("aria-describedby") or ""
    assert any(page.locator(f"#{ident}.usa-error-message").count() for ident in described.split()), described
    assert_accessible(page)

    page.fill("input[name=login]", supervisor_a.email)
    page.fill("input[name=password]", "not the password at all")
    page.press("input[name=password]", "Enter")
    expect(page.locator(".usa-alert--error")).to_be_visible()
    assert "/accounts/login/" in page.url
    assert_accessible(page)


def test_mfa_code_prompt(page, base_url, supervisor_a):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", supervisor_a.email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    expect(page.locator("h1")).to_have_text("Enter your code")
    assert_accessible(page)
    assert_keyboard_navigable(page)

    page.fill("input[name=code]", "000000" if totp_code(supervisor_a.totp_secret) != "000000" else "111111")
    page.press("input[name=code]", "Enter")
    expect(page.locator(".usa-alert--error")).to_be_visible()
    assert "/accounts/2fa/authenticate" in page.url
    assert_accessible(page)

    page.fill("input[name=code]", totp_code(supervisor_a.totp_secret))
    page.press("input[name=code]", "Enter")
    expect(page.locator("h1")).to_contain_text("Welcome")


def test_user_without_mfa_must_set_it_up(page, base_url, settings, make_user, agency_a):
    from redress.agencies.models import AgencyMembership

    settings.REDRESS_REQUIRE_MFA = True
    user = make_user(full_name="Nia Newcomer", mfa=False)
    AgencyMembership.objects.create(user=user, agency=agency_a, complaints_role="viewer")
    login(page, base_url, user)
    # Any page sends a user without an authenticator to the set-up page.
    page.goto(f"{base_url}/notifications/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate"))
    expect(page.locator("h1")).to_have_text("Set up an authenticator app")
    assert_accessible(page)
    assert_keyboard_navigable(page)

    page.fill("input[name=code]", "12345")
    page.press("input[name=code]", "Enter")
    expect(page.locator(".usa-alert--error")).to_be_visible()
    assert_accessible(page)
    assert not Authenticator.objects.filter(user=user).exists()

    secret = page.locator("#authenticator_secret").input_value().strip()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    page.fill("input[name=code]", totp_code(secret))
    page.press("input[name=code]", "Enter")
    page.wait_for_load_state()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert_accessible(page)
    page.goto(f"{base_url}/notifications/")
    expect(page.locator("h1")).to_have_text("Notifications")


def test_password_reset_request(page, base_url, supervisor_a):
    page.goto(f"{base_url}/accounts/login/")
    # The password hint repeats the link; follow the one below the form.
    page.get_by_role("link", name="Forgot your password?").last.click()
    expect(page.locator("h1")).to_have_text("Reset your password")
    assert_accessible(page)
    assert_keyboard_navigable(page)

    page.fill("input[name=email]", "not-an-email")
    page.press("input[name=email]", "Enter")
    expect(page.locator(".usa-alert--error")).to_be_visible()
    assert_accessible(page)

    page.fill("input[name=email]", supervisor_a.email)
    page.press("input[name=email]", "Enter")
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/done/"))
    assert_accessible(page)


def test_lockout_page_after_repeated_failures(page, base_url, settings, supervisor_a):
    mail.outbox.clear()
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        page.goto(f"{base_url}/accounts/login/")
        page.fill("input[name=login]", supervisor_a.email)
        page.fill("input[name=password]", "wrong password guess")
        page.press("input[name=password]", "Enter")
        page.wait_for_load_state()
        if page.locator("h1", has_text="Sign-in temporarily locked").count():
            break
    expect(page.locator("h1")).to_have_text("Sign-in temporarily locked")
    assert_accessible(page)
    assert_keyboard_navigable(page, main_target="Reset your password")

    # Even the right password is refused while locked.
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", supervisor_a.email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    expect(page.locator("h1")).to_have_text("Sign-in temporarily locked")


def test_not_found_page(page, base_url, supervisor_a):
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)
    response = page.goto(f"{base_url}/companies/999999999/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    assert_accessible(page)
    assert_keyboard_navigable(page, main_target="Go to the home page")


def test_api_docs_load_without_csp_violations(page, base_url, supervisor_a):
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)
    page.goto(f"{base_url}/api/v1/docs")
    # Swagger UI builds the operation list from the schema with its own script: it only appears
    # if the script and the schema request were allowed by the CSP.
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=30_000)
    assert page.locator(".swagger-ui .opblock").count() > 5
