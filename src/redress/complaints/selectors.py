"""Reading complaints, always through the actor's scope.

Invariants:
- A complaint outside the actor's scope answers exactly like a missing one (NotFound).
- Lists are the actor's own agency's complaints; ``scope="shared"`` lists instead the complaints
  another agency granted the actor's agency access to. One record (``complaint_get_for``) is also
  readable by a granted agency and by the agency a pending referral was sent to (``policy``).
- Searching by complainant last name never matches a restricted complaint of another agency.
- List querysets select their related rows up front, so a page costs a constant number of queries.
- The closure-reason filter reads the latest closure only (a reopened and reclosed complaint
  counts under its last reason); the overdue filter means an IR still waiting for the company
  after its due date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.core import clock
from redress.core.errors import NotFound

from . import policy
from .constants import DUPLICATE_WINDOW_DAYS, OPEN_STATUSES, AccessStatus, ReferralStatus, Status
from .models import AccessGrant, Closure, Complaint, Referral

SCOPE_OWN = "own"
SCOPE_SHARED = "shared"


@dataclass(frozen=True)
class ComplaintFilters:
    statuses: tuple[str, ...] = ()
    agency_poc_id: int | None = None
    company_id: int | None = None
    product: str = ""
    issue: str = ""
    how_received: str = ""
    business_type: str = ""
    closure_reason: str = ""
    overdue_ir: bool = False
    category_id: int | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    closed_from: dt.date | None = None
    closed_to: dt.date | None = None
    q: str = ""
    scope: str = SCOPE_OWN


def granted_ids(agency_id: int) -> QuerySet[AccessGrant, Any]:
    """Subquery: complaints another agency granted ``agency_id`` access to."""
    return AccessGrant.objects.filter(grantee_agency_id=agency_id, status=AccessStatus.GRANTED).values("complaint_id")


def _scope(user: User, *, scope: str = SCOPE_OWN, readable: bool = False) -> QuerySet[Complaint]:
    """The one home of complaint scoping. Own agency by default; ``scope="shared"`` the complaints
    granted to the actor's agency; ``readable`` every complaint one may open in full (own, granted,
    and those referred to the actor's agency and waiting for its decision)."""
    actor = actor_for(user)
    base = Complaint.objects.select_related(
        "agency", "agency_poc", "company", "non_nmls_entity", "branch", "individual"
    )
    if policy.is_complaints_user(actor):
        assert actor.agency_id is not None
        own = Q(agency_id=actor.agency_id)
        granted = Q(id__in=granted_ids(actor.agency_id))
        if readable:
            referred = Q(
                id__in=Referral.objects.filter(to_agency_id=actor.agency_id, status=ReferralStatus.PENDING).values(
                    "complaint_id"
                )
            )
            return base.filter(own | granted | referred)
        if scope == SCOPE_SHARED:
            return base.filter(granted).exclude(own)
        return base.filter(own)
    if scope != SCOPE_OWN:
        return base.none()  # sharing is between agencies only
    if actor.is_company_user and actor.company_id is not None and actor.complaints_access in ("view", "manage"):
        return base.filter(company_id=actor.company_id, first_ir_sent_at__isnull=False)
    return base.none()


def complaint_get_for(*, actor: User, ref: str) -> Complaint:
    complaint = _scope(actor, readable=True).filter(ref=ref).first()
    if complaint is None or not policy.can_view(actor_for(actor), complaint):
        raise NotFound("No such complaint.")
    return complaint


def complaint_list_for(*, actor: User, filters: ComplaintFilters | None = None) -> QuerySet[Complaint]:
    """The actor's complaints (or, with ``scope="shared"``, those shared with the actor's agency),
    newest received first, filtered."""
    f = filters or ComplaintFilters()
    qs = _scope(actor, scope=f.scope)
    if f.statuses:
        qs = qs.filter(status__in=f.statuses)
    if f.agency_poc_id:
        qs = qs.filter(agency_poc_id=f.agency_poc_id)
    if f.company_id:
        qs = qs.filter(company_id=f.company_id)
    if f.product:
        qs = qs.filter(product=f.product)
    if f.issue:
        qs = qs.filter(issue=f.issue)
    if f.how_received:
        qs = qs.filter(how_received=f.how_received)
    if f.business_type:
        qs = qs.filter(business_type=f.business_type)
    if f.closure_reason:
        latest = Closure.objects.filter(complaint=OuterRef("pk")).order_by("-closed_at", "-id").values("reason")[:1]
        qs = (
            qs.filter(status=Status.CLOSED)
            .annotate(latest_reason=Subquery(latest))
            .filter(latest_reason=f.closure_reason)
        )
    if f.overdue_ir:
        qs = qs.filter(Exists(_overdue_irs()))
    if f.category_id:
        # One link per complaint and category, so the join never repeats a complaint.
        qs = qs.filter(category_links__category_id=f.category_id)
    if f.received_from:
        qs = qs.filter(date_received__gte=f.received_from)
    if f.received_to:
        qs = qs.filter(date_received__lte=f.received_to)
    if f.closed_from:
        qs = qs.filter(closed_on__gte=f.closed_from, status=Status.CLOSED)
    if f.closed_to:
        qs = qs.filter(closed_on__lte=f.closed_to, status=Status.CLOSED)
    if f.q:
        term = f.q.strip()
        # The complainant's name finds only complaints whose complainant the actor may see.
        who = actor_for(actor)
        complainant_visible = Q(restrict_complainant=False) | Q(agency_id=who.agency_id)
        qs = qs.filter(
            Q(ref__iexact=term)
            | Q(cfpb_id=term)
            | (Q(complainant_last_name__iexact=term) & complainant_visible)
            | Q(subject_name__icontains=term)
        )
    return qs.order_by("-date_received", "-id")


def _overdue_irs() -> QuerySet[Any]:
    """The complaint's IRs still waiting for the company after their due date."""
    # Imported late: the IR exchange builds on the complaints app.
    from redress.information_requests.models import InformationRequest
    from redress.information_requests.selectors import AWAITING_COMPANY

    return InformationRequest.objects.filter(
        complaint=OuterRef("pk"), status__in=AWAITING_COMPANY, due_date__lt=clock.today()
    )


def likely_duplicates_for(
    *, actor: User, company_id: int | None, complainant_last_name: str, date_received: dt.date
) -> QuerySet[Complaint]:
    """Open complaints of the actor's agency about the same subject and complainant, received
    within 30 days either side — shown before saving, never blocking."""
    window = dt.timedelta(days=DUPLICATE_WINDOW_DAYS)
    if company_id is None:
        return Complaint.objects.none()
    return (
        _scope(actor)
        .filter(
            company_id=company_id,
            complainant_last_name__iexact=complainant_last_name.strip(),
            date_received__range=(date_received - window, date_received + window),
            status__in=OPEN_STATUSES,
        )
        .order_by("-date_received")
    )
