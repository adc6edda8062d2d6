"""The agency's IR exchange in a real browser: add a request and send it while enrolling the
company's first user from the send screen, extend its due date, remind the company, mark a
response Quick Look complete, and read the IR Response Activity report. Every page passes axe."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from redress.companies.models import EnrollmentInvitation
from redress.complaints.exchange import company_poc_assign
from redress.complaints.services import complaint_create
from redress.complaints.tests.conftest import intake_details
from redress.core import clock
from redress.information_requests import responses, services
from redress.information_requests.constants import IRStatus
from redress.information_requests.models import InformationRequest
from tests.e2e.helpers import assert_accessible, login

pytestmark = pytest.mark.e2e


def _later(days: int) -> dt.date:
    return clock.today() + dt.timedelta(days=days)


def _complaint(actor, company):
    return complaint_create(
        actor=actor,
        subject_type="company",
        subject_id=company.pk,
        details=intake_details(),
        submit_for_review=False,
    )


def test_add_send_with_enrollment_extend_and_remind(page: Page, base_url, supervisor_a, company_y):
    complaint = _complaint(supervisor_a, company_y)
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)

    page.goto(f"{base_url}/complaints/{complaint.ref}/")
    page.get_by_role("link", name="Information Requests").click()
    expect(page.locator("main")).to_contain_text("No Information Requests have been sent")
    assert_accessible(page)

    # Add a request with its errors first, then "Save and send".
    page.get_by_role("link", name="Add an information request").click()
    expect(page.locator("h1")).to_have_text("Add an information request")
    assert_accessible(page)
    page.get_by_role("button", name="Save for later").click()
    expect(page.locator(".usa-alert--error")).to_contain_text("Enter the title.")
    assert_accessible(page)
    page.fill("#id_title", "Payment history")
    page.fill("#id_description", "Send the full payment history and your explanation of the late fee.")
    page.fill("#id_due_date", _later(14).isoformat())
    page.get_by_role("button", name="Save and send").click()

    # The send screen: no users yet, so the first user is invited in the same step.
    expect(page.locator("h1")).to_have_text("Send information requests")
    expect(page.locator("main")).to_contain_text("has no users yet")
    assert_accessible(page)
    page.fill("#id_enroll-full_name", "Yara Young")
    page.fill("#id_enroll-email", "yara@young.example")
    page.get_by_role("button", name="Send to the company").click()
    expect(page.locator("main")).to_contain_text("Sent 1 information request")
    expect(page.locator("main")).to_contain_text("yara@young.example")
    assert_accessible(page)
    ir = InformationRequest.objects.get(complaint=complaint)
    assert ir.status == IRStatus.SENT_TO_COMPANY and ir.due_date == _later(14)
    assert EnrollmentInvitation.objects.get().user.email == "yara@young.example"

    # The send screen now offers an enrollment reminder instead.
    page.goto(f"{base_url}/complaints/{complaint.ref}/information-requests/send/")
    expect(page.get_by_role("button", name="Send enrollment reminder")).to_be_visible()
    assert_accessible(page)

    # Extend: the original due date is kept and shown.
    page.goto(f"{base_url}/complaints/{complaint.ref}/information-requests/")
    page.get_by_role("link", name=ir.ref).click()
    expect(page.locator("h1")).to_have_text(f"Information request {ir.ref}")
    assert_accessible(page)
    page.get_by_role("link", name="Extend due date").click()
    expect(page.locator("#id_due_date")).to_be_visible()
    assert_accessible(page)
    page.fill("#id_due_date", _later(28).isoformat())
    page.get_by_role("button", name="Extend due date").click()
    expect(page.locator("main")).to_contain_text("was extended")
    assert_accessible(page)
    ir.refresh_from_db()
    assert ir.due_date == _later(28) and ir.original_due_date == _later(14)


def test_remind_quick_look_and_report(page: Page, base_url, supervisor_a, company_x, company_user_x, make_user):
    from redress.companies.constants import ComplaintsAccess
    from redress.companies.models import CompanyMembership

    company_x.complaints_contact = company_user_x
    company_x.save(update_fields=["complaints_contact"])
    poc = make_user(full_name="Xavi Responder")
    CompanyMembership.objects.create(user=poc, company=company_x, complaints_access=ComplaintsAccess.MANAGE)

    outstanding_complaint = _complaint(supervisor_a, company_x)
    outstanding = services.ir_create(
        actor=supervisor_a,
        complaint_ref=outstanding_complaint.ref,
        title="Escrow analysis",
        description="Explain the escrow shortage.",
        due_date=_later(10),
    )
    services.ir_send(actor=supervisor_a, complaint_ref=outstanding_complaint.ref, refs=[outstanding.ref])

    answered_complaint = _complaint(supervisor_a, company_x)
    answered = services.ir_create(
        actor=supervisor_a,
        complaint_ref=answered_complaint.ref,
        title="Payment history",
        description="Send the payment history.",
        due_date=_later(10),
    )
    services.ir_send(actor=supervisor_a, complaint_ref=answered_complaint.ref, refs=[answered.ref])
    company_poc_assign(actor=company_user_x, ref=answered_complaint.ref, poc=poc, expected_version=None)
    responses.response_submit(actor=poc, ir_ref=answered.ref, text="The ledger is attached.", expected_version=None)

    login(page, base_url, supervisor_a, supervisor_a.totp_secret)

    # Remind: the reminder history records it.
    page.goto(f"{base_url}/complaints/{outstanding_complaint.ref}/information-requests/{outstanding.ref}/")
    page.get_by_role("link", name="Send reminder").click()
    expect(page.locator("main")).to_contain_text("Complaints Contact")
    assert_accessible(page)
    page.get_by_role("button", name="Send reminder").click()
    expect(page.locator("main")).to_contain_text("A reminder about")
    page.locator("summary", has_text="Show reminder history (1)").click()
    expect(page.locator("main")).to_contain_text(company_user_x.email)
    assert_accessible(page)

    # Read the response and mark Quick Look complete.
    page.goto(f"{base_url}/complaints/{answered_complaint.ref}/information-requests/{answered.ref}/")
    expect(page.locator("main")).to_contain_text("The ledger is attached.")
    page.get_by_role("button", name="Mark Quick Look complete").click()
    expect(page.locator("main")).to_contain_text("Quick Look marked complete")
    expect(page.get_by_role("button", name="Clear Quick Look")).to_be_visible()
    assert_accessible(page)

    # The report, reached from the navigation.
    page.get_by_role("link", name="Reports").click()
    expect(page.locator("h1")).to_have_text("IR Response Activity")
    expect(page.locator("#count-total")).to_have_text("1")
    expect(page.locator("#count-timely")).to_have_text("1")
    expect(page.locator("main table")).to_contain_text(answered.ref)
    assert_accessible(page)
    page.select_option("#id_timeliness", "late")
    page.get_by_role("button", name="Show report").click()
    expect(page.locator("#count-total")).to_have_text("0")
    assert_accessible(page)
    with page.expect_download() as download:
        page.goto(f"{base_url}/reports/ir-response-activity/")
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename.endswith(".csv")


def test_selection_search_comment_send_back_and_cancel_pages(
    page: Page, base_url, supervisor_a, company_x, company_user_x, make_user
):
    from redress.companies.constants import ComplaintsAccess
    from redress.companies.models import CompanyMembership

    company_x.complaints_contact = company_user_x
    company_x.save(update_fields=["complaints_contact"])
    poc = make_user(full_name="Xavi Responder")
    CompanyMembership.objects.create(user=poc, company=company_x, complaints_access=ComplaintsAccess.MANAGE)
    complaint = _complaint(supervisor_a, company_x)
    sent = services.ir_create(
        actor=supervisor_a,
        complaint_ref=complaint.ref,
        title="Payment history",
        description="Send it.",
        due_date=_later(9),
    )
    services.ir_send(actor=supervisor_a, complaint_ref=complaint.ref, refs=[sent.ref])
    company_poc_assign(actor=company_user_x, ref=complaint.ref, poc=poc, expected_version=None)
    responses.response_submit(actor=poc, ir_ref=sent.ref, text="Ledger attached.", expected_version=None)
    unsent = services.ir_create(
        actor=supervisor_a, complaint_ref=complaint.ref, title="Escrow analysis", description="Explain the shortage."
    )
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)

    # Selection: a bulk due date with an error first (none chosen), then for the unsent request.
    page.goto(f"{base_url}/complaints/{complaint.ref}/information-requests/")
    page.get_by_role("button", name="Set due date").click()
    expect(page.locator(".usa-alert--error")).to_contain_text("Choose at least one")
    assert_accessible(page)
    page.locator("label[for=id_refs]").click()
    page.fill("#id_due_date", _later(12).isoformat())
    page.get_by_role("button", name="Set due date").click()
    expect(page.locator("main")).to_contain_text("Due date set on 1 information request")
    unsent.refresh_from_db()
    assert unsent.due_date == _later(12)

    # Search over response text, enhanced by htmx.
    page.fill("#id_q", "ledger")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#ir-results table")).to_contain_text(sent.ref)
    expect(page.locator("#ir-results table")).not_to_contain_text(unsent.ref)
    assert_accessible(page)

    # A comment.
    page.goto(f"{base_url}/complaints/{complaint.ref}/information-requests/comment/")
    assert_accessible(page)
    page.fill("#id_title", "Call received")
    page.fill("#id_text", "We spoke with the complainant today.")
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator("main")).to_contain_text("Your comment was sent")

    # Send back with a new due date and explanation.
    page.goto(f"{base_url}/complaints/{complaint.ref}/information-requests/{sent.ref}/")
    page.get_by_role("link", name="Send back").click()
    expect(page.locator("#id_explanation")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send back").click()
    expect(page.locator(".usa-alert--error")).to_be_visible()
    assert_accessible(page)
    page.fill("#id_due_date", _later(20).isoformat())
    page.fill("#id_explanation", "Add the payoff letter.")
    page.get_by_role("button", name="Send back").click()
    expect(page.locator("main")).to_contain_text("was sent back")
    expect(page.locator("main")).to_contain_text("Add the payoff letter.")
    assert_accessible(page)

    # Cancel it.
    page.get_by_role("link", name="Cancel request").click()
    expect(page.locator("label[for=id_confirm]")).to_be_visible()
    assert_accessible(page)
    page.locator("label[for=id_confirm]").click()
    page.get_by_role("button", name="Cancel request").click()
    expect(page.locator("main")).to_contain_text("was canceled")
    sent.refresh_from_db()
    assert sent.status == IRStatus.CANCELED and sent.round == 2
