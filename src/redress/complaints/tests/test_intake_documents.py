"""Documents entered with the complaint: stored with it in one transaction, or not at all."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from redress.audit.models import AuditEvent
from redress.complaints import services
from redress.complaints.document_access import complaint_documents_for
from redress.complaints.models import Complaint
from redress.core.errors import ApplicationError, NotFound
from redress.documents.constants import DocumentContext, DocumentVisibility
from redress.documents.models import Document
from redress.documents.selectors import document_get_for, documents_for_agency
from redress.documents.services import documents_upload
from redress.information_requests import services as irs

from .conftest import intake_details
from .test_scenarios import PDF, later

pytestmark = pytest.mark.django_db


def stored_files() -> list[str]:
    root = settings.MEDIA_ROOT
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files] if os.path.isdir(root) else []


def create(actor, company, **kwargs):
    return services.complaint_create(
        actor=actor,
        subject_type="company",
        subject_id=company.pk,
        details=intake_details(),
        submit_for_review=False,
        **kwargs,
    )


def letter(name: str = "consumer-letter.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def loose(actor, agency, name: str = "earlier.pdf") -> Document:
    return documents_upload(
        actor=actor,
        files=[letter(name)],
        context=DocumentContext.OTHER,
        visibility=DocumentVisibility.AGENCY_ONLY,
        agency=agency,
    )[0]


def send_first_ir(actor, complaint: Complaint) -> None:
    ir = irs.ir_create(
        actor=actor, complaint_ref=complaint.ref, title="Account history", description="Send it.", due_date=later()
    )
    irs.ir_send(actor=actor, complaint_ref=complaint.ref, refs=[ir.ref])
    complaint.refresh_from_db()


def test_files_are_stored_with_the_complaint(supervisor_a, agency_a, company_x):
    complaint = create(supervisor_a, company_x, files=[letter(), letter("notes.txt", b"call notes\n")])
    documents = complaint_documents_for(actor=supervisor_a, complaint=complaint)
    assert sorted(d.original_name for d in documents) == ["consumer-letter.pdf", "notes.txt"]
    for d in documents:
        assert d.context == DocumentContext.INTAKE and d.visibility == DocumentVisibility.AGENCY_ONLY
        assert d.agency == agency_a and d.company is None
        assert (d.attached_type, d.attached_id) == ("complaints.complaint", str(complaint.pk))
    assert len(stored_files()) == 2
    assert AuditEvent.objects.filter(action="document.uploaded", agency_id=agency_a.pk).count() == 2


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        (SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf"), "upload_empty"),
        (SimpleUploadedFile("x" * 250 + ".pdf", PDF, content_type="application/pdf"), "upload_name_too_long"),
    ],
)
def test_a_refused_file_refuses_the_whole_intake(supervisor_a, company_x, bad, code):
    with pytest.raises(ApplicationError) as exc:
        create(supervisor_a, company_x, files=[letter(), bad])
    assert exc.value.code == code and exc.value.field == "files"
    assert not Complaint.objects.exists() and not Document.objects.exists()
    assert stored_files() == []
    assert not AuditEvent.objects.filter(action="complaint.created").exists()


def test_too_large_file_refuses_the_intake(settings, supervisor_a, company_x):
    settings.REDRESS_UPLOAD_MAX_BYTES = len(PDF) - 1
    with pytest.raises(ApplicationError) as exc:
        create(supervisor_a, company_x, files=[letter()])
    assert exc.value.code == "upload_too_large"
    assert not Complaint.objects.exists() and stored_files() == []


def test_a_later_failure_removes_the_bytes_already_written(monkeypatch, supervisor_a, company_x):
    """Files are the last step, and a failure after the first byte leaves nothing behind either."""
    from redress.documents import services as document_services

    real = document_services.audit_record
    calls = {"n": 0}

    def fail_on_second_document(**kwargs):
        if kwargs.get("action") == "document.uploaded":
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("storage hiccup")
        return real(**kwargs)

    monkeypatch.setattr(document_services, "audit_record", fail_on_second_document)
    with pytest.raises(RuntimeError):
        create(supervisor_a, company_x, files=[letter("a.pdf"), letter("b.pdf")])
    assert not Complaint.objects.exists() and not Document.objects.exists()
    assert stored_files() == []


def test_loose_documents_are_attached_by_ref(supervisor_a, agency_a, company_x):
    earlier = loose(supervisor_a, agency_a)
    complaint = create(
        supervisor_a, company_x, document_refs=[str(earlier.ref)], documents_visibility="agency_and_company"
    )
    earlier.refresh_from_db()
    assert (earlier.attached_type, earlier.attached_id) == ("complaints.complaint", str(complaint.pk))
    assert earlier.context == DocumentContext.INTAKE and earlier.visibility == DocumentVisibility.AGENCY_AND_COMPANY
    assert earlier.company is None
    assert earlier not in documents_for_agency(actor=supervisor_a)
    # Once attached it cannot be attached again.
    with pytest.raises(ApplicationError) as exc:
        create(supervisor_a, company_x, document_refs=[str(earlier.ref)])
    assert exc.value.code == "invalid_document_ref" and exc.value.field == "document_refs"
    assert Complaint.objects.count() == 1


def test_another_agencys_or_unknown_ref_refuses_the_intake(supervisor_a, supervisor_b, agency_b, company_x):
    theirs = loose(supervisor_b, agency_b)
    for refs in ([str(theirs.ref)], ["00000000-0000-4000-8000-000000000000"], ["not-a-ref"]):
        with pytest.raises(ApplicationError) as exc:
            create(supervisor_a, company_x, document_refs=refs, files=[letter()])
        assert exc.value.code == "invalid_document_ref"
    assert not Complaint.objects.exists()
    theirs.refresh_from_db()
    assert theirs.attached_type == "" and theirs.agency == agency_b
    assert Document.objects.count() == 1 and len(stored_files()) == 1


def test_bad_visibility_is_refused(supervisor_a, company_x):
    with pytest.raises(ApplicationError) as exc:
        create(supervisor_a, company_x, files=[letter()], documents_visibility="everyone")
    assert exc.value.field == "documents_visibility"
    assert not Complaint.objects.exists() and stored_files() == []


def test_company_reads_shared_intake_documents_only_once_it_sees_the_complaint(
    supervisor_a, company_x, company_y, company_user_x, company_admin_y
):
    complaint = create(supervisor_a, company_x, files=[letter("shared.pdf")], documents_visibility="agency_and_company")
    private = create(supervisor_a, company_x, files=[letter("private.pdf")])
    shared_doc = complaint_documents_for(actor=supervisor_a, complaint=complaint)[0]
    private_doc = complaint_documents_for(actor=supervisor_a, complaint=private)[0]
    with pytest.raises(NotFound):
        document_get_for(actor=company_user_x, ref=shared_doc.ref)
    send_first_ir(supervisor_a, complaint)
    send_first_ir(supervisor_a, private)
    assert document_get_for(actor=company_user_x, ref=shared_doc.ref) == shared_doc
    assert complaint_documents_for(actor=company_user_x, complaint=complaint) == [shared_doc]
    assert complaint_documents_for(actor=company_user_x, complaint=private) == []
    for user, ref in ((company_user_x, private_doc.ref), (company_admin_y, shared_doc.ref)):
        with pytest.raises(NotFound):
            document_get_for(actor=user, ref=ref)


def test_viewers_cannot_create_with_documents(viewer_a, company_x):
    with pytest.raises(ApplicationError):
        create(viewer_a, company_x, files=[letter()])
    assert not Document.objects.exists() and stored_files() == []
