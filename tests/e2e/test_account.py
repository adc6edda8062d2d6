"""The account page: profile, and an API token created and revoked with the keyboard only."""

import pytest
from playwright.sync_api import expect

from redress.accounts.models import ApiToken
from tests.e2e.helpers import assert_accessible, assert_keyboard_navigable, login, tab_until

pytestmark = pytest.mark.e2e


def _type_into(page, label: str, text: str) -> None:
    field_id = page.get_by_label(label).get_attribute("id")
    tab_until(page, lambda f: f.get("id") == field_id)
    page.keyboard.type(text)


def test_create_and_revoke_token_by_keyboard(page, base_url, manager_a, viewer_a):
    login(page, base_url, manager_a, manager_a.totp_secret)
    page.goto(f"{base_url}/account/")
    expect(page.locator("h1")).to_have_text("Your account")
    assert_accessible(page)
    assert_keyboard_navigable(page)

    page.get_by_role("heading", name="Create a token").scroll_into_view_if_needed()
    page.locator("main").focus()
    _type_into(page, "Token name", "Nightly export")
    page.keyboard.press("Enter")
    secret_box = page.locator("#new-token-secret")
    expect(secret_box).to_be_visible()
    secret = secret_box.input_value()
    assert len(secret) > 20
    token = ApiToken.objects.get(user=manager_a)
    assert token.name == "Nightly export" and token.revoked_at is None
    assert secret not in (token.secret_hash, token.prefix)
    assert_accessible(page)

    page.locator("main").focus()
    tab_until(page, lambda f: f.get("text", "").startswith("Revoke") and "Nightly export" in f.get("text", ""))
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("table")).to_contain_text("Revoked")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not ApiToken.objects.filter(user=viewer_a).exists()
    assert_accessible(page)


def test_token_form_errors_are_accessible(page, base_url, manager_a):
    login(page, base_url, manager_a, manager_a.totp_secret)
    page.goto(f"{base_url}/account/")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator(".usa-alert--error")).to_be_visible()
    assert not ApiToken.objects.filter(user=manager_a).exists()
    assert_accessible(page)
