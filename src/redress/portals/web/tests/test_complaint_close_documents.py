"""The close form with closure documents (multipart): shared files reach the company's Closure
Materials, internal notes and unshared files never do, and a bad file changes nothing."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from redress.complaints.constants import Status
from redress.complaints.models import Closure, Complaint
from redress.complaints.services import complaint_create
from redress.complaints.tests.conftest import intake_details
from redress.documents.constants import DocumentVisibility
from redress.documents.models import Document

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _pdf(name: str, content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def complaint(supervisor_a, company_x) -> Complaint:
    complaint = complaint_create(
        actor=supervisor_a,
        subject_type="company",
        subject_id=company_x.pk,
        details=intake_details(),
        submit_for_review=False,
    )
    # The company reads a complaint once an IR was sent to it.
    Complaint.objects.filter(pk=complaint.pk).update(first_ir_sent_at=complaint.created_at)
    return complaint


def _close(client, complaint, **data):
    body = {"reason": "closed_with_explanation", "version": complaint.version, **data}
    return client.post(f"/complaints/{complaint.ref}/close/", body)


def test_close_form_is_multipart_with_a_multiple_file_input(client, complaint, supervisor_a):
    client.force_login(supervisor_a)
    html = client.get(f"/complaints/{complaint.ref}/close/").content.decode()
    assert 'enctype="multipart/form-data"' in html and 'hx-encoding="multipart/form-data"' in html
    assert 'type="file" multiple' in html and 'name="files"' in html
    assert '<label class="usa-label" for="id_files">' in html
    assert "Share closure comments and documents with the company" in html


def test_shared_closure_documents_reach_the_company(client, complaint, supervisor_a, company_user_x):
    client.force_login(supervisor_a)
    response = _close(
        client,
        complaint,
        internal_notes="Internal: the servicer was difficult.",
        share_with_company="on",
        comments_to_company="Thank you for refunding the consumer.",
        files=[_pdf("closure-letter.pdf"), _pdf("refund-proof.pdf")],
    )
    assert response.status_code == 302, response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    documents = Document.objects.order_by("original_name")
    assert [d.original_name for d in documents] == ["closure-letter.pdf", "refund-proof.pdf"]
    assert {d.visibility for d in documents} == {DocumentVisibility.AGENCY_AND_COMPANY}

    agency_tab = client.get(f"/complaints/{complaint.ref}/closures/").content.decode()
    assert "closure-letter.pdf" in agency_tab and "shared with the company" in agency_tab

    client.force_login(company_user_x)
    html = client.get(f"/company/complaints/{complaint.ref}/closure-materials/").content.decode()
    assert "Thank you for refunding the consumer." in html
    assert "closure-letter.pdf" in html and "refund-proof.pdf" in html
    assert "Internal: the servicer was difficult." not in html
    download = client.get(f"/documents/{documents[0].ref}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_unshared_closure_documents_stay_with_the_agency(client, complaint, supervisor_a, company_user_x):
    client.force_login(supervisor_a)
    response = _close(client, complaint, internal_notes="Agency only.", files=[_pdf("notes.pdf")])
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.visibility == DocumentVisibility.AGENCY_ONLY
    assert "notes.pdf" in client.get(f"/complaints/{complaint.ref}/closures/").content.decode()

    client.force_login(company_user_x)
    html = client.get(f"/company/complaints/{complaint.ref}/closure-materials/").content.decode()
    assert "notes.pdf" not in html and "Agency only." not in html
    assert client.get(f"/documents/{document.ref}/download/").status_code == 404


def _stored() -> list[str]:
    return [f for _, _, files in os.walk(settings.MEDIA_ROOT) for f in files]


def test_a_bad_file_keeps_the_complaint_open_and_stores_nothing(client, complaint, supervisor_a):
    client.force_login(supervisor_a)
    response = _close(
        client,
        complaint,
        share_with_company="on",
        comments_to_company="Thanks.",
        files=[_pdf("fine.pdf"), _pdf("empty.pdf", b"")],
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Closure documents: File &#x27;empty.pdf&#x27; is empty." in html
    assert 'href="#id_files"' in html and "The complaint was not closed." in html
    assert "Choose the closure documents again" in html
    complaint.refresh_from_db()
    assert complaint.status == Status.OPEN and not Closure.objects.exists()
    assert not Document.objects.exists() and _stored() == []


def test_too_large_file_is_a_clear_error(settings, client, complaint, supervisor_a):
    settings.REDRESS_UPLOAD_MAX_BYTES = 50
    client.force_login(supervisor_a)
    response = _close(client, complaint, files=[_pdf("big.pdf", b"%PDF" + b"x" * 100)])
    assert response.status_code == 422
    assert "is larger than" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.OPEN and not Document.objects.exists()


def test_field_errors_store_no_file(client, complaint, supervisor_a):
    client.force_login(supervisor_a)
    response = _close(client, complaint, reason="monetary_relief", files=[_pdf("letter.pdf")])
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter the amount of monetary relief paid." in html
    assert "No file was stored. Choose the closure documents again" in html
    assert not Document.objects.exists() and _stored() == []


def test_viewer_post_with_files_is_refused(client, complaint, viewer_a):
    client.force_login(viewer_a)
    response = _close(client, complaint, files=[_pdf("letter.pdf")])
    assert response.status_code == 403
    assert not Document.objects.exists() and not Closure.objects.exists()
