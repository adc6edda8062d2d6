"""Complaints, addressed by their public Complaint ID (``CMP-2026-000123``).

Writes need the version the caller last read, as ``If-Match`` (the ETag of GET) or as
``version`` in the body of an action; with neither the answer is 428, with a stale one 412.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from ninja import Field as F
from ninja import Query, Router
from ninja.params import functions as params

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.companies.models import Branch, Individual
from redress.complaints import policy, related, research, services, violations
from redress.complaints.categories import with_categories
from redress.complaints.document_access import complaint_documents_for
from redress.complaints.errors import INVALID_POC
from redress.complaints.exports import complaints_csv_rows
from redress.complaints.models import Closure, Complaint, ResearchEntry
from redress.complaints.search import apply_text_search
from redress.complaints.selectors import ComplaintFilters, complaint_get_for, complaint_list_for
from redress.complaints.subrecords import (
    agency_user_by_id,
    closures_for,
    research_entries_for,
    resolve_subject_id,
    violations_for,
)
from redress.core.errors import ApplicationError, PermissionDenied
from redress.documents.selectors import documents_attached_to

from ..concurrency import expected_version, set_etag
from ..concurrency import version_from as _version
from ..errors import responses
from ..idempotency import idempotent
from ..pagination import PageParams, page_response, paginate
from ..schemas.audit import HistoryPage
from ..schemas.categories import CategoryRefOut
from ..schemas.complaints import (
    AssignPocIn,
    CloseIn,
    ClosureList,
    ClosureOut,
    ComplaintIn,
    ComplaintOut,
    ComplaintPage,
    ComplaintSummaryOut,
    DetailsPatch,
    PersonOut,
    ReasonIn,
    RelatedIn,
    RelatedItemOut,
    RelatedList,
    ResearchIn,
    ResearchList,
    ResearchOut,
    ResearchPatch,
    ReviewIn,
    SubjectChangeIn,
    SubjectIn,
    SubjectOut,
    SubjectPersonOut,
    ViolationIn,
    ViolationList,
    ViolationOut,
)
from ..schemas.documents import DocumentOut
from ._common import COMPLAINT_REF, IDEMPOTENCY_KEY, IF_MATCH, agency_caller, pk_path
from ._common import caller as _any_caller
from .audit import history_page

router = Router(tags=["Complaints"])

REF = COMPLAINT_REF
_NO_NUL = r"^[^\x00]*$"
_KEYS = ("-date_received", "-id")
_MAX_ID = 2**63 - 1


class ComplaintQuery(PageParams):
    status: list[str] = F([], max_length=6, description="Repeat for several: pending, open, closed, …")
    agency_poc_id: int | None = F(None, ge=1, le=_MAX_ID)
    company_id: int | None = F(None, ge=1, le=_MAX_ID)
    product: str = F("", max_length=200, pattern=_NO_NUL)
    issue: str = F("", max_length=200, pattern=_NO_NUL)
    how_received: str = F("", max_length=20, pattern=_NO_NUL)
    business_type: str = F("", max_length=40, pattern=_NO_NUL)
    closure_reason: str = F("", max_length=40, pattern=_NO_NUL, description="The reason of the latest closure.")
    overdue_ir: bool = F(
        False, description="Only complaints with an IR still waiting for the company after its due date."
    )
    category: int | None = F(None, ge=1, le=_MAX_ID, description="A category id of your agency (GET /categories).")
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    closed_from: dt.date | None = None
    closed_to: dt.date | None = None
    q: str = F(
        "", max_length=200, pattern=_NO_NUL, description="Complaint ID, CFPB ID, complainant last name, subject."
    )
    text: str = F("", max_length=200, pattern=_NO_NUL, description="Full text of summary, outcome and research notes.")
    scope: Literal["own", "shared"] = F(
        "own", description="own: your agency's complaints; shared: those other agencies granted your agency access to."
    )

    def filters(self) -> ComplaintFilters:
        statuses = tuple(s for s in self.status if len(s) <= 24 and "\x00" not in s)
        return ComplaintFilters(
            statuses=statuses,
            agency_poc_id=self.agency_poc_id,
            company_id=self.company_id,
            product=self.product,
            issue=self.issue,
            how_received=self.how_received,
            business_type=self.business_type,
            closure_reason=self.closure_reason,
            overdue_ir=self.overdue_ir,
            category_id=self.category,
            received_from=self.received_from,
            received_to=self.received_to,
            closed_from=self.closed_from,
            closed_to=self.closed_to,
            q=self.q,
            scope=self.scope,
        )


# --- conversion ---------------------------------------------------------------------------------


caller = agency_caller


def collection_caller(request: HttpRequest) -> User:
    """Listing, exporting and entering complaints are agency work, for users with a complaints
    role (one with system roles only has no complaints module at all)."""
    user = _any_caller(request)
    if not actor_for(user).has_complaints_role:
        raise PermissionDenied(
            "Only agency complaint users work with this collection; companies use /api/v1/company/complaints."
        )
    return user


def _name(user: User | None) -> str:
    return (user.full_name or user.email) if user is not None else ""


def _subject(c: Complaint) -> SubjectOut:
    company, entity = c.company, c.non_nmls_entity
    return SubjectOut(
        type=c.subject_type,
        name=c.subject_name,
        company_ref=company.company_ref if company else None,
        nmls_id=company.nmls_id if company else None,
        tracking_number=entity.tracking_number if entity else None,
    )


def _summary_fields(c: Complaint) -> dict[str, Any]:
    poc = c.agency_poc
    return {
        "ref": c.ref,
        "status": c.status,
        "agency": c.agency.code,
        "subject": _subject(c),
        "agency_poc": PersonOut(id=poc.pk, name=_name(poc)) if poc else None,
        "date_received": c.date_received,
        "how_received": c.how_received,
        "cfpb_id": c.cfpb_id,
        "product": c.product,
        "issue": c.issue,
        "closed_on": c.closed_on,
        "days_open": c.days_open,
        "version": c.version,
        "categories": [CategoryRefOut(id=cat.pk, name=cat.name) for cat in c.categories.all()],
    }


def _summary_out(c: Complaint) -> ComplaintSummaryOut:
    return ComplaintSummaryOut(**_summary_fields(c))


def _person(entity: Branch | Individual) -> SubjectPersonOut:
    name = entity.name if isinstance(entity, Branch) else f"{entity.first_name} {entity.last_name}".strip()
    return SubjectPersonOut(name=name, nmls_id=entity.nmls_id or None)


def _complaint_out(user: User, c: Complaint) -> ComplaintOut:
    who = actor_for(user)
    complainant = None
    if policy.can_see_complainant(who, c):
        complainant = {
            "first_name": c.complainant_first_name,
            "last_name": c.complainant_last_name,
            "street": c.complainant_street,
            "city": c.complainant_city,
            "state": c.complainant_state,
            "postal_code": c.complainant_postal_code,
            "phone": c.complainant_phone,
            "email": c.complainant_email,
        }
    return ComplaintOut(
        **_summary_fields(c),
        business_type=c.business_type,
        business_activities=list(c.business_activities or []),
        sub_product=c.sub_product,
        sub_issue=c.sub_issue,
        summary=c.summary,
        desired_outcome=c.desired_outcome,
        amount_in_dispute_cents=c.amount_in_dispute_cents,
        sent_to_subject_on=c.sent_to_subject_on,
        transaction_date=c.transaction_date,
        transaction_city=c.transaction_city,
        transaction_state=c.transaction_state,
        restrict_complainant=c.restrict_complainant,
        individual=_person(c.individual) if c.individual is not None else None,
        branch=_person(c.branch) if c.branch is not None else None,
        complainant=complainant,
        documents=[
            DocumentOut.model_validate(d, from_attributes=True)
            for d in complaint_documents_for(actor=user, complaint=c)
        ],
        created_at=c.created_at,
        canceled_at=c.canceled_at,
        # Cancellation details are never shared with the company (this representation is the
        # agency's; an agency granted access keeps reading them).
        cancel_reason=c.cancel_reason if who.is_agency_user else None,
    )


def _respond(user: User, response: HttpResponse, ref: str) -> ComplaintOut:
    complaint = complaint_get_for(actor=user, ref=ref)
    set_etag(response, complaint.version)
    return _complaint_out(user, complaint)


def _subject_id(subject: SubjectIn) -> int:
    return resolve_subject_id(
        subject_type=subject.type,
        subject_id=subject.id,
        company_ref=subject.company_ref,
        nmls_id=subject.nmls_id,
        tracking_number=subject.tracking_number,
    )


def _poc(user_id: int) -> User:
    poc = agency_user_by_id(user_id)
    if poc is None:
        raise ApplicationError(
            INVALID_POC,
            "The Agency POC must be an active Complaint Supervisor or Manager of the owning agency.",
            field="agency_poc_id",
        )
    return poc


# --- list, export, create ------------------------------------------------------------------------


@router.get(
    "/complaints",
    response=responses({200: ComplaintPage}),
    summary="List complaints I can see",
    description="Newest received first. Filters combine with AND; `status` may repeat.",
)
def list_complaints(request: HttpRequest, query: Query[ComplaintQuery]) -> dict[str, Any]:
    user = collection_caller(request)
    qs = with_categories(apply_text_search(complaint_list_for(actor=user, filters=query.filters()), query.text))
    return page_response(paginate(qs, keys=_KEYS, cursor=query.cursor, limit=query.limit), _summary_out)


class _Echo:
    def write(self, value: str) -> str:
        return value


@router.get(
    "/complaints/export.csv",
    response=responses({}),
    summary="Export the complaint list as CSV",
    description="The same complaints and filters as the list, streamed as CSV (UTF-8, header row).",
    openapi_extra={
        "responses": {
            "200": {"description": "CSV file", "content": {"text/csv": {"schema": {"type": "string"}}}},
        }
    },
)
def export_complaints(request: HttpRequest, query: Query[ComplaintQuery]) -> StreamingHttpResponse:
    user = collection_caller(request)
    writer = csv.writer(_Echo())
    rows = complaints_csv_rows(user, query.filters(), text=query.text)

    def stream() -> Iterator[str]:
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="complaints.csv"'
    return response


@router.post("/complaints", response=responses({201: ComplaintOut}, 404, 409), summary="Enter a complaint")
def create_complaint(
    request: HttpRequest, payload: ComplaintIn, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> HttpResponse:
    user = collection_caller(request)

    def create() -> tuple[int, Any, dict[str, str]]:
        complaint = services.complaint_create(
            actor=user,
            subject_type=payload.subject.type,
            subject_id=_subject_id(payload.subject),
            details=payload.details.model_dump(),
            submit_for_review=payload.submit_for_review,
            individual_first_name=payload.individual_first_name,
            individual_last_name=payload.individual_last_name,
            document_refs=payload.document_refs,
            documents_visibility=payload.documents_visibility,
        )
        complaint = complaint_get_for(actor=user, ref=complaint.ref)
        location = reverse("api:get_complaint", kwargs={"ref": complaint.ref})
        return 201, _complaint_out(user, complaint), {"Location": location, "ETag": f'"{complaint.version}"'}

    return idempotent(request, idempotency_key, create)


# --- one complaint -----------------------------------------------------------------------------


@router.get("/complaints/{ref}", response=responses({200: ComplaintOut}, 404), summary="One complaint")
def get_complaint(request: HttpRequest, response: HttpResponse, ref: str = REF) -> ComplaintOut:
    return _respond(caller(request), response, ref)


@router.patch(
    "/complaints/{ref}",
    response=responses({200: ComplaintOut}, 404, 409, 412, 428),
    summary="Change intake details (If-Match required)",
)
def patch_complaint(
    request: HttpRequest, response: HttpResponse, payload: DetailsPatch, ref: str = REF, if_match: str | None = IF_MATCH
) -> ComplaintOut:
    user = caller(request)
    version = expected_version(if_match)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    services.complaint_update(actor=user, ref=ref, changes=changes, expected_version=version)
    return _respond(user, response, ref)


_ACTION = responses({200: ComplaintOut}, 404, 409, 412, 428)


@router.post("/complaints/{ref}/review", response=_ACTION, summary="Complete preliminary review")
def review_complaint(
    request: HttpRequest, response: HttpResponse, payload: ReviewIn, ref: str = REF, if_match: str | None = IF_MATCH
) -> ComplaintOut:
    user = caller(request)
    version = _version(if_match, payload)
    changes = (
        {k: v for k, v in payload.changes.model_dump(exclude_unset=True).items() if v is not None}
        if payload.changes
        else None
    )
    services.complaint_complete_review(
        actor=user, ref=ref, agency_poc=_poc(payload.agency_poc_id), changes=changes, expected_version=version
    )
    return _respond(user, response, ref)


@router.post("/complaints/{ref}/assign-poc", response=_ACTION, summary="Assign the Agency POC")
def assign_poc(
    request: HttpRequest, response: HttpResponse, payload: AssignPocIn, ref: str = REF, if_match: str | None = IF_MATCH
) -> ComplaintOut:
    user = caller(request)
    version = _version(if_match, payload)
    services.complaint_assign_poc(actor=user, ref=ref, poc=_poc(payload.agency_poc_id), expected_version=version)
    return _respond(user, response, ref)


@router.post("/complaints/{ref}/subject", response=_ACTION, summary="Change the subject")
def change_subject(
    request: HttpRequest,
    response: HttpResponse,
    payload: SubjectChangeIn,
    ref: str = REF,
    if_match: str | None = IF_MATCH,
) -> ComplaintOut:
    user = caller(request)
    version = _version(if_match, payload)
    services.complaint_update_subject(
        actor=user,
        ref=ref,
        subject_type=payload.subject.type,
        subject_id=_subject_id(payload.subject),
        expected_version=version,
    )
    return _respond(user, response, ref)


@router.post("/complaints/{ref}/close", response=_ACTION, summary="Close with a reason")
def close_complaint(
    request: HttpRequest, response: HttpResponse, payload: CloseIn, ref: str = REF, if_match: str | None = IF_MATCH
) -> ComplaintOut:
    user = caller(request)
    version = _version(if_match, payload)
    services.complaint_close(
        actor=user,
        ref=ref,
        closure=payload.model_dump(exclude={"version", "document_refs"}),
        expected_version=version,
        document_refs=payload.document_refs,
    )
    return _respond(user, response, ref)


@router.post("/complaints/{ref}/reopen", response=_ACTION, summary="Reopen within a year of closure")
def reopen_complaint(
    request: HttpRequest, response: HttpResponse, payload: ReasonIn, ref: str = REF, if_match: str | None = IF_MATCH
) -> ComplaintOut:
    user = caller(request)
    version = _version(if_match, payload)
    services.complaint_reopen(actor=user, ref=ref, reason=payload.reason, expected_version=version)
    return _respond(user, response, ref)


@router.post("/complaints/{ref}/cancel", response=_ACTION, summary="Cancel before closure")
def cancel_complaint(
    request: HttpRequest, response: HttpResponse, payload: ReasonIn, ref: str = REF, if_match: str | None = IF_MATCH
) -> ComplaintOut:
    user = caller(request)
    version = _version(if_match, payload)
    services.complaint_cancel(actor=user, ref=ref, reason=payload.reason, expected_version=version)
    return _respond(user, response, ref)


def _closure_out(user: User, c: Closure) -> ClosureOut:
    agency = actor_for(user).is_agency_user
    return ClosureOut(
        id=c.pk,
        reason=c.reason,
        reason_label=c.get_reason_display(),
        monetary_relief_cents=c.monetary_relief_cents,
        relief_paid_on=c.relief_paid_on,
        referred_to_agency_name=c.referred_to_agency_name,
        internal_notes=c.internal_notes if agency else None,
        share_with_company=c.share_with_company,
        comments_to_company=c.comments_to_company,
        closed_on=c.closed_on,
        closed_at=c.closed_at,
        closed_by=_name(c.closed_by) if agency else "",
        reopened_at=c.reopened_at,
        reopen_reason=c.reopen_reason if agency else None,
        documents=[
            DocumentOut.model_validate(d, from_attributes=True)
            for d in documents_attached_to(actor=user, attached_type="complaints.closure", attached_id=str(c.pk))
        ],
    )


@router.get("/complaints/{ref}/closures", response=responses({200: ClosureList}, 404), summary="All closures")
def list_closures(request: HttpRequest, ref: str = REF) -> dict[str, Any]:
    user = caller(request)
    return {"items": [_closure_out(user, c) for c in closures_for(actor=user, ref=ref)]}


@router.get("/complaints/{ref}/history", response=responses({200: HistoryPage}, 404), summary="Complaint history")
def complaint_history(request: HttpRequest, page: Query[PageParams], ref: str = REF) -> dict[str, Any]:
    user = caller(request)
    return history_page(user, "complaints.complaint", str(complaint_get_for(actor=user, ref=ref).pk), page)


# --- research & communication -------------------------------------------------------------------


def _research_out(e: ResearchEntry) -> ResearchOut:
    return ResearchOut(
        id=e.pk,
        kind=e.kind,
        method=e.method,
        party=e.party,
        occurred_on=e.occurred_on,
        description=e.description,
        created_by=_name(e.created_by),
        created_at=e.created_at,
        version=e.version,
    )


@router.get("/complaints/{ref}/research", response=responses({200: ResearchList}, 404), summary="Research entries")
def list_research(request: HttpRequest, ref: str = REF) -> dict[str, Any]:
    return {"items": [_research_out(e) for e in research_entries_for(actor=caller(request), ref=ref)]}


@router.post(
    "/complaints/{ref}/research", response=responses({201: ResearchOut}, 404, 409), summary="Log research or contact"
)
def add_research(
    request: HttpRequest, payload: ResearchIn, ref: str = REF, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> HttpResponse:
    user = caller(request)

    def create() -> tuple[int, Any, dict[str, str]]:
        entry = research.research_entry_add(actor=user, ref=ref, **payload.model_dump())
        entry = research_entries_for(actor=user, ref=ref).get(pk=entry.pk)
        return 201, _research_out(entry), {"ETag": f'"{entry.version}"'}

    return idempotent(request, idempotency_key, create)


@router.patch(
    "/complaints/{ref}/research/{entry_id}",
    response=responses({200: ResearchOut}, 404, 409, 412, 428),
    summary="Edit a research entry (also after closure)",
)
def patch_research(
    request: HttpRequest,
    response: HttpResponse,
    payload: ResearchPatch,
    ref: str = REF,
    entry_id: int = pk_path("The entry's id."),
    if_match: str | None = IF_MATCH,
) -> ResearchOut:
    user = caller(request)
    version = _version(if_match, payload)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True, exclude={"version"}).items() if v is not None}
    research.research_entry_update(actor=user, ref=ref, entry_id=entry_id, changes=changes, expected_version=version)
    entry = research_entries_for(actor=user, ref=ref).get(pk=entry_id)
    set_etag(response, entry.version)
    return _research_out(entry)


# --- alleged violations ----------------------------------------------------------------------------


def _violation_out(v: Any) -> ViolationOut:
    return ViolationOut(
        id=v.pk,
        jurisdiction=v.jurisdiction,
        citation=v.citation,
        description=v.description,
        created_by=_name(v.created_by),
        created_at=v.created_at,
    )


@router.get("/complaints/{ref}/violations", response=responses({200: ViolationList}, 404), summary="Alleged violations")
def list_violations(request: HttpRequest, ref: str = REF) -> dict[str, Any]:
    return {"items": [_violation_out(v) for v in violations_for(actor=caller(request), ref=ref)]}


@router.post(
    "/complaints/{ref}/violations",
    response=responses({201: ViolationOut}, 404, 409),
    summary="Add an alleged violation",
)
def add_violation(
    request: HttpRequest, payload: ViolationIn, ref: str = REF, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> HttpResponse:
    user = caller(request)

    def create() -> tuple[int, Any, dict[str, str]]:
        violation = violations.violation_add(actor=user, ref=ref, **payload.model_dump())
        return 201, _violation_out(violations_for(actor=user, ref=ref).get(pk=violation.pk)), {}

    return idempotent(request, idempotency_key, create)


@router.delete(
    "/complaints/{ref}/violations/{violation_id}",
    response=responses({204: None}, 404, 409),
    summary="Delete an alleged violation",
)
def delete_violation(
    request: HttpRequest, ref: str = REF, violation_id: int = pk_path("The violation's id.")
) -> tuple[int, None]:
    violations.violation_delete(actor=caller(request), ref=ref, violation_id=violation_id)
    return 204, None


# --- related items -------------------------------------------------------------------------------


def _related_out(items: related.RelatedItems) -> list[RelatedItemOut]:
    out = [
        RelatedItemOut(id=c.id, kind="complaint", label=c.subject_name, reference=c.ref, detail={"status": c.status})
        for c in items.complaints
    ]
    out += [
        RelatedItemOut(
            id=r.pk,
            kind="company",
            label=r.company.legal_name,
            reference=r.company.nmls_id or r.company.company_ref,
            detail={"company_ref": r.company.company_ref, "nmls_id": r.company.nmls_id or ""},
        )
        for r in items.companies
    ]
    out += [
        RelatedItemOut(
            id=r.pk,
            kind="individual",
            label=f"{r.first_name} {r.last_name}".strip(),
            reference=r.nmls_id,
            detail={"first_name": r.first_name, "last_name": r.last_name},
        )
        for r in items.individuals
    ]
    out += [
        RelatedItemOut(
            id=r.pk, kind="non_nmls_entity", label=r.entity.name, reference=r.entity.tracking_number, detail={}
        )
        for r in items.entities
    ]
    out += [
        RelatedItemOut(
            id=r.pk,
            kind="supervisory_activity",
            label=r.activity.name or r.activity.get_activity_type_display(),
            reference=r.activity.ref,
            detail={"activity_type": r.activity.activity_type, "status": r.activity.status},
        )
        for r in items.activities
    ]
    out += [
        RelatedItemOut(
            id=r.pk,
            kind="agent_location",
            label=r.agent_name,
            reference="",
            detail={
                "street": r.street,
                "city": r.city,
                "state": r.state,
                "postal_code": r.postal_code,
                "phone": r.phone,
                "email": r.email,
            },
        )
        for r in items.agent_locations
    ]
    return out


@router.get("/complaints/{ref}/related", response=responses({200: RelatedList}, 404), summary="Related items")
def list_related(request: HttpRequest, ref: str = REF) -> dict[str, Any]:
    return {"items": _related_out(related.related_items_for(actor=caller(request), ref=ref))}


def _add_related(user: User, ref: str, p: RelatedIn) -> int:
    if p.kind == "complaint":
        return related.related_complaint_add(actor=user, ref=ref, related_ref=p.related_ref).pk
    if p.kind == "company":
        return related.related_company_add(actor=user, ref=ref, nmls_id=p.nmls_id, company_ref=p.company_ref).pk
    if p.kind == "individual":
        return related.related_individual_add(
            actor=user, ref=ref, nmls_id=p.nmls_id, first_name=p.first_name, last_name=p.last_name
        ).pk
    if p.kind == "non_nmls_entity":
        return related.related_entity_add(actor=user, ref=ref, tracking_number=p.tracking_number).pk
    if p.kind == "supervisory_activity":
        return related.supervisory_activity_link(actor=user, ref=ref, activity_ref=p.activity_ref).pk
    return related.agent_location_add(
        actor=user,
        ref=ref,
        agent_name=p.agent_name,
        street=p.street,
        city=p.city,
        state=p.state,
        postal_code=p.postal_code,
        phone=p.phone,
        email=p.email,
    ).pk


@router.post(
    "/complaints/{ref}/related", response=responses({201: RelatedItemOut}, 404, 409), summary="Add a related item"
)
def add_related(
    request: HttpRequest, payload: RelatedIn, ref: str = REF, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> HttpResponse:
    user = caller(request)

    def create() -> tuple[int, Any, dict[str, str]]:
        item_id = _add_related(user, ref, payload)
        items = _related_out(related.related_items_for(actor=user, ref=ref))
        item = next(i for i in items if i.id == item_id and i.kind == payload.kind)
        return 201, item, {}

    return idempotent(request, idempotency_key, create)


@router.delete(
    "/complaints/{ref}/related/{kind}/{item_id}",
    response=responses({204: None}, 404, 409),
    summary="Remove a related item",
)
def remove_related(
    request: HttpRequest,
    ref: str = REF,
    kind: str = params.Path(..., pattern=r"^[a-z_]{1,30}$", description="The kind shown in the related list."),
    item_id: int = pk_path("The related item's id."),
) -> tuple[int, None]:
    related.related_item_remove(actor=caller(request), ref=ref, kind=kind, item_id=item_id)
    return 204, None
