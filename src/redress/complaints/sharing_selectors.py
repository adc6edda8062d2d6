"""Reading referrals, access requests and the basic view of every agency's complaints.

Invariants:
- Only agency users with a complaints role read any of this; anyone else gets nothing (empty
  lists) or NotFound (one record), exactly as for a missing complaint.
- The basic view of a complaint carries only its Complaint ID, owning agency, subject, status and
  dates: never complainant data, the summary, IRs, research or documents. It is built from a
  query that loads only those columns, so nothing more can leak through a template.
- A complaint's access rows are all visible to its owning agency; another agency sees only its
  own requests. Referral rows are visible to the two agencies they join.
- Reports leave canceled complaints out (spec 9.2); every list costs a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from redress.accounts.models import User
from redress.accounts.policy import Actor, actor_for
from redress.core.errors import NotFound

from . import policy
from .constants import AccessStatus, ReferralStatus, Status
from .models import AccessGrant, Complaint, Referral

BASIC_FIELDS = (
    "id",
    "ref",
    "agency__code",
    "agency__name",
    "subject_type",
    "subject_name",
    "company__nmls_id",
    "company__company_ref",
    "status",
    "created_at",
    "date_received",
    "closed_on",
)


@dataclass(frozen=True)
class BasicComplaint:
    """What every agency complaints user may know of any complaint."""

    ref: str
    agency_id: int
    agency_code: str
    agency_name: str
    subject_type: str
    subject_name: str
    company_nmls_id: str
    company_ref: str
    status: str
    status_label: str
    created_on: dt.date
    date_received: dt.date
    closed_on: dt.date | None
    readable: bool = False


@dataclass(frozen=True)
class BasicFilters:
    q: str = ""
    agency_id: int | None = None
    status: str = ""


@dataclass(frozen=True)
class _Agency:
    actor: Actor
    agency_id: int
    can_manage_complaints: bool


def _complaints_actor(user: User) -> _Agency | None:
    who = actor_for(user)
    if not policy.is_complaints_user(who) or who.agency_id is None:
        return None
    return _Agency(actor=who, agency_id=who.agency_id, can_manage_complaints=who.can_manage_complaints)


def basic_of(row: Complaint, *, readable: bool = False) -> BasicComplaint:
    closed = row.closed_on if row.status == Status.CLOSED else None
    return BasicComplaint(
        ref=row.ref,
        agency_id=row.agency_id,
        agency_code=row.agency.code,
        agency_name=row.agency.name,
        subject_type=row.subject_type,
        subject_name=row.subject_name,
        company_nmls_id=(row.company.nmls_id or "") if row.company is not None else "",
        company_ref=row.company.company_ref if row.company is not None else "",
        status=row.status,
        status_label=Status(row.status).label,
        created_on=row.created_at.date(),
        date_received=row.date_received,
        closed_on=closed,
        readable=readable,
    )


def complaint_basic_list_for(*, actor: User, filters: BasicFilters | None = None) -> QuerySet[Complaint]:
    """Every agency's complaints, newest created first, loading only the basic columns."""
    who = _complaints_actor(actor)
    if who is None:
        return Complaint.objects.none()
    f = filters or BasicFilters()
    qs = Complaint.objects.select_related("agency", "company").only(*BASIC_FIELDS)
    if f.agency_id:
        qs = qs.filter(agency_id=f.agency_id)
    if f.status and f.status in Status.values:
        qs = qs.filter(status=f.status)
    term = (f.q or "").strip()
    if term:
        qs = qs.filter(Q(ref__iexact=term) | Q(subject_name__icontains=term) | Q(company__nmls_id=term))
    return qs.order_by("-created_at", "-id")


def readable_refs(*, actor: User, refs: list[str]) -> set[str]:
    """Among ``refs``, the complaints the actor may open in full (own or granted), in one query."""
    who = _complaints_actor(actor)
    if who is None or not refs:
        return set()
    granted = AccessGrant.objects.filter(grantee_agency_id=who.agency_id, status=AccessStatus.GRANTED).values(
        "complaint_id"
    )
    referred = Referral.objects.filter(to_agency_id=who.agency_id, status=ReferralStatus.PENDING).values("complaint_id")
    return set(
        Complaint.objects.filter(ref__in=refs)
        .filter(Q(agency_id=who.agency_id) | Q(id__in=granted) | Q(id__in=referred))
        .values_list("ref", flat=True)
    )


def basic_page_for(*, actor: User, rows: list[Complaint]) -> list[BasicComplaint]:
    readable = readable_refs(actor=actor, refs=[r.ref for r in rows])
    return [basic_of(r, readable=r.ref in readable) for r in rows]


def complaint_basic_get_for(*, actor: User, ref: str) -> BasicComplaint:
    rows = list(complaint_basic_list_for(actor=actor).filter(ref=ref)[:1])
    if not rows:
        raise NotFound("No such complaint.")
    return basic_page_for(actor=actor, rows=rows)[0]


# --- access requests ---------------------------------------------------------------------------


def _grants() -> QuerySet[AccessGrant]:
    return AccessGrant.objects.select_related(
        "complaint", "complaint__agency", "grantee_agency", "requested_by", "decided_by", "removed_by"
    )


def access_rows_for_complaint(*, actor: User, ref: str) -> list[AccessGrant]:
    """The complaint's access requests and grants, newest first: all of them for the owning agency,
    the actor's own agency's for anyone else."""
    who = _complaints_actor(actor)
    complaint = Complaint.objects.filter(ref=ref).only("id", "agency_id").first()
    if who is None or complaint is None:
        raise NotFound("No such complaint.")
    qs = _grants().filter(complaint_id=complaint.pk)
    if complaint.agency_id != who.agency_id:
        qs = qs.filter(grantee_agency_id=who.agency_id)
    return list(qs.order_by("-requested_at", "-id"))


def access_waiting_for(*, actor: User) -> QuerySet[AccessGrant]:
    """Requests for the actor's agency's complaints waiting for a Supervisor (oldest first)."""
    who = _complaints_actor(actor)
    if who is None:
        return AccessGrant.objects.none()
    return (
        _grants()
        .filter(complaint__agency_id=who.agency_id, status=AccessStatus.PENDING)
        .exclude(complaint__status=Status.CANCELED)
        .order_by("requested_at", "id")
    )


def access_decisions_of(*, actor: User) -> QuerySet[AccessGrant]:
    """My Agency's Decisions: decided requests for the actor's agency's complaints, newest first."""
    who = _complaints_actor(actor)
    if who is None:
        return AccessGrant.objects.none()
    return (
        _grants()
        .filter(
            complaint__agency_id=who.agency_id,
            status__in=(AccessStatus.GRANTED, AccessStatus.REJECTED, AccessStatus.REMOVED),
        )
        .exclude(complaint__status=Status.CANCELED)
        .order_by("-decided_at", "-id")
    )


def access_requests_made_by(*, actor: User) -> QuerySet[AccessGrant]:
    """Request History: every request the actor's agency made, newest first."""
    who = _complaints_actor(actor)
    if who is None:
        return AccessGrant.objects.none()
    return (
        _grants()
        .filter(grantee_agency_id=who.agency_id)
        .exclude(complaint__status=Status.CANCELED)
        .order_by("-requested_at", "-id")
    )


# --- referrals ----------------------------------------------------------------------------------


def _referrals() -> QuerySet[Referral]:
    return Referral.objects.select_related(
        "complaint", "complaint__agency", "from_agency", "to_agency", "referred_by", "decided_by"
    )


def pending_referral_of(complaint: Complaint) -> Referral | None:
    """For a reader who may already see the complaint."""
    return _referrals().filter(complaint_id=complaint.pk, status=ReferralStatus.PENDING).first()


REFERRAL_VIEWS = {
    "incoming": "Incoming Requests",
    "decisions": "My Agency's Decisions",
    "outgoing": "Outgoing Requests",
    "history": "My Referral History",
}


def referrals_for(*, actor: User, view: str) -> QuerySet[Referral]:
    """One quick filter of the Referrals report (``REFERRAL_VIEWS``); canceled complaints left out."""
    who = _complaints_actor(actor)
    if who is None or view not in REFERRAL_VIEWS:
        return Referral.objects.none()
    qs = _referrals().exclude(complaint__status=Status.CANCELED)
    pending = Q(status=ReferralStatus.PENDING)
    if view == "incoming":
        return qs.filter(pending, to_agency_id=who.agency_id).order_by("referred_at", "id")
    if view == "decisions":
        decided = Q(status__in=(ReferralStatus.ACCEPTED, ReferralStatus.REJECTED))
        return qs.filter(decided, to_agency_id=who.agency_id).order_by("-decided_at", "-id")
    if view == "outgoing":
        return qs.filter(pending, from_agency_id=who.agency_id).order_by("-referred_at", "-id")
    return qs.filter(~pending, from_agency_id=who.agency_id).order_by("-decided_at", "-id")


def incoming_referrals_for(*, actor: User) -> QuerySet[Referral]:
    """The home widget: referrals waiting for the actor's agency (Supervisors and Managers)."""
    who = _complaints_actor(actor)
    if who is None or not who.can_manage_complaints:
        return Referral.objects.none()
    return referrals_for(actor=actor, view="incoming")
