"""Documents on IRs (agency, before sending) and on responses (company, agency reads once submitted)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from redress.core.errors import ApplicationError, NotFound, PermissionDenied
from redress.documents.models import Document
from redress.documents.selectors import document_get_for
from redress.information_requests import responses, services
from redress.information_requests.attachments import ir_attach_documents, response_attach_documents

from .conftest import later

pytestmark = pytest.mark.django_db


def _pdf(name="letter.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test body")


def test_agency_documents_only_before_sending(cast, make_complaint, add_ir, vera):
    mark = cast["mark"]
    complaint = make_complaint(mark)
    ir = add_ir(mark, complaint, due=later())
    with pytest.raises(PermissionDenied):
        ir_attach_documents(actor=vera, ref=ir.ref, files=[_pdf()])
    [doc] = ir_attach_documents(actor=mark, ref=ir.ref, files=[_pdf()])
    assert doc.attached_id == str(ir.pk) and doc.company_id is None
    with pytest.raises(NotFound):  # the company reads an IR's documents only once it is sent
        document_get_for(actor=cast["xander"], ref=str(doc.ref))
    services.ir_send(actor=mark, complaint_ref=complaint.ref, refs=[ir.ref])
    with pytest.raises(ApplicationError) as exc:
        ir_attach_documents(actor=mark, ref=ir.ref, files=[_pdf("second.pdf")])
    assert exc.value.code == "ir_locked_after_send"
    assert Document.objects.count() == 1
    assert document_get_for(actor=cast["xander"], ref=str(doc.ref)) == doc


def test_sent_ir_documents_stay_within_the_complaints_company(cast, make_complaint, add_ir, company_admin_y):
    mark = cast["mark"]
    complaint = make_complaint(mark)
    ir = add_ir(mark, complaint, due=later())
    [doc] = ir_attach_documents(actor=mark, ref=ir.ref, files=[_pdf()])
    services.ir_send(actor=mark, complaint_ref=complaint.ref, refs=[ir.ref])
    with pytest.raises(NotFound):
        document_get_for(actor=company_admin_y, ref=str(doc.ref))


def test_restricted_response_files_are_refused_by_direct_link(with_poc, cast):
    ir, xiu, xavi, xena = with_poc, cast["xiu"], cast["xavi"], cast["xena"]
    responses.response_save_draft(actor=xiu, ir_ref=ir.ref, text="Private", hidden=True, expected_version=None)
    [doc] = response_attach_documents(actor=xiu, ir_ref=ir.ref, files=[_pdf("private.pdf")])
    with pytest.raises(NotFound):
        document_get_for(actor=xena, ref=str(doc.ref))
    assert document_get_for(actor=xiu, ref=str(doc.ref)) == doc
    assert document_get_for(actor=xavi, ref=str(doc.ref)) == doc


def test_response_documents_reach_the_agency_only_after_submission(with_poc, cast, supervisor_b):
    ir, xiu, xavi, alice = with_poc, cast["xiu"], cast["xavi"], cast["alice"]
    with pytest.raises(ApplicationError):
        response_attach_documents(actor=xiu, ir_ref=ir.ref, files=[_pdf()])  # no draft yet
    responses.response_save_draft(actor=xiu, ir_ref=ir.ref, text="See the ledger.", expected_version=None)
    [doc] = response_attach_documents(actor=xiu, ir_ref=ir.ref, files=[_pdf("ledger.pdf")])
    assert document_get_for(actor=xavi, ref=str(doc.ref)) == doc
    with pytest.raises(NotFound):
        document_get_for(actor=alice, ref=str(doc.ref))
    responses.response_submit(actor=xavi, ir_ref=ir.ref, expected_version=None)
    assert document_get_for(actor=alice, ref=str(doc.ref)) == doc
    with pytest.raises(NotFound):
        document_get_for(actor=supervisor_b, ref=str(doc.ref))
    with pytest.raises(ApplicationError):
        response_attach_documents(actor=xavi, ir_ref=ir.ref, files=[_pdf("late.pdf")])
    assert Document.objects.count() == 1


def test_document_lists_follow_the_hidden_flag_and_submission(with_poc, cast, add_ir):
    from redress.information_requests import selectors

    ir, xiu, xavi, xena, alice = with_poc, cast["xiu"], cast["xavi"], cast["xena"], cast["alice"]
    responses.response_save_draft(actor=xiu, ir_ref=ir.ref, text="Private", hidden=True, expected_version=None)
    [doc] = response_attach_documents(actor=xiu, ir_ref=ir.ref, files=[_pdf("private.pdf")])
    assert selectors.company_response_documents(actor=xena, ir_ref=ir.ref) == []
    assert selectors.company_response_documents(actor=xiu, ir_ref=ir.ref) == [doc]
    assert selectors.company_response_documents(actor=xavi, ir_ref=ir.ref) == [doc]
    assert selectors.ir_documents_for(actor=alice, ir_ref=ir.ref) == []
    responses.response_submit(actor=xavi, ir_ref=ir.ref, expected_version=None)
    assert selectors.ir_documents_for(actor=alice, ir_ref=ir.ref) == [doc]
