"""The Information Request exchange, for both sides.

Agency side: ``/complaints/{ref}/information-requests`` and ``/information-requests/{ir_ref}``
(draft, edit, remove, bulk due date, send, comment, extend, cancel, remind, Quick Look, send back).
Company side: ``/company/...`` (my company's complaints with A+C fields only, IRs, response drafts
with documents, send to the Company POC, submit, send-back request, Company POC assignment).

Writes on an existing IR or complaint need the version the caller last read, as ``If-Match``
(the ETag of GET) or as ``version`` in the body; with neither the answer is 428, stale is 412.
Company responses never carry Quick Look or any other agency-only field.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field as F
from ninja import Query, Router, UploadedFile
from ninja.params import functions as params

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.complaints.constants import OPEN_STATUSES
from redress.complaints.exchange import can_assign_company_poc, company_poc_assign, company_poc_candidates
from redress.complaints.models import Complaint
from redress.complaints.selectors import complaint_get_for, complaint_list_for
from redress.complaints.subrecords import closures_for
from redress.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from redress.documents.models import Document
from redress.documents.selectors import documents_attached_to
from redress.information_requests import composed, services
from redress.information_requests.attachments import ir_attach_documents, response_attach_documents
from redress.information_requests.exchange_reads import ir_version_for, response_documents_for
from redress.information_requests.models import InformationRequest
from redress.information_requests.responses import (
    ir_request_send_back,
    response_save_draft,
    response_send_to_poc,
    response_submit,
)
from redress.information_requests.selectors import (
    CompanyIR,
    CompanyIRFilters,
    company_ir_get_for,
    company_ir_list_for,
    company_irs_for_complaint,
    ir_get_for,
    ir_search_in_complaint,
)

from ..concurrency import expected_version, set_etag
from ..concurrency import version_from as _version
from ..errors import responses
from ..idempotency import idempotent
from ..pagination import PageParams, clamp_limit, page_response, paginate
from ..schemas.documents import DocumentList, DocumentOut
from ..schemas.information_requests import (
    AgencyResponseOut,
    AssignCompanyPocIn,
    BulkDueDateIn,
    CancelIn,
    CandidateList,
    ClosureMaterialList,
    CommentIn,
    CompanyComplaintOut,
    CompanyComplaintPage,
    CompanyIROut,
    CompanyIRPage,
    CompanyResponseOut,
    DocumentRef,
    DueDateChangeOut,
    ExtendIn,
    IRCreateIn,
    IROut,
    IRPage,
    IRPatch,
    IRSendIn,
    QuickLookIn,
    ReminderOut,
    ResponseDraftIn,
    ResponseDraftPatch,
    SendBackIn,
    SendBackOut,
    SendBackRequestIn,
    SubmitIn,
    Versioned,
)
from ._common import COMPLAINT_REF, IDEMPOTENCY_KEY, IF_MATCH, caller

router = Router(tags=["Information requests"])
company_router = Router(tags=["Company"])

_REF_PATTERN = r"^[A-Za-z0-9-]{1,20}$"
REF = COMPLAINT_REF
IR_REF = params.Path(..., pattern=_REF_PATTERN, description="The IR ID, e.g. IR-2026-000045.")
_NO_NUL = r"^[^\x00]*$"
_MAX_ID = 2**63 - 1
FILES = params.File(..., description="One or more files.")


def _name(user: User | None) -> str:
    return (user.full_name or user.email) if user is not None else ""


def _docs(documents: Sequence[Document]) -> list[DocumentRef]:
    return [DocumentRef(ref=d.ref, original_name=d.original_name, size=d.size) for d in documents]


def _send_back_out(s: Any) -> SendBackOut:
    return SendBackOut(round=s.round, kind=s.kind, text=s.text, new_due_date=s.new_due_date, created_at=s.created_at)


# =================================================================================================
# Agency side
# =================================================================================================


def _ir_out(ir: InformationRequest, documents: dict[int, list[Document]] | None = None) -> IROut:
    docs = documents or {}
    return IROut(
        ref=ir.ref,
        complaint_ref=ir.complaint.ref,
        number=ir.number,
        title=ir.title,
        description=ir.description,
        status=ir.status,
        status_label=ir.get_status_display(),
        is_comment_only=ir.is_comment_only,
        due_date=ir.due_date,
        original_due_date=ir.original_due_date,
        send_comment=ir.send_comment,
        round=ir.round,
        sent_at=ir.sent_at,
        response_received_at=ir.response_received_at,
        canceled_at=ir.canceled_at,
        quick_look_complete=ir.quick_look_complete,
        quick_look_by=_name(ir.quick_look_by),
        quick_look_at=ir.quick_look_at,
        version=ir.version,
        responses=[
            AgencyResponseOut(
                round=r.round,
                text=r.text,
                submitted_by=_name(r.submitted_by),
                submitted_at=r.submitted_at,
                timely=r.is_timely,
                documents=_docs(docs.get(r.round, [])),
            )
            for r in getattr(ir, "submitted_responses", [])
        ],
        send_backs=[_send_back_out(s) for s in ir.send_backs.all()],
        reminders=[
            ReminderOut(kind=r.kind, sent_at=r.sent_at, recipients=list(r.recipients)) for r in ir.reminders.all()
        ],
        due_date_changes=[
            DueDateChangeOut(
                old_due_date=c.old_due_date, new_due_date=c.new_due_date, reason=c.reason, changed_at=c.changed_at
            )
            for c in ir.due_date_changes.all()
        ],
    )


def _agency_ir(user: User, response: HttpResponse | None, ir_ref: str) -> IROut:
    ir = ir_get_for(actor=user, ir_ref=ir_ref)
    if response is not None:
        set_etag(response, ir.version)
    return _ir_out(ir, response_documents_for(actor=user, ir_ref=ir.ref))


class IRQuery(PageParams):
    q: str = F("", max_length=200, pattern=_NO_NUL, description="Search IR titles, request and response texts.")


@router.get(
    "/complaints/{ref}/information-requests",
    response=responses({200: IRPage}, 404),
    summary="Information requests of a complaint (agency)",
    description="In number order. Response documents are listed on the single IR.",
)
def list_irs(request: HttpRequest, query: Query[IRQuery], ref: str = REF) -> dict[str, Any]:
    qs = ir_search_in_complaint(actor=caller(request), ref=ref, q=query.q)
    return page_response(paginate(qs, keys=("number", "id"), cursor=query.cursor, limit=query.limit), _ir_out)


@router.post(
    "/complaints/{ref}/information-requests",
    response=responses({201: IROut}, 404, 409),
    summary="Add an information request (draft or ready to send)",
)
def create_ir(
    request: HttpRequest, payload: IRCreateIn, ref: str = REF, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> HttpResponse:
    user = caller(request)

    def create() -> tuple[int, Any, dict[str, str]]:
        ir = services.ir_create(
            actor=user,
            complaint_ref=ref,
            title=payload.title,
            description=payload.description,
            due_date=payload.due_date,
            ready=payload.ready,
        )
        out = _agency_ir(user, None, ir.ref)
        location = reverse("api:get_ir", kwargs={"ir_ref": ir.ref})
        return 201, out, {"Location": location, "ETag": f'"{out.version}"'}

    return idempotent(request, idempotency_key, create)


@router.post(
    "/complaints/{ref}/information-requests/send",
    response=responses({200: IRPage}, 404, 409),
    summary="Send information requests as one batch",
    description=(
        "Every IR of the batch needs a future due date, or nothing is sent. A company with no users yet can"
        " have its first user invited in the same call (`first_user`)."
    ),
)
def send_irs(request: HttpRequest, payload: IRSendIn, ref: str = REF) -> dict[str, Any]:
    user = caller(request)
    first_user = composed.FirstUser(**payload.first_user.dict()) if payload.first_user else None
    sent, _ = composed.ir_send_inviting_first_user(
        actor=user, complaint_ref=ref, refs=payload.refs, comment=payload.comment, first_user=first_user
    )
    return {"items": [_agency_ir(user, None, ir.ref) for ir in sent], "next_cursor": None}


@router.post(
    "/complaints/{ref}/information-requests/due-date",
    response=responses({200: IRPage}, 404, 409),
    summary="Bulk due date",
    description="Gives the chosen unsent IRs that have no due date yet this one; returns the IRs it changed.",
)
def bulk_due_date(request: HttpRequest, payload: BulkDueDateIn, ref: str = REF) -> dict[str, Any]:
    user = caller(request)
    changed = services.ir_bulk_set_due_date(actor=user, complaint_ref=ref, refs=payload.refs, due_date=payload.due_date)
    return {"items": [_agency_ir(user, None, ir.ref) for ir in changed], "next_cursor": None}


@router.post(
    "/complaints/{ref}/comments",
    response=responses({201: IROut}, 404, 409),
    summary="Send a comment (no question) to the company",
    description="Possible once a first information request was sent.",
)
def send_comment(
    request: HttpRequest, payload: CommentIn, ref: str = REF, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> HttpResponse:
    user = caller(request)

    def create() -> tuple[int, Any, dict[str, str]]:
        ir = services.ir_send_comment(actor=user, complaint_ref=ref, title=payload.title, text=payload.text)
        out = _agency_ir(user, None, ir.ref)
        return 201, out, {"Location": reverse("api:get_ir", kwargs={"ir_ref": ir.ref}), "ETag": f'"{out.version}"'}

    return idempotent(request, idempotency_key, create)


@router.get("/information-requests/{ir_ref}", response=responses({200: IROut}, 404), summary="One information request")
def get_ir(request: HttpRequest, response: HttpResponse, ir_ref: str = IR_REF) -> IROut:
    return _agency_ir(caller(request), response, ir_ref)


_IR_ACTION = responses({200: IROut}, 404, 409, 412, 428)


@router.patch("/information-requests/{ir_ref}", response=_IR_ACTION, summary="Change an unsent IR (If-Match)")
def patch_ir(
    request: HttpRequest,
    response: HttpResponse,
    payload: IRPatch,
    ir_ref: str = IR_REF,
    if_match: str | None = IF_MATCH,
) -> IROut:
    user = caller(request)
    version = expected_version(if_match)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None or k == "due_date"}
    services.ir_update(actor=user, ref=ir_ref, changes=changes, expected_version=version)
    return _agency_ir(user, response, ir_ref)


@router.delete(
    "/information-requests/{ir_ref}",
    response=responses({204: None}, 404, 409, 412, 428),
    summary="Remove an IR that was never sent (If-Match)",
)
def delete_ir(request: HttpRequest, ir_ref: str = IR_REF, if_match: str | None = IF_MATCH) -> tuple[int, None]:
    services.ir_remove(actor=caller(request), ref=ir_ref, expected_version=expected_version(if_match))
    return 204, None


@router.post("/information-requests/{ir_ref}/extend", response=_IR_ACTION, summary="Extend the due date")
def extend_ir(
    request: HttpRequest,
    response: HttpResponse,
    payload: ExtendIn,
    ir_ref: str = IR_REF,
    if_match: str | None = IF_MATCH,
) -> IROut:
    user = caller(request)
    services.ir_extend(
        actor=user, ref=ir_ref, new_due_date=payload.due_date, expected_version=_version(if_match, payload)
    )
    return _agency_ir(user, response, ir_ref)


@router.post("/information-requests/{ir_ref}/cancel", response=_IR_ACTION, summary="Cancel an outstanding IR")
def cancel_ir(
    request: HttpRequest,
    response: HttpResponse,
    payload: CancelIn,
    ir_ref: str = IR_REF,
    if_match: str | None = IF_MATCH,
) -> IROut:
    user = caller(request)
    services.ir_cancel(actor=user, ref=ir_ref, reason=payload.reason, expected_version=_version(if_match, payload))
    return _agency_ir(user, response, ir_ref)


@router.post(
    "/information-requests/{ir_ref}/remind",
    response=responses({201: IROut}, 404, 409),
    summary="Send a reminder to the company",
    description="Goes to the Company POC, or the Complaints Contact and extra addresses when no POC is assigned.",
)
def remind_ir(
    request: HttpRequest, ir_ref: str = IR_REF, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> HttpResponse:
    user = caller(request)

    def create() -> tuple[int, Any, dict[str, str]]:
        services.ir_remind(actor=user, ref=ir_ref)
        out = _agency_ir(user, None, ir_ref)
        return 201, out, {"ETag": f'"{out.version}"'}

    return idempotent(request, idempotency_key, create)


@router.post(
    "/information-requests/{ir_ref}/quick-look", response=_IR_ACTION, summary="Set or clear Quick Look Complete"
)
def quick_look_ir(
    request: HttpRequest,
    response: HttpResponse,
    payload: QuickLookIn,
    ir_ref: str = IR_REF,
    if_match: str | None = IF_MATCH,
) -> IROut:
    user = caller(request)
    services.ir_quick_look(
        actor=user, ref=ir_ref, complete=payload.complete, expected_version=_version(if_match, payload)
    )
    return _agency_ir(user, response, ir_ref)


@router.post(
    "/information-requests/{ir_ref}/send-back",
    response=_IR_ACTION,
    summary="Send a received response back with a new due date and an explanation",
)
def send_back_ir(
    request: HttpRequest,
    response: HttpResponse,
    payload: SendBackIn,
    ir_ref: str = IR_REF,
    if_match: str | None = IF_MATCH,
) -> IROut:
    user = caller(request)
    services.ir_send_back(
        actor=user,
        ref=ir_ref,
        new_due_date=payload.due_date,
        explanation=payload.explanation,
        expected_version=_version(if_match, payload),
    )
    return _agency_ir(user, response, ir_ref)


@router.post(
    "/information-requests/{ir_ref}/decline-send-back",
    response=_IR_ACTION,
    summary="Decline the company's send-back request",
)
def decline_send_back_ir(
    request: HttpRequest,
    response: HttpResponse,
    payload: Versioned,
    ir_ref: str = IR_REF,
    if_match: str | None = IF_MATCH,
) -> IROut:
    user = caller(request)
    services.ir_decline_send_back(actor=user, ref=ir_ref, expected_version=_version(if_match, payload))
    return _agency_ir(user, response, ir_ref)


@router.post(
    "/information-requests/{ir_ref}/documents",
    response=responses({201: DocumentList}, 404, 409, 413),
    summary="Attach documents to an unsent IR",
)
def attach_ir_documents(
    request: HttpRequest,
    files: list[UploadedFile] = FILES,
    ir_ref: str = IR_REF,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
) -> HttpResponse:
    user = caller(request)

    def create() -> tuple[int, Any, dict[str, str]]:
        stored = ir_attach_documents(actor=user, ref=ir_ref, files=files)
        return 201, DocumentList(items=[DocumentOut.model_validate(d, from_attributes=True) for d in stored]), {}

    return idempotent(request, idempotency_key, create)


# =================================================================================================
# Company side
# =================================================================================================


def _company_user(user: User) -> None:
    """The company endpoints answer only company users with complaints access; others: 404."""
    who = actor_for(user)
    if not (who.is_company_user and who.company_id is not None and who.complaints_access in ("view", "manage")):
        raise NotFound("Not found.")


def _company_complaint(user: User, ref: str) -> Complaint:
    _company_user(user)
    return complaint_get_for(actor=user, ref=ref)


def _company_complaint_out(c: Complaint) -> CompanyComplaintOut:
    company = c.company
    restricted = c.restrict_complainant

    def shown(value: str) -> str | None:
        return None if restricted else value

    return CompanyComplaintOut(
        ref=c.ref,
        status=c.status,
        agency=c.agency.name,
        agency_poc=_name(c.agency_poc),
        created_on=c.created_at.date(),
        subject_type=c.subject_type,
        subject_name=c.subject_name,
        subject_person=c.subject_person,
        company_name=company.legal_name if company else "",
        company_ref=company.company_ref if company else "",
        company_nmls_id=(company.nmls_id or "") if company else "",
        company_poc_id=c.company_poc_id,
        company_poc=_name(c.company_poc),
        transaction_date=c.transaction_date,
        transaction_city=c.transaction_city,
        transaction_state=c.transaction_state,
        complainant_restricted=restricted,
        complainant_first_name=shown(c.complainant_first_name),
        complainant_last_name=shown(c.complainant_last_name),
        complainant_street=shown(c.complainant_street),
        complainant_city=shown(c.complainant_city),
        complainant_state=shown(c.complainant_state),
        complainant_postal_code=shown(c.complainant_postal_code),
        version=c.version,
    )


class CompanyComplaintQuery(PageParams):
    agency_id: int | None = F(None, ge=1, le=_MAX_ID, description="Only this agency's complaints.")
    status: str = F("", max_length=24, pattern=_NO_NUL, description="open (any open status), closed or canceled.")
    q: str = F("", max_length=20, pattern=_NO_NUL, description="A Complaint ID.")


@company_router.get(
    "/company/complaints",
    response=responses({200: CompanyComplaintPage}, 404),
    summary="My company's complaints (every agency)",
    description="Only complaints whose first information request was sent. Newest received first.",
)
def list_company_complaints(request: HttpRequest, query: Query[CompanyComplaintQuery]) -> dict[str, Any]:
    user = caller(request)
    _company_user(user)
    qs = complaint_list_for(actor=user).select_related("company_poc")
    if query.agency_id:
        qs = qs.filter(agency_id=query.agency_id)
    if query.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif query.status:
        qs = qs.filter(status=query.status)
    if query.q.strip():
        qs = qs.filter(ref__iexact=query.q.strip())
    page = paginate(qs, keys=("-first_ir_sent_at", "-id"), cursor=query.cursor, limit=query.limit)
    return page_response(page, _company_complaint_out)


@company_router.get(
    "/company/complaints/{ref}",
    response=responses({200: CompanyComplaintOut}, 404),
    summary="One complaint, as the company sees it",
)
def get_company_complaint(request: HttpRequest, response: HttpResponse, ref: str = REF) -> CompanyComplaintOut:
    complaint = _company_complaint(caller(request), ref)
    set_etag(response, complaint.version)
    return _company_complaint_out(complaint)


@company_router.get(
    "/company/complaints/{ref}/information-requests",
    response=responses({200: CompanyIRPage}, 404),
    summary="Information requests addressed to my company on a complaint",
)
def list_company_complaint_irs(request: HttpRequest, ref: str = REF) -> dict[str, Any]:
    user = caller(request)
    _company_user(user)
    return {
        "items": [_company_ir_out(ir) for ir in company_irs_for_complaint(actor=user, ref=ref)],
        "next_cursor": None,
    }


@company_router.get(
    "/company/complaints/{ref}/closure-materials",
    response=responses({200: ClosureMaterialList}, 404),
    summary="Closure comments and documents the agency shared",
)
def list_closure_materials(request: HttpRequest, ref: str = REF) -> dict[str, Any]:
    user = caller(request)
    _company_complaint(user, ref)
    return {
        "items": [
            {
                "closed_on": c.closed_on,
                "comments_to_company": c.comments_to_company,
                "documents": _docs(
                    documents_attached_to(actor=user, attached_type="complaints.closure", attached_id=str(c.pk))
                ),
            }
            for c in closures_for(actor=user, ref=ref)
        ]
    }


def _assigner(user: User, ref: str) -> Complaint:
    complaint = _company_complaint(user, ref)
    if not can_assign_company_poc(actor_for(user), complaint):
        raise PermissionDenied(
            "Only the Complaints Contact or a company account administrator assigns the Company POC."
        )
    return complaint


@company_router.get(
    "/company/complaints/{ref}/poc-candidates",
    response=responses({200: CandidateList}, 404),
    summary="Users who can be Company POC",
    description="Active users of the company with the Manage complaints permission.",
)
def list_poc_candidates(request: HttpRequest, ref: str = REF) -> dict[str, Any]:
    complaint = _assigner(caller(request), ref)
    return {"items": [{"id": u.pk, "name": _name(u)} for u in company_poc_candidates(complaint)]}


@company_router.post(
    "/company/complaints/{ref}/assign-poc",
    response=responses({200: CompanyComplaintOut}, 404, 409, 412, 428),
    summary="Assign or reassign the Company POC",
)
def assign_company_poc(
    request: HttpRequest,
    response: HttpResponse,
    payload: AssignCompanyPocIn,
    ref: str = REF,
    if_match: str | None = IF_MATCH,
) -> CompanyComplaintOut:
    user = caller(request)
    version = _version(if_match, payload)
    complaint = _assigner(user, ref)
    poc = next((u for u in company_poc_candidates(complaint) if u.pk == payload.company_poc_id), None)
    if poc is None:
        raise ApplicationError(
            "invalid_company_poc",
            "The Company POC must be an active user of this company with the Manage complaints permission.",
            field="company_poc_id",
        )
    company_poc_assign(actor=user, ref=ref, poc=poc, expected_version=version)
    complaint = _company_complaint(user, ref)
    set_etag(response, complaint.version)
    return _company_complaint_out(complaint)


# --- company IRs ----------------------------------------------------------------------------------


def _company_ir_out(ir: CompanyIR, documents: dict[int, list[Document]] | None = None) -> CompanyIROut:
    docs = documents or {}
    return CompanyIROut(
        ref=ir.ref,
        complaint_ref=ir.complaint_ref,
        agency=ir.agency_name,
        number=ir.number,
        title=ir.title,
        description=ir.description,
        status=ir.status,
        status_label=ir.status_label,
        is_comment_only=ir.is_comment_only,
        due_date=ir.due_date,
        original_due_date=ir.original_due_date,
        send_comment=ir.send_comment,
        sent_at=ir.sent_at,
        round=ir.round,
        responses=[
            CompanyResponseOut(
                round=r.round,
                status=r.status,
                text=r.text,
                hidden_from_other_company_users=r.hidden_from_other_company_users,
                drafted_by=r.drafted_by,
                submitted_at=r.submitted_at,
                documents=_docs(docs.get(r.round, [])),
            )
            for r in ir.responses
        ],
        send_backs=[_send_back_out(s) for s in ir.send_backs],
    )


def _company_ir(user: User, response: HttpResponse | None, ir_ref: str) -> CompanyIROut:
    _company_user(user)
    ir = company_ir_get_for(actor=user, ir_ref=ir_ref)
    if response is not None:
        set_etag(response, ir_version_for(actor=user, ir_ref=ir_ref))
    return _company_ir_out(ir, response_documents_for(actor=user, ir_ref=ir_ref))


class CompanyIRQuery(PageParams):
    status: list[str] = F([], max_length=8, description="Repeat for several: sent_to_company, company_draft, …")
    agency_id: int | None = F(None, ge=1, le=_MAX_ID)
    due_on_or_before: dt.date | None = None


def _invalid_cursor() -> ApplicationError:
    return ApplicationError("invalid_cursor", "The cursor is not valid. Start again without one.", field="cursor")


def _list_page(items: list[CompanyIR], cursor: str | None, limit: int) -> dict[str, Any]:
    """Cursor pages over an ordered list: the cursor names the last IR of the previous page."""
    start = 0
    if cursor:
        try:
            last = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode("ascii")).decode()
        except (ValueError, binascii.Error, UnicodeError) as exc:
            raise _invalid_cursor() from exc
        index = next((i for i, ir in enumerate(items) if ir.ref == last), None)
        if index is None:
            raise _invalid_cursor()
        start = index + 1
    limit = clamp_limit(limit)
    page = items[start : start + limit]
    more = start + limit < len(items)
    next_cursor = base64.urlsafe_b64encode(page[-1].ref.encode()).decode().rstrip("=") if more and page else None
    return {"items": [_company_ir_out(ir) for ir in page], "next_cursor": next_cursor}


@company_router.get(
    "/company/information-requests",
    response=responses({200: CompanyIRPage}, 404),
    summary="Information requests to my company (every agency)",
    description=(
        "Soonest due first. A response waiting for the Company POC's review is listed only for the POC. "
        "Responses are listed on the single IR."
    ),
)
def list_company_irs(request: HttpRequest, query: Query[CompanyIRQuery]) -> dict[str, Any]:
    user = caller(request)
    _company_user(user)
    filters = CompanyIRFilters(
        statuses=tuple(s for s in query.status if len(s) <= 24 and "\x00" not in s),
        agency_id=query.agency_id,
        due_on_or_before=query.due_on_or_before,
    )
    return _list_page(company_ir_list_for(actor=user, filters=filters), query.cursor, query.limit)


@company_router.get(
    "/company/information-requests/{ir_ref}",
    response=responses({200: CompanyIROut}, 404),
    summary="One information request, with the responses I may read",
)
def get_company_ir(request: HttpRequest, response: HttpResponse, ir_ref: str = IR_REF) -> CompanyIROut:
    return _company_ir(caller(request), response, ir_ref)


_COMPANY_ACTION = responses({200: CompanyIROut}, 404, 409, 412, 428)


@company_router.post(
    "/company/information-requests/{ir_ref}/response",
    response=responses({201: CompanyIROut}, 404, 409),
    summary="Start the response draft of the current round",
    description="Refused with 409 when the round already has a draft: change it with PATCH.",
)
def create_response(
    request: HttpRequest,
    payload: ResponseDraftIn,
    ir_ref: str = IR_REF,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
) -> HttpResponse:
    user = caller(request)

    def create() -> tuple[int, Any, dict[str, str]]:
        _company_user(user)
        ir = company_ir_get_for(actor=user, ir_ref=ir_ref)
        if any(r.round == ir.round for r in ir.responses):
            raise Conflict("response_exists", f"{ir.ref} already has a response for this round; change it with PATCH.")
        response_save_draft(
            actor=user,
            ir_ref=ir_ref,
            text=payload.text,
            hidden=payload.hidden,
            expected_version=ir_version_for(actor=user, ir_ref=ir_ref),
        )
        out = _company_ir(user, None, ir_ref)
        return 201, out, {"ETag": f'"{ir_version_for(actor=user, ir_ref=ir_ref)}"'}

    return idempotent(request, idempotency_key, create)


@company_router.patch(
    "/company/information-requests/{ir_ref}/response",
    response=_COMPANY_ACTION,
    summary="Change the response draft (If-Match with the IR's ETag)",
)
def patch_response(
    request: HttpRequest,
    response: HttpResponse,
    payload: ResponseDraftPatch,
    ir_ref: str = IR_REF,
    if_match: str | None = IF_MATCH,
) -> CompanyIROut:
    user = caller(request)
    version = _version(if_match, payload)
    _company_user(user)
    ir = company_ir_get_for(actor=user, ir_ref=ir_ref)
    text = payload.text
    if text is None:
        current = next((r for r in ir.responses if r.round == ir.round), None)
        text = (current.text or "") if current is not None else ""
    response_save_draft(actor=user, ir_ref=ir_ref, text=text, hidden=payload.hidden, expected_version=version)
    return _company_ir(user, response, ir_ref)


@company_router.post(
    "/company/information-requests/{ir_ref}/response/documents",
    response=responses({201: DocumentList}, 404, 409, 413),
    summary="Attach documents to the response draft",
    description="The files are shared with the agency once the response is submitted.",
)
def attach_response_documents(
    request: HttpRequest,
    files: list[UploadedFile] = FILES,
    ir_ref: str = IR_REF,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
) -> HttpResponse:
    user = caller(request)

    def create() -> tuple[int, Any, dict[str, str]]:
        _company_user(user)
        stored = response_attach_documents(actor=user, ir_ref=ir_ref, files=files)
        return 201, DocumentList(items=[DocumentOut.model_validate(d, from_attributes=True) for d in stored]), {}

    return idempotent(request, idempotency_key, create)


@company_router.post(
    "/company/information-requests/{ir_ref}/send-to-poc",
    response=_COMPANY_ACTION,
    summary="Send the draft to the Company POC for review",
)
def send_to_poc(
    request: HttpRequest,
    response: HttpResponse,
    payload: Versioned,
    ir_ref: str = IR_REF,
    if_match: str | None = IF_MATCH,
) -> CompanyIROut:
    user = caller(request)
    version = _version(if_match, payload)
    _company_user(user)
    response_send_to_poc(actor=user, ir_ref=ir_ref, expected_version=version)
    return _company_ir(user, response, ir_ref)


@company_router.post(
    "/company/information-requests/{ir_ref}/submit",
    response=_COMPANY_ACTION,
    summary="Submit the response to the agency (Company POC only)",
)
def submit_response(
    request: HttpRequest,
    response: HttpResponse,
    payload: SubmitIn,
    ir_ref: str = IR_REF,
    if_match: str | None = IF_MATCH,
) -> CompanyIROut:
    user = caller(request)
    version = _version(if_match, payload)
    _company_user(user)
    response_submit(actor=user, ir_ref=ir_ref, text=payload.text, expected_version=version)
    return _company_ir(user, response, ir_ref)


@company_router.post(
    "/company/information-requests/{ir_ref}/send-back-request",
    response=_COMPANY_ACTION,
    summary="Ask the agency to send a submitted response back (Company POC only, before closure)",
)
def request_send_back(
    request: HttpRequest,
    response: HttpResponse,
    payload: SendBackRequestIn,
    ir_ref: str = IR_REF,
    if_match: str | None = IF_MATCH,
) -> CompanyIROut:
    user = caller(request)
    version = _version(if_match, payload)
    _company_user(user)
    ir_request_send_back(actor=user, ir_ref=ir_ref, reason=payload.reason, expected_version=version)
    return _company_ir(user, response, ir_ref)
