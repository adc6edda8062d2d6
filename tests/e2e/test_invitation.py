"""A provisioned user's first day: invitation email, password set-up page, required MFA set-up."""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from redress.agencies.services import agency_user_create
from redress.notifications.models import OutboxMessage
from tests.e2e.helpers import assert_accessible
from tests.fixtures import totp_code

pytestmark = pytest.mark.e2e


def test_invited_user_sets_password_then_mfa(page, base_url, settings, sysadmin, agency_a):
    settings.REDRESS_REQUIRE_MFA = True
    settings.SITE_URL = base_url
    membership = agency_user_create(
        actor=sysadmin,
        agency_id=agency_a.pk,
        email="first.day@md-ofr.example",
        full_name="Frankie Firstday",
        complaints_role="manager",
    )
    invitation = OutboxMessage.objects.get(to_email="first.day@md-ofr.example", event="account.invitation")
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", invitation.text_body)
    assert link, invitation.text_body

    page.goto(link.group(0))
    expect(page.locator("input[name=password1]")).to_be_visible()
    assert_accessible(page)
    new_password = "a long fresh password 31"
    page.fill("input[name=password1]", new_password)
    page.fill("input[name=password2]", new_password)
    page.press("input[name=password2]", "Enter")
    page.wait_for_load_state()
    assert_accessible(page)

    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", "first.day@md-ofr.example")
    page.fill("input[name=password]", new_password)
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate"))
    secret = page.locator("#authenticator_secret").input_value().strip()
    page.fill("input[name=code]", totp_code(secret))
    page.press("input[name=code]", "Enter")
    page.wait_for_load_state()
    assert Authenticator.objects.filter(user=membership.user, type=Authenticator.Type.TOTP).exists()
    page.goto(f"{base_url}/")
    expect(page.locator("h1")).to_contain_text("Welcome, Frankie")
