"""The company portal in a real browser: the account admin assigns the Company POC from the home
task list, the POC drafts and submits a response with a document, then asks for a send-back.
axe runs on every page visited."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from redress.companies.constants import ComplaintsAccess
from redress.companies.models import CompanyMembership
from redress.complaints.services import complaint_create
from redress.complaints.tests.conftest import intake_details
from redress.core import clock
from redress.documents.models import Document
from redress.information_requests import services
from redress.information_requests.constants import IRStatus
from redress.information_requests.models import InformationRequest, IRResponse, SendBack
from tests.e2e.helpers import assert_accessible, login

pytestmark = pytest.mark.e2e


@pytest.fixture
def responder_x(make_user, company_x):
    user = make_user(full_name="Xavi Responder")
    CompanyMembership.objects.create(user=user, company=company_x, complaints_access=ComplaintsAccess.MANAGE)
    return user


@pytest.fixture
def sent_ir(supervisor_a, company_x, company_user_x):
    company_x.complaints_contact = company_user_x
    company_x.save(update_fields=["complaints_contact"])
    complaint = complaint_create(
        actor=supervisor_a,
        subject_type="company",
        subject_id=company_x.pk,
        details=intake_details(complainant_phone="410-555-0199"),
        submit_for_review=False,
    )
    ir = services.ir_create(
        actor=supervisor_a,
        complaint_ref=complaint.ref,
        title="Payment history",
        description="Send the payment history for 2024.",
        due_date=clock.today() + dt.timedelta(days=10),
    )
    services.ir_send(actor=supervisor_a, complaint_ref=complaint.ref, refs=[ir.ref])
    ir.refresh_from_db()
    return ir


def test_assign_poc_respond_with_document_and_request_send_back(page, base_url, sent_ir, company_admin_x, responder_x):
    ref = sent_ir.complaint.ref
    # The account admin sees the Assign Point of Contact task on the home page.
    login(page, base_url, company_admin_x, company_admin_x.totp_secret)
    expect(page.get_by_role("table", name="Assign Point of Contact")).to_contain_text(ref)
    assert_accessible(page)
    page.get_by_role("link", name=f"Assign Point of Contact for {ref}").click()
    expect(page.locator("h1")).to_have_text("Assign Point of Contact")
    assert_accessible(page)
    # Submitting without a choice shows the error summary.
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose the Company Point of Contact.")
    assert_accessible(page)
    page.get_by_label("Company Point of Contact").select_option(label="Xavi Responder")
    page.get_by_role("button", name="Assign").click()
    expect(page.locator("#company-poc")).to_have_text("Xavi Responder")
    expect(page.locator("main")).not_to_contain_text("410-555-0199")
    assert_accessible(page)
    page.get_by_role("link", name="Information Requests").click()
    expect(page.get_by_role("table")).to_contain_text(sent_ir.ref)
    assert_accessible(page)
    page.get_by_role("link", name="Complaints", exact=True).first.click()
    expect(page.get_by_role("table")).to_contain_text(ref)
    assert_accessible(page)

    # The POC drafts and submits with a document.
    page.context.clear_cookies()
    login(page, base_url, responder_x, responder_x.totp_secret)
    expect(page.get_by_role("table", name="Information requests waiting for a response")).to_contain_text(sent_ir.ref)
    assert_accessible(page)
    page.get_by_role("link", name=f"{sent_ir.ref}: Payment history").first.click()
    expect(page.locator("h1")).to_contain_text(sent_ir.ref)
    assert_accessible(page)
    page.get_by_label("Response", exact=True).fill("The payment history for 2024 is attached.")
    page.locator("#id_files").set_input_files(
        [{"name": "history-2024.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% history\n"}]
    )
    page.get_by_role("button", name="Submit to the agency").click()
    expect(page.locator("main")).to_contain_text("was submitted to Maryland Office of Financial Regulation")
    expect(page.locator("#ir-status")).to_have_text("Response received")
    expect(page.locator("main")).to_contain_text("history-2024.pdf")
    assert_accessible(page)
    response = IRResponse.objects.get()
    assert response.text == "The payment history for 2024 is attached." and response.submitted_by == responder_x
    assert Document.objects.filter(attached_id=str(response.pk), original_name="history-2024.pdf").exists()

    # Then asks for a send-back.
    page.get_by_role("link", name="Request a send-back").click()
    expect(page.locator("h1")).to_contain_text("Request a send-back")
    assert_accessible(page)
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the reason")
    assert_accessible(page)
    page.get_by_label("Why should the agency send the response back?").fill(
        "We attached the 2023 statement by mistake."
    )
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator("#ir-status")).to_have_text("Send-back requested")
    assert_accessible(page)
    sent_ir.refresh_from_db()
    assert sent_ir.status == IRStatus.SEND_BACK_REQUESTED
    assert SendBack.objects.get().text == "We attached the 2023 statement by mistake."
    assert InformationRequest.objects.count() == 1
