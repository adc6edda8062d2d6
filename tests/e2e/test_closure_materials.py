"""Scenario 29 in a real browser: the agency closes with monetary relief, internal notes, a shared
comment and a PDF; a bad file first shows a clear error and closes nothing. The company then sees
Closure Materials with the comment and the PDF (downloadable) but never the internal notes.
axe runs on the close form (empty, with errors) and on the company view."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from redress.complaints.constants import Status
from redress.complaints.services import complaint_create
from redress.complaints.tests.conftest import intake_details
from redress.core import clock
from redress.documents.models import Document
from redress.information_requests import services as irs
from tests.e2e.helpers import assert_accessible, login

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def complaint(supervisor_a, company_x, company_user_x):
    company_x.complaints_contact = company_user_x
    company_x.save(update_fields=["complaints_contact"])
    complaint = complaint_create(
        actor=supervisor_a,
        subject_type="company",
        subject_id=company_x.pk,
        details=intake_details(),
        submit_for_review=False,
    )
    ir = irs.ir_create(
        actor=supervisor_a,
        complaint_ref=complaint.ref,
        title="Refund",
        description="Confirm the refund.",
        due_date=clock.today() + dt.timedelta(days=10),
    )
    irs.ir_send(actor=supervisor_a, complaint_ref=complaint.ref, refs=[ir.ref])
    complaint.refresh_from_db()
    return complaint


def _fill(page) -> None:
    page.select_option("#id_reason", "monetary_relief")
    page.fill("#id_monetary_relief", "250.00")
    page.fill("#id_relief_paid_on", clock.today().isoformat())
    page.fill("#id_internal_notes", "Internal: the servicer only paid after two calls.")
    page.locator("label[for=id_share_with_company]").click()
    page.fill("#id_comments_to_company", "Thank you for refunding the consumer.")


def test_close_with_shared_pdf_reaches_company_closure_materials(
    page, base_url, settings, complaint, supervisor_a, company_user_x
):
    # The limit is a setting: lowered so a small file can stand for one over 1 GB.
    settings.REDRESS_UPLOAD_MAX_BYTES = 1_000
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)
    page.goto(f"{base_url}/complaints/{complaint.ref}/")
    page.get_by_role("link", name="Close complaint").click()
    expect(page.locator("h1")).to_have_text("Close complaint")
    assert_accessible(page)

    # A file over the limit: a clear error at the file input, nothing closed, nothing stored.
    _fill(page)
    page.locator("#id_files").set_input_files(
        [{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": PDF + b"0" * 2_000}]
    )
    page.get_by_role("button", name="Close complaint").click()
    expect(page.get_by_role("alert").filter(has_text="Closure documents")).to_contain_text(
        "File 'scan.pdf' is larger than"
    )
    assert_accessible(page)
    complaint.refresh_from_db()
    assert complaint.status == Status.OPEN and not Document.objects.exists()

    # The input was kept except the file; choose a real PDF and close.
    expect(page.locator("#id_comments_to_company")).to_have_value("Thank you for refunding the consumer.")
    page.locator("#id_files").set_input_files(
        [{"name": "closure-letter.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Close complaint").click()
    expect(page.locator("main")).to_contain_text(f"Complaint {complaint.ref} was closed.")
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert complaint.closures.get().monetary_relief_cents == 25_000
    page.get_by_role("link", name="All Closures").click()
    expect(page.locator("main")).to_contain_text("closure-letter.pdf")
    assert_accessible(page)

    # Company X: Closed, with the comment and the PDF, never the internal notes.
    page.context.clear_cookies()
    login(page, base_url, company_user_x, company_user_x.totp_secret)
    page.goto(f"{base_url}/company/complaints/{complaint.ref}/")
    expect(page.locator("main")).to_contain_text("closed")
    page.get_by_role("link", name="Closure Materials").click()
    expect(page.locator("h2")).to_have_text("Closure Materials")
    main = page.locator("main")
    expect(main).to_contain_text("Thank you for refunding the consumer.")
    expect(main).not_to_contain_text("Internal: the servicer")
    expect(main).not_to_contain_text("Closed with Monetary Relief")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="closure-letter.pdf").click()
    path = download.value.path()
    assert download.value.suggested_filename == "closure-letter.pdf"
    with open(path, "rb") as handle:
        assert handle.read() == PDF
