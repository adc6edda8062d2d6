"""Closure documents: new files or documents uploaded earlier (by ref) are stored with the closure
in one transaction, shared with the company only when the closure is; a bad file or a bad ref
leaves the complaint open and stores nothing."""

from __future__ import annotations

import os
import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from redress.audit.models import AuditEvent
from redress.complaints import services
from redress.complaints.constants import Status
from redress.complaints.models import Closure
from redress.core.errors import ApplicationError, PermissionDenied
from redress.documents.constants import DocumentContext, DocumentVisibility
from redress.documents.models import Document
from redress.documents.selectors import documents_attached_to
from redress.documents.services import documents_upload

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
RELIEF = {"reason": "closed_with_explanation", "internal_notes": "Internal: refund checked with the servicer."}
SHARED = {**RELIEF, "share_with_company": True, "comments_to_company": "Thank you for the refund."}


def pdf(name: str = "closure-letter.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files() -> list[str]:
    root = settings.MEDIA_ROOT
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files]


def loose(actor, agency, name: str = "letter.pdf", **kwargs) -> Document:
    """A document uploaded on its own, as POST /api/v1/documents does."""
    return documents_upload(
        actor=actor,
        files=[pdf(name)],
        context=DocumentContext.OTHER,
        visibility=kwargs.pop("visibility", DocumentVisibility.AGENCY_ONLY),
        agency=agency,
        **kwargs,
    )[0]


@pytest.fixture
def company_reader(company_user_x):
    return company_user_x


@pytest.fixture
def open_complaint(make_complaint, supervisor_a):
    complaint = make_complaint(supervisor_a)
    # The company sees a complaint once an IR was sent; the closure rules do not depend on it.
    complaint.first_ir_sent_at = complaint.created_at
    complaint.save(update_fields=["first_ir_sent_at"])
    return complaint


def test_refs_become_shared_closure_documents(open_complaint, supervisor_a, manager_a, agency_a, company_reader):
    first = loose(manager_a, agency_a, "refund-proof.pdf")
    second = loose(supervisor_a, agency_a, "letter.pdf", visibility=DocumentVisibility.AGENCY_AND_COMPANY)
    closure = services.complaint_close(
        actor=supervisor_a,
        ref=open_complaint.ref,
        closure=SHARED,
        expected_version=None,
        document_refs=[str(first.ref), str(second.ref).upper(), str(first.ref)],
        files=[pdf("new.pdf")],
    )
    docs = {d.original_name: d for d in Document.objects.all()}
    assert set(docs) == {"refund-proof.pdf", "letter.pdf", "new.pdf"}
    for d in docs.values():
        assert (d.context, d.visibility, d.company) == (
            DocumentContext.CLOSURE,
            DocumentVisibility.AGENCY_AND_COMPANY,
            open_complaint.company,
        )
        assert (d.attached_type, d.attached_id) == ("complaints.closure", str(closure.pk))
    assert docs["refund-proof.pdf"].version == 2
    seen = documents_attached_to(actor=company_reader, attached_type="complaints.closure", attached_id=str(closure.pk))
    assert {d.original_name for d in seen} == set(docs)
    attached = AuditEvent.objects.filter(action="document.attached")
    assert attached.count() == 2
    assert AuditEvent.objects.get(action="complaint.closed").new_values["documents"] == 3


def test_unshared_refs_stay_with_the_agency(open_complaint, supervisor_a, agency_a, company_reader):
    # Uploaded marked "agency and company", but the closure is not shared: the closure decides.
    document = loose(supervisor_a, agency_a, visibility=DocumentVisibility.AGENCY_AND_COMPANY)
    closure = services.complaint_close(
        actor=supervisor_a,
        ref=open_complaint.ref,
        closure=RELIEF,
        expected_version=None,
        document_refs=[str(document.ref)],
    )
    document.refresh_from_db()
    assert (document.visibility, document.company_id) == (DocumentVisibility.AGENCY_ONLY, None)
    assert not documents_attached_to(
        actor=company_reader, attached_type="complaints.closure", attached_id=str(closure.pk)
    )


def snapshot(*objs):
    out = []
    for obj in objs:
        obj.refresh_from_db()
        out.append({f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields})
    return out


@pytest.mark.parametrize("case", ["unknown", "malformed", "other_agency", "company_owned", "attached", "disposed"])
def test_bad_refs_refuse_the_closure_and_change_nothing(
    case, open_complaint, supervisor_a, supervisor_b, agency_a, agency_b, company_admin_x, company_x
):
    good = loose(supervisor_a, agency_a, "good.pdf")
    if case == "unknown":
        bad_ref = str(uuid.uuid4())
    elif case == "malformed":
        bad_ref = "not-a-ref"
    elif case == "other_agency":
        bad_ref = str(loose(supervisor_b, agency_b).ref)
    elif case == "company_owned":
        bad_ref = str(
            documents_upload(
                actor=company_admin_x,
                files=[pdf()],
                context=DocumentContext.OTHER,
                visibility=DocumentVisibility.AGENCY_AND_COMPANY,
                company=company_x,
            )[0].ref
        )
    elif case == "attached":
        bad_ref = str(loose(supervisor_a, agency_a, attached_to=open_complaint).ref)
    else:
        disposed = loose(supervisor_a, agency_a)
        Document.objects.filter(pk=disposed.pk).update(disposed_at=disposed.uploaded_at)
        bad_ref = str(disposed.ref)
    before = snapshot(open_complaint, *Document.objects.order_by("pk"))
    events = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as exc:
        services.complaint_close(
            actor=supervisor_a,
            ref=open_complaint.ref,
            closure=SHARED,
            expected_version=None,
            document_refs=[str(good.ref), bad_ref],
            files=[pdf("new.pdf")],
        )
    assert exc.value.code == "invalid_document_ref" and exc.value.status == 422
    assert exc.value.field == "document_refs" and exc.value.extra["refs"] == [bad_ref.lower()]
    assert bad_ref.lower() in exc.value.detail and str(good.ref) not in exc.value.detail
    assert snapshot(open_complaint, *Document.objects.order_by("pk")) == before
    assert open_complaint.status == Status.OPEN and not Closure.objects.exists()
    assert not Document.objects.filter(original_name="new.pdf").exists()
    assert AuditEvent.objects.count() == events


def test_bad_file_refuses_the_closure_and_stores_no_bytes(open_complaint, supervisor_a, agency_a):
    good = loose(supervisor_a, agency_a, "good.pdf")
    files_before = stored_files()
    assert len(files_before) == 1
    with pytest.raises(ApplicationError) as exc:
        services.complaint_close(
            actor=supervisor_a,
            ref=open_complaint.ref,
            closure=SHARED,
            expected_version=None,
            document_refs=[str(good.ref)],
            files=[pdf("fine.pdf"), SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf")],
        )
    assert exc.value.code == "upload_empty"
    open_complaint.refresh_from_db()
    good.refresh_from_db()
    assert open_complaint.status == Status.OPEN and not Closure.objects.exists()
    assert good.attached_type == "" and good.context == DocumentContext.OTHER
    assert list(Document.objects.all()) == [good]
    assert stored_files() == files_before


def test_too_many_refs_are_refused(settings, open_complaint, supervisor_a):
    settings.REDRESS_UPLOAD_MAX_FILES = 2
    with pytest.raises(ApplicationError) as exc:
        services.complaint_close(
            actor=supervisor_a,
            ref=open_complaint.ref,
            closure=RELIEF,
            expected_version=None,
            document_refs=[str(uuid.uuid4()) for _ in range(3)],
        )
    assert exc.value.code == "too_many_documents"
    assert not Closure.objects.exists()


def test_viewer_cannot_close_with_refs(open_complaint, supervisor_a, viewer_a, agency_a):
    document = loose(supervisor_a, agency_a)
    with pytest.raises(PermissionDenied):
        services.complaint_close(
            actor=viewer_a,
            ref=open_complaint.ref,
            closure=RELIEF,
            expected_version=None,
            document_refs=[str(document.ref)],
        )
    document.refresh_from_db()
    assert document.attached_type == "" and not Closure.objects.exists()
