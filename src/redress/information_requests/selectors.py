"""Reading the IR exchange, always through the actor's scope.

Invariants:
- An IR or complaint outside the actor's scope answers exactly like a missing one (NotFound).
- Agency-facing selectors return model rows and refuse company users; company-facing selectors
  return ``CompanyIR`` projections that have no agency-only fields (Quick Look, who marked it,
  the cancellation reason) and never list unsent IRs or other companies' IRs.
- A response hidden from other company users carries no text for them; agency users see only
  submitted responses, never company drafts.
- Lists select their related rows up front, so a page costs a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from redress.accounts.models import User
from redress.accounts.policy import Actor, actor_for
from redress.complaints.constants import Status as ComplaintStatus
from redress.complaints.models import Complaint
from redress.core import clock
from redress.core.errors import NotFound
from redress.documents.models import Document
from redress.documents.selectors import can_view_document

from . import policy
from .constants import IRStatus, ResponseStatus, SendBackKind
from .models import DueDateChange, InformationRequest, IRResponse, Reminder, SendBack

# --- agency side -------------------------------------------------------------------------------


def _agency_actor(user: User) -> Actor:
    who = actor_for(user)
    if not who.is_agency_user:
        raise NotFound("No such information request.")
    return who


def _agency_complaint(who: Actor, ref: str) -> Complaint:
    complaint = Complaint.objects.select_related("agency").filter(ref=ref).first()
    if complaint is None or not policy.can_view_complaint(who, complaint):
        raise NotFound("No such complaint.")
    return complaint


def _with_rows(qs: QuerySet[InformationRequest]) -> QuerySet[InformationRequest]:
    return qs.select_related("complaint", "sent_by", "quick_look_by", "created_by").prefetch_related(
        Prefetch(
            "responses",
            queryset=IRResponse.objects.filter(status=ResponseStatus.SUBMITTED).select_related("submitted_by"),
            to_attr="submitted_responses",
        ),
        "send_backs",
        "reminders",
        "due_date_changes",
    )


def irs_for_complaint(*, actor: User, ref: str) -> QuerySet[InformationRequest]:
    """Every IR of a complaint, in number order, for the agency's own users."""
    who = _agency_actor(actor)
    complaint = _agency_complaint(who, ref)
    return _with_rows(InformationRequest.objects.filter(complaint=complaint)).order_by("number")


def ir_get_for(*, actor: User, ir_ref: str) -> InformationRequest:
    who = _agency_actor(actor)
    ir = _with_rows(InformationRequest.objects.filter(ref=ir_ref)).first()
    if ir is None or not policy.can_view_ir(who, ir):
        raise NotFound("No such information request.")
    return ir


def ir_search_in_complaint(*, actor: User, ref: str, q: str) -> QuerySet[InformationRequest]:
    """IRs of one complaint whose title, request text or submitted response text contains ``q``."""
    qs = irs_for_complaint(actor=actor, ref=ref)
    term = (q or "").strip()
    if not term:
        return qs
    hit = (
        Q(title__icontains=term)
        | Q(description__icontains=term)
        | Q(responses__status=ResponseStatus.SUBMITTED, responses__text__icontains=term)
    )
    ids = InformationRequest.objects.filter(hit, complaint__ref=ref).values("pk")
    return qs.filter(pk__in=ids)


@dataclass(frozen=True)
class ActivityFilters:
    date_from: dt.date
    date_to: dt.date
    company_id: int | None = None
    agency_poc_id: int | None = None
    ir_status: str = ""
    timeliness: str = ""  # "timely", "late" or "" for both


@dataclass(frozen=True)
class ActivityReport:
    rows: QuerySet[IRResponse]
    total: int
    timely: int
    late: int


def ir_response_activity(*, actor: User, filters: ActivityFilters) -> ActivityReport:
    """IR Response Activity: responses submitted in a date range, with timely/late counts.
    Timely means submitted on or before the due date then in force. Canceled complaints are left out.
    A complaints report: an agency user without a complaints role (system roles only) gets none."""
    who = actor_for(actor)
    if not who.has_complaints_role or who.agency_id is None:
        raise NotFound("No such report.")
    f = filters
    qs = IRResponse.objects.filter(
        status=ResponseStatus.SUBMITTED,
        submitted_on__gte=f.date_from,
        submitted_on__lte=f.date_to,
        information_request__complaint__agency_id=who.agency_id,
    ).exclude(information_request__complaint__status=ComplaintStatus.CANCELED)
    if f.company_id:
        qs = qs.filter(information_request__complaint__company_id=f.company_id)
    if f.agency_poc_id:
        qs = qs.filter(information_request__complaint__agency_poc_id=f.agency_poc_id)
    if f.ir_status:
        qs = qs.filter(information_request__status=f.ir_status)
    timely_q = Q(due_date_at_submission__isnull=True) | Q(submitted_on__lte=F("due_date_at_submission"))
    if f.timeliness == "timely":
        qs = qs.filter(timely_q)
    elif f.timeliness == "late":
        qs = qs.exclude(timely_q)
    counts = qs.aggregate(total=Count("pk"), timely=Count("pk", filter=timely_q))
    rows = qs.select_related(
        "information_request",
        "information_request__complaint",
        "information_request__complaint__company",
        "information_request__complaint__agency_poc",
        "submitted_by",
    ).order_by("submitted_on", "pk")
    return ActivityReport(
        rows=_with_activity_counts(rows),
        total=counts["total"],
        timely=counts["timely"],
        late=counts["total"] - counts["timely"],
    )


def _count_per_ir(model: Any, **filters: Any) -> Coalesce:
    per_ir = (
        model.objects.filter(information_request=OuterRef("information_request"), **filters)
        .order_by()
        .values("information_request")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_ir, output_field=IntegerField()), Value(0))


def _with_activity_counts(rows: QuerySet[IRResponse]) -> QuerySet[IRResponse]:
    """Per-IR extension, reminder and send-back counts and the round's start, as correlated
    subqueries: the report costs the same few queries whatever the number of rows."""
    # A later round opens when the agency sends the previous one back.
    round_opened = (
        SendBack.objects.filter(
            information_request=OuterRef("information_request"),
            kind=SendBackKind.AGENCY,
            round=OuterRef("round") - 1,
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return rows.annotate(
        extension_count=_count_per_ir(DueDateChange, reason="extension"),
        reminder_count=_count_per_ir(Reminder),
        send_back_count=_count_per_ir(SendBack, kind=SendBackKind.AGENCY),
        round_opened_at=Subquery(round_opened),
    )


def ir_documents_for(*, actor: User, ir_ref: str) -> list[Document]:
    """The IR's own documents and those of its submitted responses, for the agency."""
    ir = ir_get_for(actor=actor, ir_ref=ir_ref)
    response_ids = [str(r.pk) for r in ir.submitted_responses]  # type: ignore[attr-defined]
    rows = Document.objects.select_related("uploaded_by").filter(
        Q(attached_type="information_requests.informationrequest", attached_id=str(ir.pk))
        | Q(attached_type="information_requests.irresponse", attached_id__in=response_ids),
        disposed_at__isnull=True,
    )
    who = actor_for(actor)
    return [d for d in rows.order_by("uploaded_at", "pk") if can_view_document(who, d)]


# --- company side ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CompanyResponse:
    round: int
    status: str
    text: str | None  # None when hidden from this user
    hidden_from_other_company_users: bool
    drafted_by: str
    submitted_at: dt.datetime | None


@dataclass(frozen=True)
class CompanySendBack:
    round: int
    kind: str
    text: str
    new_due_date: dt.date | None
    created_at: dt.datetime


@dataclass(frozen=True)
class CompanyIR:
    """What a company user may know about an IR: no Quick Look, no internal agency data."""

    ref: str
    complaint_ref: str
    agency_name: str
    number: int
    title: str
    description: str
    due_date: dt.date | None
    original_due_date: dt.date | None
    status: str
    status_label: str
    is_comment_only: bool
    send_comment: str
    sent_at: dt.datetime | None
    round: int
    responses: tuple[CompanyResponse, ...] = ()
    send_backs: tuple[CompanySendBack, ...] = ()


def _company_actor(user: User) -> Actor:
    who = actor_for(user)
    if not who.is_company_user or who.company_id is None or who.complaints_access not in ("view", "manage"):
        raise NotFound("No such information request.")
    return who


def _company_scope(who: Actor) -> QuerySet[InformationRequest]:
    company_id = who.company_id
    if company_id is None:
        return InformationRequest.objects.none()
    return InformationRequest.objects.filter(
        complaint__company_id=company_id,
        complaint__first_ir_sent_at__isnull=False,
        sent_at__isnull=False,
    ).select_related("complaint", "complaint__agency")


def _project(who: Actor, ir: InformationRequest, *, detail: bool) -> CompanyIR:
    responses: tuple[CompanyResponse, ...] = ()
    send_backs: tuple[CompanySendBack, ...] = ()
    if detail:
        responses = tuple(
            CompanyResponse(
                round=r.round,
                status=r.status,
                text=r.text if policy.can_read_response(who, r, ir.complaint) else None,
                hidden_from_other_company_users=r.hidden_from_other_company_users,
                drafted_by=r.drafted_by.get_full_name(),
                submitted_at=r.submitted_at,
            )
            for r in ir.responses.select_related("drafted_by").order_by("round")
        )
        send_backs = tuple(
            CompanySendBack(
                round=s.round, kind=s.kind, text=s.text, new_due_date=s.new_due_date, created_at=s.created_at
            )
            for s in SendBack.objects.filter(information_request=ir).order_by("created_at", "pk")
        )
    return CompanyIR(
        ref=ir.ref,
        complaint_ref=ir.complaint.ref,
        agency_name=ir.complaint.agency.name,
        number=ir.number,
        title=ir.title,
        description=ir.description,
        due_date=ir.due_date,
        original_due_date=ir.original_due_date,
        status=ir.status,
        status_label=IRStatus(ir.status).label,
        is_comment_only=ir.is_comment_only,
        send_comment=ir.send_comment,
        sent_at=ir.sent_at,
        round=ir.round,
        responses=responses,
        send_backs=send_backs,
    )


def company_ir_get_for(*, actor: User, ir_ref: str) -> CompanyIR:
    who = _company_actor(actor)
    ir = _company_scope(who).filter(ref=ir_ref).first()
    if ir is None or not policy.can_view_ir(who, ir):
        raise NotFound("No such information request.")
    return _project(who, ir, detail=True)


def company_response_documents(*, actor: User, ir_ref: str) -> list[Document]:
    """Files of the IR's responses that this company user may read (a hidden draft's files only
    for its drafter and the Company POC)."""
    who = _company_actor(actor)
    ir = _company_scope(who).filter(ref=ir_ref).first()
    if ir is None or not policy.can_view_ir(who, ir):
        raise NotFound("No such information request.")
    readable = [str(r.pk) for r in ir.responses.all() if policy.can_read_response(who, r, ir.complaint)]
    rows = Document.objects.select_related("uploaded_by").filter(
        attached_type="information_requests.irresponse", attached_id__in=readable, disposed_at__isnull=True
    )
    return [d for d in rows.order_by("uploaded_at", "pk") if can_view_document(who, d)]


def company_irs_for_complaint(*, actor: User, ref: str) -> list[CompanyIR]:
    who = _company_actor(actor)
    complaint = Complaint.objects.filter(ref=ref).first()
    if complaint is None or not policy.can_view_complaint(who, complaint):
        raise NotFound("No such complaint.")
    return [
        _project(who, ir, detail=False) for ir in _company_scope(who).filter(complaint=complaint).order_by("number")
    ]


@dataclass(frozen=True)
class CompanyIRFilters:
    statuses: tuple[str, ...] = ()
    agency_id: int | None = None
    due_on_or_before: dt.date | None = None


def company_ir_list_for(*, actor: User, filters: CompanyIRFilters | None = None) -> list[CompanyIR]:
    """Every sent IR on the company's complaints, across agencies, soonest due first. An IR
    waiting for the Company POC's review drops out of everyone's list but the POC's."""
    who = _company_actor(actor)
    f = filters or CompanyIRFilters()
    qs = _company_scope(who).exclude(Q(status=IRStatus.IN_COMPANY_REVIEW) & ~Q(complaint__company_poc_id=who.user.pk))
    if f.statuses:
        qs = qs.filter(status__in=f.statuses)
    if f.agency_id:
        qs = qs.filter(complaint__agency_id=f.agency_id)
    if f.due_on_or_before:
        qs = qs.filter(due_date__lte=f.due_on_or_before)
    qs = qs.order_by(F("due_date").asc(nulls_last=True), "complaint__ref", "number")
    return [_project(who, ir, detail=False) for ir in qs]


@dataclass(frozen=True)
class AgencyIRTasks:
    to_review: list[InformationRequest]
    overdue: list[InformationRequest]


AWAITING_AGENCY = (IRStatus.SENT_TO_AGENCY, IRStatus.SEND_BACK_REQUESTED)
AWAITING_COMPANY = (IRStatus.SENT_TO_COMPANY, IRStatus.COMPANY_DRAFT, IRStatus.IN_COMPANY_REVIEW)


def agency_ir_tasks_for(*, actor: User, limit: int = 10) -> AgencyIRTasks:
    """The agency home task list: responses and send-back requests waiting for the agency, and
    IRs past their due date. Supervisors see the agency's; others those of complaints where they
    are the Agency POC. Two queries whatever the number of rows."""
    who = actor_for(actor)
    if not who.is_agency_user or who.agency_id is None:
        return AgencyIRTasks(to_review=[], overdue=[])
    scope = InformationRequest.objects.select_related("complaint").filter(
        complaint__agency_id=who.agency_id,
        complaint__status__in=(ComplaintStatus.OPEN, ComplaintStatus.REOPENED),
    )
    if not who.is_supervisor:
        scope = scope.filter(complaint__agency_poc_id=actor.pk)
    to_review = list(scope.filter(status__in=AWAITING_AGENCY).order_by("due_date", "id")[:limit])
    overdue = list(
        scope.filter(status__in=AWAITING_COMPANY, due_date__lt=clock.today()).order_by("due_date", "id")[:limit]
    )
    return AgencyIRTasks(to_review=to_review, overdue=overdue)
