"""Documents chosen on the intake form: saved with the complaint, or the intake is refused whole."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from redress.complaints.models import Complaint
from redress.complaints.services import complaint_create
from redress.complaints.tests.conftest import intake_details
from redress.documents.models import Document

from .test_complaint_intake import _form

pytestmark = pytest.mark.django_db

URL = "/complaints/new/details/"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(name: str = "consumer-letter.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files() -> list[str]:
    root = settings.MEDIA_ROOT
    return [f for _, _, files in os.walk(root) for f in files] if os.path.isdir(root) else []


def test_form_is_multipart_with_documents_and_visibility(client, supervisor_a, company_x):
    client.force_login(supervisor_a)
    html = client.get(URL, {"subject": f"company:{company_x.pk}"}).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file"' in html and 'name="files"' in html and "multiple" in html
    assert 'name="documents_visibility"' in html and "Your agency only" in html


def test_documents_are_saved_and_downloadable_by_the_agency(client, supervisor_a, viewer_a, company_x):
    client.force_login(supervisor_a)
    response = client.post(
        URL,
        {
            "subject": f"company:{company_x.pk}",
            **_form(documents_visibility="agency_and_company"),
            "files": [pdf(), pdf("statement.pdf")],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    documents = Document.objects.filter(attached_type="complaints.complaint", attached_id=str(complaint.pk))
    assert sorted(d.original_name for d in documents) == ["consumer-letter.pdf", "statement.pdf"]
    assert {d.visibility for d in documents} == {"agency_and_company"}
    html = client.get(f"/complaints/{complaint.ref}/").content.decode()
    assert "consumer-letter.pdf" in html and "Shared with the company" in html
    document = documents.get(original_name="consumer-letter.pdf")
    assert f"/documents/{document.ref}/download/" in html
    client.force_login(viewer_a)
    download = client.get(f"/documents/{document.ref}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]


def test_a_refused_file_refuses_the_intake_and_saves_nothing(client, supervisor_a, company_x):
    client.force_login(supervisor_a)
    response = client.post(
        URL,
        {
            "subject": f"company:{company_x.pk}",
            **_form(),
            "files": [pdf(), SimpleUploadedFile("blank.pdf", b"", content_type="application/pdf")],
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "File &#x27;blank.pdf&#x27; is empty." in html and 'href="#id_files"' in html
    assert "Choose your files again" in html and "consumer-letter.pdf, blank.pdf" in html
    assert not Complaint.objects.exists() and not Document.objects.exists()
    assert stored_files() == []


def test_too_large_file_is_a_clear_error(settings, client, supervisor_a, company_x):
    settings.REDRESS_UPLOAD_MAX_BYTES = 10
    client.force_login(supervisor_a)
    response = client.post(URL, {"subject": f"company:{company_x.pk}", **_form(), "files": [pdf()]})
    assert response.status_code == 422
    assert "is larger than 10 bytes" in response.content.decode()
    assert not Complaint.objects.exists() and stored_files() == []


def test_files_must_be_chosen_again_after_the_duplicate_check(client, supervisor_a, company_x):
    complaint_create(
        actor=supervisor_a,
        subject_type="company",
        subject_id=company_x.pk,
        details=intake_details(),
        submit_for_review=False,
    )
    client.force_login(supervisor_a)
    response = client.post(URL, {"subject": f"company:{company_x.pk}", **_form(), "files": [pdf()]})
    html = response.content.decode()
    assert response.status_code == 200 and "This may be a duplicate" in html
    assert "Choose your files again" in html and "consumer-letter.pdf" in html
    assert Complaint.objects.count() == 1 and not Document.objects.exists() and stored_files() == []
    response = client.post(URL, {"subject": f"company:{company_x.pk}", **_form(not_duplicate="on"), "files": [pdf()]})
    assert response.status_code == 302
    assert Document.objects.get().attached_id == str(Complaint.objects.latest("id").pk)


def test_invalid_form_names_the_files_to_choose_again(client, supervisor_a, company_x):
    client.force_login(supervisor_a)
    response = client.post(URL, {"subject": f"company:{company_x.pk}", **_form(summary=""), "files": [pdf()]})
    html = response.content.decode()
    assert response.status_code == 422 and "Enter the summary." in html
    assert "Choose your files again" in html and not Document.objects.exists()


def test_company_portal_lists_only_shared_intake_documents(client, supervisor_a, company_user_x, company_x):
    from redress.complaints.tests.test_intake_documents import send_first_ir

    client.force_login(supervisor_a)
    files = [pdf("shared.pdf")]
    client.post(
        URL, {"subject": f"company:{company_x.pk}", **_form(documents_visibility="agency_and_company"), "files": files}
    )
    client.post(
        URL,
        {
            "subject": f"company:{company_x.pk}",
            **_form(cfpb_id="2", not_duplicate="on"),
            "files": [pdf("internal.pdf")],
        },
    )
    shared, internal = Complaint.objects.order_by("id")
    send_first_ir(supervisor_a, shared)
    send_first_ir(supervisor_a, internal)
    client.force_login(company_user_x)
    html = client.get(f"/company/complaints/{shared.ref}/").content.decode()
    assert "shared.pdf" in html
    html = client.get(f"/company/complaints/{internal.ref}/").content.decode()
    assert "internal.pdf" not in html
    document = Document.objects.get(original_name="internal.pdf")
    assert client.get(f"/documents/{document.ref}/download/").status_code == 404
