"""Referrals and access requests between agencies, and the basic "all complaints" list.

A complaint is addressed by its Complaint ID. Referral actions change the complaint's status, so
they need the complaint version the caller last read (``If-Match`` or ``version`` in the body;
neither is 428, a stale one 412). Access decisions change no complaint data and need none.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field as F
from ninja import Query, Router

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.agencies.models import Agency
from redress.complaints import access, referrals
from redress.complaints.models import AccessGrant, Complaint, Referral
from redress.complaints.selectors import complaint_get_for
from redress.complaints.sharing_selectors import (
    BasicComplaint,
    BasicFilters,
    access_decisions_of,
    access_requests_made_by,
    access_rows_for_complaint,
    access_waiting_for,
    basic_page_for,
    complaint_basic_get_for,
    complaint_basic_list_for,
    referrals_for,
)
from redress.core.errors import NotFound, PermissionDenied

from ..concurrency import set_etag
from ..concurrency import version_from as _version
from ..errors import responses
from ..pagination import PageParams, paginate
from ..schemas.sharing import (
    AccessDecisionIn,
    AccessGrantList,
    AccessGrantOut,
    AccessGrantPage,
    AccessRequestIn,
    AgencyRef,
    BasicComplaintOut,
    BasicComplaintPage,
    DecisionIn,
    ReferIn,
    ReferralOut,
    ReferralPage,
)
from ._common import COMPLAINT_REF, IF_MATCH, agency_caller, pk_path
from ._common import caller as _any_caller

router = Router(tags=["Sharing between agencies"])

REF = COMPLAINT_REF
_NO_NUL = r"^[^\x00]*$"


caller = agency_caller


def collection_caller(request: HttpRequest) -> User:
    user = _any_caller(request)
    if not actor_for(user).has_complaints_role:
        raise PermissionDenied("Only agency complaint users see other agencies' complaints and requests.")
    return user


def _name(user: User | None) -> str | None:
    return (user.full_name or user.email) if user is not None else None


def _agency(agency: Agency) -> AgencyRef:
    return AgencyRef(code=agency.code, name=agency.name)


# --- conversion ---------------------------------------------------------------------------------


def _referral_out(r: Referral, complaint: Complaint | None = None) -> ReferralOut:
    c = complaint or r.complaint
    return ReferralOut(
        id=r.pk,
        complaint=c.ref,
        status=r.status,
        from_agency=_agency(r.from_agency),
        to_agency=_agency(r.to_agency),
        referred_by=_name(r.referred_by) or "",
        referred_at=r.referred_at,
        comment=r.comment,
        decided_by=_name(r.decided_by),
        decided_at=r.decided_at,
        decision_comment=r.decision_comment,
        complaint_status=c.status,
        complaint_version=c.version if complaint is not None else None,
    )


def _grant_out(g: AccessGrant) -> AccessGrantOut:
    return AccessGrantOut(
        id=g.pk,
        complaint=g.complaint.ref,
        owning_agency=_agency(g.complaint.agency),
        grantee_agency=_agency(g.grantee_agency),
        status=g.status,
        requested_by=_name(g.requested_by) or "",
        requested_at=g.requested_at,
        request_comment=g.request_comment,
        decided_by=_name(g.decided_by),
        decided_at=g.decided_at,
        decision_comment=g.decision_comment,
        removed_by=_name(g.removed_by),
        removed_at=g.removed_at,
        removal_comment=g.removal_comment,
    )


def _basic_out(b: BasicComplaint) -> BasicComplaintOut:
    return BasicComplaintOut(
        ref=b.ref,
        agency=AgencyRef(code=b.agency_code, name=b.agency_name),
        subject_type=b.subject_type,
        subject_name=b.subject_name,
        company_nmls_id=b.company_nmls_id,
        company_ref=b.company_ref,
        status=b.status,
        created_on=b.created_on,
        date_received=b.date_received,
        closed_on=b.closed_on,
        full_access=b.readable,
    )


# --- all complaints (basic) ----------------------------------------------------------------------


class BasicQuery(PageParams):
    q: str = F("", max_length=200, pattern=_NO_NUL, description="Complaint ID, subject name or NMLS ID.")
    agency: str = F("", max_length=20, pattern=_NO_NUL, description="Owning agency code.")
    status: str = F("", max_length=24, pattern=_NO_NUL, description="pending, open, closed, …")


@router.get(
    "/all-complaints",
    response=responses({200: BasicComplaintPage}),
    summary="Every agency's complaints, basic information only",
    description="Newest created first. Only agency users with a complaints role; never complainant data.",
)
def list_all_complaints(request: HttpRequest, query: Query[BasicQuery]) -> dict[str, Any]:
    user = collection_caller(request)
    agency_id = None
    if query.agency:
        agency_id = Agency.objects.filter(code=query.agency.strip().upper()).values_list("pk", flat=True).first() or -1
    qs = complaint_basic_list_for(actor=user, filters=BasicFilters(q=query.q, agency_id=agency_id, status=query.status))
    page = paginate(qs, keys=("-created_at", "-id"), cursor=query.cursor, limit=query.limit)
    return {
        "items": [_basic_out(b) for b in basic_page_for(actor=user, rows=page.items)],
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/all-complaints/{ref}",
    response=responses({200: BasicComplaintOut}, 404),
    summary="Basic information of any agency's complaint",
)
def get_basic_complaint(request: HttpRequest, ref: str = REF) -> BasicComplaintOut:
    return _basic_out(complaint_basic_get_for(actor=caller(request), ref=ref))


# --- referrals -----------------------------------------------------------------------------------

_REFERRAL = responses({200: ReferralOut}, 404, 409, 412, 428)


def _after(user: User, response: HttpResponse, referral: Referral, ref: str) -> ReferralOut:
    """The referral, and the complaint's new ETag when the caller may still read it."""
    try:
        complaint = complaint_get_for(actor=user, ref=ref)
    except NotFound:
        referral.complaint.refresh_from_db()
        return _referral_out(referral)
    set_etag(response, complaint.version)
    return _referral_out(referral, complaint)


@router.post(
    "/complaints/{ref}/referral",
    response=responses({201: ReferralOut}, 404, 409, 412, 428),
    summary="Refer to another agency",
    description="Supervisors and Managers of the owning agency; only an open complaint on which no "
    "Information Request was ever sent, to an agency with complaints users.",
)
def refer(
    request: HttpRequest, response: HttpResponse, payload: ReferIn, ref: str = REF, if_match: str | None = IF_MATCH
) -> tuple[int, ReferralOut]:
    user = caller(request)
    version = _version(if_match, payload)
    target = Agency.objects.filter(code=payload.to_agency.strip().upper()).values_list("pk", flat=True).first()
    referral = referrals.referral_create(
        actor=user, ref=ref, to_agency_id=target, comment=payload.comment, expected_version=version
    )
    return 201, _after(user, response, referral, ref)


@router.post("/complaints/{ref}/referral/withdraw", response=_REFERRAL, summary="Withdraw the pending referral")
def withdraw_referral(
    request: HttpRequest, response: HttpResponse, payload: DecisionIn, ref: str = REF, if_match: str | None = IF_MATCH
) -> ReferralOut:
    user = caller(request)
    version = _version(if_match, payload)
    referral = referrals.referral_withdraw(actor=user, ref=ref, comment=payload.comment, expected_version=version)
    return _after(user, response, referral, ref)


@router.post(
    "/complaints/{ref}/referral/accept",
    response=_REFERRAL,
    summary="Accept a referral to your agency",
    description="Any Supervisor or Manager of the receiving agency. Your agency then owns the complaint and you "
    "are its Agency POC.",
)
def accept_referral(
    request: HttpRequest, response: HttpResponse, payload: DecisionIn, ref: str = REF, if_match: str | None = IF_MATCH
) -> ReferralOut:
    user = caller(request)
    version = _version(if_match, payload)
    referral = referrals.referral_accept(actor=user, ref=ref, comment=payload.comment, expected_version=version)
    return _after(user, response, referral, ref)


@router.post(
    "/complaints/{ref}/referral/reject",
    response=_REFERRAL,
    summary="Reject a referral to your agency (comment required)",
)
def reject_referral(
    request: HttpRequest, response: HttpResponse, payload: DecisionIn, ref: str = REF, if_match: str | None = IF_MATCH
) -> ReferralOut:
    user = caller(request)
    version = _version(if_match, payload)
    referral = referrals.referral_reject(actor=user, ref=ref, comment=payload.comment, expected_version=version)
    return _after(user, response, referral, ref)


ReferralView = Literal["incoming", "decisions", "outgoing", "history"]


class ReferralQuery(PageParams):
    view: ReferralView = F(
        "incoming",
        description="incoming (waiting for your agency), decisions (your agency's), outgoing (yours, undecided), "
        "history (yours, decided).",
    )


@router.get(
    "/referrals",
    response=responses({200: ReferralPage}),
    summary="Referrals report of my agency",
    description="Canceled complaints are left out.",
)
def list_referrals(request: HttpRequest, query: Query[ReferralQuery]) -> dict[str, Any]:
    user = collection_caller(request)
    page = paginate(referrals_for(actor=user, view=query.view), keys=("-id",), cursor=query.cursor, limit=query.limit)
    return {"items": [_referral_out(r) for r in page.items], "next_cursor": page.next_cursor}


# --- access requests -----------------------------------------------------------------------------


@router.post(
    "/complaints/{ref}/access-requests",
    response=responses({201: AccessGrantOut}, 404, 409),
    summary="Request read-only access for your agency",
    description="Any complaints user of another agency. Refused while the complaint waits for a referral "
    "decision and while your agency already has a request pending or access granted.",
)
def request_access(request: HttpRequest, payload: AccessRequestIn, ref: str = REF) -> tuple[int, AccessGrantOut]:
    user = caller(request)
    return 201, _grant_out(access.access_request(actor=user, ref=ref, comment=payload.comment))


@router.get(
    "/complaints/{ref}/access-requests",
    response=responses({200: AccessGrantList}, 404),
    summary="Access requests and grants of a complaint",
    description="All of them for the owning agency; your own agency's otherwise.",
)
def complaint_access(request: HttpRequest, ref: str = REF) -> dict[str, Any]:
    return {"items": [_grant_out(g) for g in access_rows_for_complaint(actor=caller(request), ref=ref)]}


_DECIDE = responses({200: AccessGrantOut}, 404, 409)


@router.post(
    "/complaints/{ref}/access-requests/{grant_id}/accept",
    response=_DECIDE,
    summary="Grant access (Supervisors of the owning agency)",
)
def accept_access(
    request: HttpRequest, payload: AccessDecisionIn, ref: str = REF, grant_id: int = pk_path("The request's id.")
) -> AccessGrantOut:
    user = caller(request)
    return _grant_out(access.access_accept(actor=user, ref=ref, grant_id=grant_id, comment=payload.comment))


@router.post(
    "/complaints/{ref}/access-requests/{grant_id}/reject",
    response=_DECIDE,
    summary="Reject an access request (Supervisors of the owning agency)",
)
def reject_access(
    request: HttpRequest, payload: AccessDecisionIn, ref: str = REF, grant_id: int = pk_path("The request's id.")
) -> AccessGrantOut:
    user = caller(request)
    return _grant_out(access.access_reject(actor=user, ref=ref, grant_id=grant_id, comment=payload.comment))


@router.post(
    "/complaints/{ref}/access-requests/{grant_id}/remove",
    response=_DECIDE,
    summary="Remove granted access (Supervisors of the owning agency)",
)
def remove_access(
    request: HttpRequest, payload: AccessDecisionIn, ref: str = REF, grant_id: int = pk_path("The request's id.")
) -> AccessGrantOut:
    user = caller(request)
    return _grant_out(access.access_remove(actor=user, ref=ref, grant_id=grant_id, comment=payload.comment))


AccessView = Literal["incoming", "decisions", "history"]


class AccessQuery(PageParams):
    view: AccessView = F(
        "incoming",
        description="incoming (requests waiting for your agency's decision), decisions (your agency's), "
        "history (requests your agency made).",
    )


@router.get(
    "/access-requests",
    response=responses({200: AccessGrantPage}),
    summary="Access Requests report of my agency",
    description="Canceled complaints are left out.",
)
def list_access_requests(request: HttpRequest, query: Query[AccessQuery]) -> dict[str, Any]:
    user = collection_caller(request)
    qs = {
        "incoming": access_waiting_for,
        "decisions": access_decisions_of,
        "history": access_requests_made_by,
    }[query.view](actor=user)
    page = paginate(qs, keys=("-id",), cursor=query.cursor, limit=query.limit)
    return {"items": [_grant_out(g) for g in page.items], "next_cursor": page.next_cursor}
