"""The whole job aid in one real-browser walk, agency and company side by side.

An agency supervisor enters a complaint against a company that has no users, sends it an
information request while enrolling the company's first user, and the invitation arrives through
a real SMTP server. The invitee sets a password and MFA, finishes enrollment, names themself
Complaints Contact and Company POC, and submits a response with a document. The agency is told
(in-app and by email), finds the response in the IR Response Activity report, sends it back with
a new due date, gets the second response and closes the complaint. axe runs on every page.
"""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from redress.companies.models import Company, EnrollmentInvitation
from redress.complaints.constants import Status
from redress.complaints.models import Complaint
from redress.core import clock
from redress.documents.models import Document
from redress.information_requests.constants import IRStatus
from redress.information_requests.models import InformationRequest, IRResponse
from tests.e2e.helpers import assert_accessible, login
from tests.fixtures import totp_code

pytestmark = pytest.mark.e2e

INVITEE_EMAIL = "quinn@quarry.example"
INVITEE_PASSWORD = "granite ledger harbor 42"


def _later(days: int) -> dt.date:
    return clock.today() + dt.timedelta(days=days)


def _wait_for_mail(smtp_server, address: str, subject: str, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in smtp_server.to(address) if subject in m.subject]
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(
        f"no mail for {address} containing {subject!r} after {timeout}s; "
        f"got {[(m.rcpt_tos, m.subject) for m in smtp_server.messages]}"
    )


def _company_page(browser: Browser, page_problems) -> Page:
    """The company user's own browser context, watched like the agency's."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(30_000)
    other = context.new_page()
    other.on("pageerror", lambda error: page_problems.add(f"company page error: {error}"))
    other.on(
        "console",
        lambda m: (
            m.type == "error"
            and not m.text.startswith("Failed to load resource")
            and page_problems.add(f"company console error: {m.text}")
        ),
    )
    other.on(
        "response",
        lambda r: (
            r.request.resource_type != "document"
            and r.status >= 400
            and not r.url.endswith("/favicon.ico")
            and page_problems.add(f"company sub-resource {r.status}: {r.url}")
        ),
    )
    return other


def _intake(page: Page, base_url: str, company: Company) -> Complaint:
    page.goto(f"{base_url}/complaints/new/")
    assert_accessible(page)
    page.fill("#id_identifier", company.nmls_id)
    page.get_by_role("button", name="Find subject").click()
    expect(page.locator("main")).to_contain_text(company.legal_name)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Choose company")).click()
    expect(page.locator("h1")).to_have_text("Enter a complaint: details")
    assert_accessible(page)
    page.select_option("#id_how_received", "web")
    page.select_option("#id_business_type", "mortgage_servicing")
    page.select_option("#id_product", "Mortgage")
    expect(page.locator("#id_sub_product option", has_text="Conventional fixed mortgage")).to_have_count(1)
    page.select_option("#id_sub_product", "Conventional fixed mortgage")
    page.select_option("#id_issue", "Loan servicing, payments, escrow account")
    page.fill("#id_summary", "The escrow account was charged twice for the same insurance premium.")
    page.fill("#id_complainant_first_name", "Robin")
    page.fill("#id_complainant_last_name", "Okafor")
    page.get_by_role("button", name="Bypass preliminary review").click()
    expect(page.locator("h1")).to_contain_text("Complaint CMP-")
    assert_accessible(page)
    complaint = Complaint.objects.get(company=company)
    assert complaint.status == Status.OPEN
    return complaint


def _add_and_send_with_enrollment(page: Page, base_url: str, complaint: Complaint) -> InformationRequest:
    page.get_by_role("link", name="Information Requests").click()
    expect(page.locator("main")).to_contain_text("No Information Requests have been sent")
    assert_accessible(page)
    page.get_by_role("link", name="Add an information request").click()
    expect(page.locator("h1")).to_have_text("Add an information request")
    assert_accessible(page)
    page.fill("#id_title", "Escrow ledger")
    page.fill("#id_description", "Send the escrow ledger for 2025 and explain the second premium charge.")
    page.fill("#id_due_date", _later(14).isoformat())
    page.get_by_role("button", name="Save and send").click()
    expect(page.locator("h1")).to_have_text("Send information requests")
    expect(page.locator("main")).to_contain_text("has no users yet")
    assert_accessible(page)
    page.fill("#id_enroll-full_name", "Quinn Quarry")
    page.fill("#id_enroll-email", INVITEE_EMAIL)
    page.get_by_role("button", name="Send to the company").click()
    expect(page.locator("main")).to_contain_text("Sent 1 information request")
    assert_accessible(page)
    ir = InformationRequest.objects.get(complaint=complaint)
    assert ir.status == IRStatus.SENT_TO_COMPANY and ir.due_date == _later(14)
    return ir


def _enroll(company_page: Page, link: str) -> None:
    company_page.goto(link)
    expect(company_page.locator("h1")).to_have_text("Welcome to Redress")
    assert_accessible(company_page)
    company_page.fill("input[name=password1]", INVITEE_PASSWORD)
    company_page.fill("input[name=password2]", INVITEE_PASSWORD)
    company_page.get_by_role("button", name="Set password").click()
    expect(company_page).to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(company_page)
    company_page.fill("input[name=login]", INVITEE_EMAIL)
    company_page.fill("input[name=password]", INVITEE_PASSWORD)
    company_page.press("input[name=password]", "Enter")
    expect(company_page).to_have_url(re.compile(r"/accounts/2fa/totp/activate"))
    assert_accessible(company_page)
    secret = company_page.locator("#authenticator_secret").input_value().strip()
    company_page.fill("input[name=code]", totp_code(secret))
    company_page.press("input[name=code]", "Enter")
    company_page.wait_for_load_state()
    assert_accessible(company_page)

    company_page.get_by_role("link", name="My company").click()
    assert_accessible(company_page)
    company_page.get_by_role("link", name="Finish enrolling your company").click()
    expect(company_page).to_have_url(re.compile(r"/enrollment/confirm/"))
    assert_accessible(company_page)
    company_page.get_by_role("button", name="This is my company, continue").click()
    expect(company_page).to_have_url(re.compile(r"/enrollment/contact/"))
    assert_accessible(company_page)
    company_page.get_by_label("Me, Quinn Quarry").check()
    company_page.get_by_role("button", name="Save and continue").click()
    expect(company_page).to_have_url(re.compile(r"/enrollment/team/"))
    assert_accessible(company_page)
    company_page.get_by_role("link", name="Continue to finish").click()
    expect(company_page).to_have_url(re.compile(r"/enrollment/finish/"))
    assert_accessible(company_page)
    company_page.get_by_role("button", name="Finish enrollment").click()
    expect(company_page.locator("main")).to_contain_text("Quarry Mortgage LLC is enrolled")
    assert_accessible(company_page)


def _respond(company_page: Page, text: str, filename: str) -> None:
    company_page.get_by_label("Response", exact=True).fill(text)
    company_page.locator("#id_files").set_input_files(
        [{"name": filename, "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% ledger\n"}]
    )
    company_page.get_by_role("button", name="Submit to the agency").click()
    expect(company_page.locator("main")).to_contain_text("was submitted to Maryland Office of Financial Regulation")
    expect(company_page.locator("#ir-status")).to_have_text("Response received")
    expect(company_page.locator("main")).to_contain_text(filename)
    assert_accessible(company_page)


def test_job_aid_from_intake_to_closure(page, browser, page_problems, base_url, settings, smtp_server, supervisor_a):
    settings.SITE_URL = base_url
    settings.REDRESS_REQUIRE_MFA = True
    company = Company.objects.create(company_ref="CO-000031", nmls_id="3131", legal_name="Quarry Mortgage LLC")
    assert not company.memberships.exists()

    # 1. The agency supervisor signs in and enters the complaint through the intake form.
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)
    assert_accessible(page)
    complaint = _intake(page, base_url, company)
    ref = complaint.ref

    # 2. An IR, sent while the company's first user is enrolled from the send screen.
    ir = _add_and_send_with_enrollment(page, base_url, complaint)
    assert EnrollmentInvitation.objects.get().user.email == INVITEE_EMAIL

    # 3. The invitation arrives through the real SMTP server.
    [invitation_mail] = _wait_for_mail(smtp_server, INVITEE_EMAIL, "Quarry Mortgage LLC")
    link = re.search(r"(https?://\S+/enroll/\S+/)", invitation_mail.text).group(1)
    assert link.startswith(base_url)

    company_page = _company_page(browser, page_problems)
    try:
        # 4. Password, MFA, enrollment; the invitee names themself Complaints Contact.
        _enroll(company_page, link)
        company.refresh_from_db()
        assert company.complaints_contact.email == INVITEE_EMAIL
        invitee = company.complaints_contact

        # 5. The Assign Point of Contact task: the invitee takes the complaint themself.
        company_page.goto(f"{base_url}/")
        expect(company_page.get_by_role("table", name="Assign Point of Contact")).to_contain_text(ref)
        assert_accessible(company_page)
        company_page.get_by_role("link", name=f"Assign Point of Contact for {ref}").click()
        expect(company_page.locator("h1")).to_have_text("Assign Point of Contact")
        assert_accessible(company_page)
        company_page.get_by_label("Company Point of Contact").select_option(label="Quinn Quarry")
        company_page.get_by_role("button", name="Assign").click()
        expect(company_page.locator("#company-poc")).to_have_text("Quinn Quarry")
        assert_accessible(company_page)
        complaint.refresh_from_db()
        assert complaint.company_poc == invitee

        # 6. The POC drafts, then submits with a document.
        company_page.get_by_role("link", name="Information Requests").click()
        assert_accessible(company_page)
        company_page.get_by_role("link", name=re.compile(ir.ref)).first.click()
        expect(company_page.locator("h1")).to_contain_text(ir.ref)
        assert_accessible(company_page)
        company_page.get_by_label("Response", exact=True).fill("Draft: the ledger is being pulled.")
        company_page.get_by_role("button", name="Save draft").click()
        expect(company_page.locator("#ir-status")).to_have_text("Response drafted")
        assert_accessible(company_page)
        first_text = "The 2025 escrow ledger is attached; the second charge was a duplicate."
        _respond(company_page, first_text, "ledger.pdf")
        first = IRResponse.objects.get(information_request=ir, round=1)
        assert first.submitted_by == invitee
        assert Document.objects.filter(attached_id=str(first.pk), original_name="ledger.pdf").exists()

        # 7. The agency is told in the app and by email, and the report shows the response.
        [notice] = _wait_for_mail(smtp_server, supervisor_a.email, f"Response received: {ir.ref}")
        assert ref in notice.subject
        page.goto(f"{base_url}/notifications/")
        expect(page.locator("main")).to_contain_text(f"Response received: {ir.ref}")
        assert_accessible(page)
        page.get_by_role("link", name="Reports").click()
        expect(page.locator("h1")).to_have_text("IR Response Activity")
        expect(page.locator("main table")).to_contain_text(ir.ref)
        expect(page.locator("#count-total")).to_have_text("1")
        assert_accessible(page)

        # 8. Sent back with a new due date and explanation.
        page.goto(f"{base_url}/complaints/{ref}/information-requests/{ir.ref}/")
        expect(page.locator("main")).to_contain_text("the second charge was a duplicate")
        assert_accessible(page)
        page.get_by_role("link", name="Send back").click()
        assert_accessible(page)
        page.fill("#id_due_date", _later(21).isoformat())
        page.fill("#id_explanation", "Add the insurer's refund confirmation.")
        page.get_by_role("button", name="Send back").click()
        expect(page.locator("main")).to_contain_text("was sent back")
        assert_accessible(page)
        ir.refresh_from_db()
        assert ir.status == IRStatus.SENT_TO_COMPANY and ir.round == 2 and ir.due_date == _later(21)
        _wait_for_mail(smtp_server, INVITEE_EMAIL, f"Response sent back: {ir.ref}")

        # 9. The POC answers again.
        company_page.goto(f"{base_url}/company/information-requests/{ir.ref}/")
        expect(company_page.locator("main")).to_contain_text("Add the insurer's refund confirmation.")
        assert_accessible(company_page)
        _respond(company_page, "The insurer's refund confirmation is attached.", "refund.pdf")
        ir.refresh_from_db()
        assert ir.status == IRStatus.SENT_TO_AGENCY
        assert IRResponse.objects.get(information_request=ir, round=2).text.startswith("The insurer's refund")
    finally:
        company_page.context.close()

    # 10. The agency reads the second response and closes the complaint.
    page.goto(f"{base_url}/complaints/{ref}/information-requests/{ir.ref}/")
    expect(page.locator("main")).to_contain_text("The insurer's refund confirmation is attached.")
    assert_accessible(page)
    page.goto(f"{base_url}/complaints/{ref}/")
    page.get_by_role("link", name="Close complaint").click()
    expect(page.locator("h1")).to_have_text("Close complaint")
    assert_accessible(page)
    page.select_option("#id_reason", "closed_with_explanation")
    page.get_by_role("button", name="Close complaint").click()
    expect(page.locator("main")).to_contain_text(f"Complaint {ref} was closed.")
    assert_accessible(page)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
