"""Documents on IRs and on company responses.

Invariants:
- The agency attaches documents to an IR only before it is sent (spec §2.3: after sending, the
  request's documents cannot change). They are stored as the agency's own documents, marked
  shared; the company of the complaint can read them once the IR has been sent (company rule).
- A company user attaches documents to the current round's response while they may edit it (the
  same rules as ``responses.response_save_draft``). They belong to the company, and the agency can
  read them only once that response is submitted (attachment rule registered below). Files of a
  response restricted from other company users are readable only by its drafter and the Company
  POC, by list and by direct link alike.
- Each upload is audited by the documents service and noted on the IR in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from redress.accounts.models import User
from redress.accounts.policy import Actor, actor_for
from redress.audit.services import audit_record
from redress.complaints.services import ensure_mutable
from redress.core.errors import ApplicationError, PermissionDenied
from redress.documents.constants import DocumentContext, DocumentVisibility
from redress.documents.models import Document
from redress.documents.selectors import register_attachment_rule, register_company_attachment_rule
from redress.documents.services import documents_upload

from . import errors, policy
from ._common import deny, locked_ir, save, transition
from .constants import UNSENT, IRAction, IRStatus, ResponseStatus
from .models import InformationRequest, IRResponse

RESPONSE_TYPE = "information_requests.irresponse"


def ir_attach_documents(*, actor: User, ref: str, files: Sequence[UploadedFile[bytes]]) -> list[Document]:
    who = actor_for(actor)
    with transaction.atomic():
        ir = locked_ir(who, ref)
        complaint = ir.complaint
        if policy.can_manage(who, complaint):
            ensure_mutable(complaint)
            if ir.status not in UNSENT:
                raise ApplicationError(
                    errors.LOCKED_AFTER_SEND, f"Information request {ir.ref} was sent; its documents cannot change."
                )
            documents = documents_upload(
                actor=actor,
                files=files,
                context=DocumentContext.IR,
                visibility=DocumentVisibility.AGENCY_AND_COMPANY,
                agency=complaint.agency,
                attached_to=ir,
            )
            save(ir, [])
            audit_record(
                actor=actor,
                action="ir.documents_attached",
                target=ir,
                new={"documents": [d.original_name for d in documents]},
                agency_id=complaint.agency_id,
                company_id=complaint.company_id,
            )
            return documents
    deny(actor, "ir.attach_documents", complaint, "Only Complaint Supervisors and Managers can do that.", ir)


def response_attach_documents(*, actor: User, ir_ref: str, files: Sequence[UploadedFile[bytes]]) -> list[Document]:
    who = actor_for(actor)
    with transaction.atomic():
        ir = locked_ir(who, ir_ref)
        complaint = ir.complaint
        if policy.can_respond(who, complaint):
            ensure_mutable(complaint)
            if ir.is_comment_only:
                raise ApplicationError(errors.COMMENT_ONLY, f"{ir.ref} is a comment; it takes no response.")
            transition(ir, IRAction.COMPANY_DRAFT)
            if ir.status == IRStatus.IN_COMPANY_REVIEW and complaint.company_poc_id != actor.pk:
                raise PermissionDenied("This response is with the Company POC for review; only they can change it now.")
            response = ir.responses.select_for_update().filter(round=ir.round).first()
            if response is None:
                raise ApplicationError(errors.REQUIRED, "Save a draft of the response before attaching documents.")
            if response.hidden_from_other_company_users and actor.pk not in (
                response.drafted_by_id,
                complaint.company_poc_id,
            ):
                raise PermissionDenied("This draft is restricted to its author and the Company POC.")
            documents = documents_upload(
                actor=actor,
                files=files,
                context=DocumentContext.RESPONSE,
                visibility=DocumentVisibility.AGENCY_AND_COMPANY,
                company=complaint.company,
                attached_to=response,
            )
            response.version += 1
            response.save(update_fields=["version"])
            audit_record(
                actor=actor,
                action="ir.response_documents_attached",
                target=ir,
                new={"round": response.round, "documents": [d.original_name for d in documents]},
                agency_id=complaint.agency_id,
                company_id=complaint.company_id,
            )
            return documents
    deny(actor, "ir.response_attach_documents", complaint, "Only company users with Manage access can do that.", ir)


def _agency_reads_submitted_response(actor: Actor, document: Document) -> bool:
    """Agency users of the owning agency read a response's files once it was submitted."""
    if not document.attached_id.isdigit():
        return False
    response = (
        IRResponse.objects.select_related("information_request__complaint")
        .filter(pk=int(document.attached_id), status=ResponseStatus.SUBMITTED)
        .first()
    )
    return response is not None and policy.can_view_ir(actor, response.information_request)


IR_TYPE = "information_requests.informationrequest"


def _company_reads_sent_ir_documents(actor: Actor, document: Document) -> bool:
    """The complaint's company reads an IR's documents once the IR was sent."""
    if not document.attached_id.isdigit():
        return False
    ir = InformationRequest.objects.select_related("complaint").filter(pk=int(document.attached_id)).first()
    return ir is not None and ir.complaint.agency_id == document.agency_id and policy.can_view_ir(actor, ir)


def _company_reads_response_documents(actor: Actor, document: Document) -> bool:
    """A restricted response's files are for its drafter and the Company POC only."""
    if not document.attached_id.isdigit():
        return False
    response = (
        IRResponse.objects.select_related("information_request__complaint").filter(pk=int(document.attached_id)).first()
    )
    if response is None or not policy.can_view_ir(actor, response.information_request):
        return False
    if not response.hidden_from_other_company_users:
        return True
    return actor.user.pk in (response.drafted_by_id, response.information_request.complaint.company_poc_id)


def _agency_reads_ir_documents(actor: Actor, document: Document) -> bool:
    """Another agency that may read the complaint (a granted access request, a pending referral to
    it) reads the documents of its IRs that the complaint's owner holds."""
    if not document.attached_id.isdigit():
        return False
    ir = InformationRequest.objects.select_related("complaint").filter(pk=int(document.attached_id)).first()
    return ir is not None and ir.complaint.agency_id == document.agency_id and policy.can_view_ir(actor, ir)


register_attachment_rule(RESPONSE_TYPE, _agency_reads_submitted_response)
register_attachment_rule(IR_TYPE, _agency_reads_ir_documents)
register_company_attachment_rule(RESPONSE_TYPE, _company_reads_response_documents)
register_company_attachment_rule(IR_TYPE, _company_reads_sent_ir_documents)
