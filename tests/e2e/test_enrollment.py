"""Company enrollment end to end: the agency invites, the invitation arrives through a real SMTP
server, the invitee sets a password and MFA, completes the wizard, and the agency is notified.
Communication pages get the same accessibility checks."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from redress.companies import communications as comms
from redress.companies import services
from redress.companies.models import Company, EnrollmentInvitation
from tests.e2e.helpers import assert_accessible, login
from tests.fixtures import totp_code

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "sturdy lantern orbit 77"


def _wait_for_mail(smtp_server, address: str, count: int = 1, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        received = smtp_server.to(address)
        if len(received) >= count:
            return received
        time.sleep(0.1)
    raise AssertionError(f"no mail for {address} after {timeout}s; got {[m.rcpt_tos for m in smtp_server.messages]}")


def _guarded_page(browser: Browser, page_problems) -> Page:
    """A second browser context (the invitee), watched like the main one."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    other = context.new_page()
    other.on("pageerror", lambda error: page_problems.add(f"invitee page error: {error}"))
    other.on(
        "console",
        lambda m: (
            m.type == "error"
            and not m.text.startswith("Failed to load resource")
            and page_problems.add(f"invitee console error: {m.text}")
        ),
    )
    other.on(
        "response",
        lambda r: (
            r.request.resource_type != "document"
            and r.status >= 400
            and not r.url.endswith("/favicon.ico")
            and page_problems.add(f"invitee sub-resource {r.status}: {r.url}")
        ),
    )
    return other


def test_enrollment_from_invitation_email_to_agency_notice(
    page, browser, page_problems, base_url, settings, smtp_server, supervisor_a
):
    settings.SITE_URL = base_url
    settings.REDRESS_REQUIRE_MFA = True
    company = Company.objects.create(company_ref="CO-000026", nmls_id="3030", legal_name="Zephyr Lending LLC")

    # The agency supervisor starts enrollment from the company page.
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)
    page.goto(f"{base_url}/companies/{company.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Enroll first user").click()
    expect(page.locator("h1")).to_have_text("Enroll Zephyr Lending LLC")
    assert_accessible(page)
    page.get_by_role("button", name="Enroll first user").click()
    expect(page.locator(".usa-alert--error")).to_be_visible()
    assert_accessible(page)
    page.fill("input[name='enroll-full_name']", "Zoe Zephyr")
    page.fill("input[name='enroll-email']", "zoe@zephyr.example")
    page.get_by_role("button", name="Enroll first user").click()
    expect(page.locator("main")).to_contain_text("We emailed an enrollment invitation to zoe@zephyr.example")
    page.goto(f"{base_url}/enrollments/")
    expect(page.locator("main")).to_contain_text("zoe@zephyr.example")
    assert_accessible(page)

    # The invitation arrives through the real SMTP server with its single-use link.
    [invitation_mail] = _wait_for_mail(smtp_server, "zoe@zephyr.example")
    assert "Zephyr Lending LLC" in invitation_mail.subject
    link = re.search(r"(https?://\S+/enroll/\S+/)", invitation_mail.text).group(1)
    assert link.startswith(base_url)
    assert link in invitation_mail.html

    invitee = _guarded_page(browser, page_problems)
    try:
        bogus = invitee.goto(link[:-3] + "xx/")
        assert bogus.status == 404
        expect(invitee.locator("h1")).to_have_text("This enrollment link is not valid")
        assert_accessible(invitee)

        invitee.goto(link)
        expect(invitee.locator("h1")).to_have_text("Welcome to Redress")
        assert_accessible(invitee)
        invitee.fill("input[name=password1]", "short")
        invitee.fill("input[name=password2]", "short")
        invitee.get_by_role("button", name="Set password").click()
        expect(invitee.locator(".usa-alert--error")).to_be_visible()
        assert_accessible(invitee)
        invitee.fill("input[name=password1]", NEW_PASSWORD)
        invitee.fill("input[name=password2]", NEW_PASSWORD)
        invitee.get_by_role("button", name="Set password").click()

        # Sign in with the new password; MFA set-up comes first.
        expect(invitee).to_have_url(re.compile(r"/accounts/login/"))
        expect(invitee.locator("main")).to_contain_text("Your password is set")
        invitee.fill("input[name=login]", "zoe@zephyr.example")
        invitee.fill("input[name=password]", NEW_PASSWORD)
        invitee.press("input[name=password]", "Enter")
        expect(invitee).to_have_url(re.compile(r"/accounts/2fa/totp/activate"))
        assert_accessible(invitee)
        secret = invitee.locator("#authenticator_secret").input_value().strip()
        invitee.fill("input[name=code]", totp_code(secret))
        invitee.press("input[name=code]", "Enter")
        invitee.wait_for_load_state()

        # The company page points the new administrator to the unfinished enrollment.
        invitee.get_by_role("link", name="My company").click()
        assert_accessible(invitee)
        invitee.get_by_role("link", name="Finish enrolling your company").click()
        expect(invitee).to_have_url(re.compile(r"/enrollment/confirm/"))
        expect(invitee.locator(".usa-step-indicator__heading")).to_contain_text("Confirm your company")
        assert_accessible(invitee)
        invitee.get_by_role("button", name="This is my company, continue").click()

        expect(invitee).to_have_url(re.compile(r"/enrollment/contact/"))
        assert_accessible(invitee)
        invitee.get_by_label("Me, Zoe Zephyr").check()
        invitee.get_by_role("button", name="Save and continue").click()

        expect(invitee).to_have_url(re.compile(r"/enrollment/team/"))
        assert_accessible(invitee)
        invitee.fill("input[name='address-email']", "complaints@zephyr.example")
        invitee.get_by_role("button", name="Add address").click()
        expect(invitee.locator("main")).to_contain_text("complaints@zephyr.example")
        assert_accessible(invitee)
        invitee.get_by_role("link", name="Continue to finish").click()

        expect(invitee).to_have_url(re.compile(r"/enrollment/finish/"))
        assert_accessible(invitee)
        invitee.get_by_role("button", name="Finish enrollment").click()
        expect(invitee.locator("main")).to_contain_text("Zephyr Lending LLC is enrolled")
        assert_accessible(invitee)
    finally:
        invitee.context.close()

    invitation = EnrollmentInvitation.objects.get()
    assert invitation.completed_at is not None
    company.refresh_from_db()
    assert company.complaints_contact.email == "zoe@zephyr.example"

    # N2: the agency supervisor who started it gets the email (real SMTP) and an in-app notice.
    [notice] = _wait_for_mail(smtp_server, supervisor_a.email)
    assert "Zephyr Lending LLC has completed enrollment" in notice.subject
    page.goto(f"{base_url}/notifications/")
    expect(page.locator("main")).to_contain_text("Zephyr Lending LLC has completed enrollment")
    assert_accessible(page)


def test_communication_pages(page, base_url, agency_a, supervisor_a, company_x, company_y, company_admin_x):
    for company in (company_x, company_y):
        services.supervision_mark(actor=None, company=company, agency=agency_a)
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)
    page.get_by_role("link", name="Communications").first.click()
    expect(page.locator("h1")).to_have_text("Communications to companies")
    assert_accessible(page)
    page.get_by_role("link", name=comms.DEFAULT_NAME, exact=True).click()
    assert_accessible(page)
    page.fill("textarea[name=body]", "Hello {{ nope }}")
    page.get_by_role("button", name="Save template").click()
    expect(page.locator(".usa-alert--error")).to_contain_text("Unknown placeholder")
    assert_accessible(page)
    page.get_by_role("link", name="Send…").click()
    assert_accessible(page)
    page.get_by_label("Every company we supervise").check()
    page.get_by_role("button", name="Preview recipients").click()
    expect(page.locator("main")).to_contain_text("No recipient")
    expect(page.locator("main")).to_contain_text(company_admin_x.email)
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"^Send to 2 companies")).click()
    expect(page.locator("h1")).to_contain_text("Sent:")
    assert_accessible(page)
    page.get_by_role("link", name="Back to send history").click()
    expect(page.locator("main table")).to_contain_text(comms.DEFAULT_NAME)
    assert_accessible(page)
