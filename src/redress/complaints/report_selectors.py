"""Aggregate counts of an agency's complaints for the Complaints Reports (spec 9.2).

Invariants:
- Only agency users with a complaints role (Supervisors, Managers, Viewers) read these figures,
  and only about complaints their own agency owns now: a complaint referred to another agency and
  accepted there counts for its new owner. Anyone else gets NotFound, as for a missing report.
- Canceled complaints are left out of every figure (spec 2.4 item 6, 9.2).
- Status, business type, category and subject count the complaints received in the date range.
  Closure reasons and monetary relief count complaints closed now, by the reason and relief of
  their latest closure (an earlier closure that was reopened never counts), either among the
  complaints received in the range or, with ``closures_by="closed"``, among those whose latest
  closure falls in the range whenever they were received.
- Every figure comes from a GROUP BY or aggregate query: the report costs the same few queries
  whatever the number of complaints. Each query is bounded by the agency and a date range, which
  the (agency, date received) and (agency, closed on) indexes serve; the other filters narrow
  those rows further.
- Money is summed in integer cents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.core.errors import ApplicationError, NotFound

from . import policy
from .constants import Status
from .models import Closure, Complaint, ComplaintCategory, ComplaintCategoryLink

CLOSURES_BY_RECEIVED = "received"
CLOSURES_BY_CLOSED = "closed"
CLOSURES_BY = (CLOSURES_BY_RECEIVED, CLOSURES_BY_CLOSED)
MAX_TOP_SUBJECTS = 100
DEFAULT_DAYS = 365
INVALID_RANGE = "invalid_date_range"
INVALID_FILTER = "invalid_report_filter"

SubjectKind = Literal["company", "non_nmls", "none"]


@dataclass(frozen=True)
class SummaryFilters:
    date_from: dt.date
    date_to: dt.date
    closures_by: str = CLOSURES_BY_RECEIVED
    agency_poc_id: int | None = None
    business_type: str = ""
    product: str = ""
    top_subjects: int = 10


@dataclass(frozen=True)
class CategoryCount:
    id: int
    name: str
    active: bool
    count: int


@dataclass(frozen=True)
class SubjectCount:
    kind: SubjectKind
    id: int | None
    name: str
    identifier: str  # NMLS ID of a company, tracking number of a Non-NMLS entity
    count: int


@dataclass(frozen=True)
class ComplaintSummary:
    filters: SummaryFilters
    total: int
    by_status: dict[str, int]
    by_business_type: dict[str, int]
    by_category: list[CategoryCount]
    without_category: int
    top_subjects: list[SubjectCount]
    subject_count: int
    closed_total: int
    by_closure_reason: dict[str, int]
    relief_count: int
    relief_cents: int

    @property
    def other_subjects(self) -> int:
        """Subjects beyond the top list."""
        return max(0, self.subject_count - len(self.top_subjects))

    @property
    def other_subject_complaints(self) -> int:
        return self.total - sum(s.count for s in self.top_subjects)


def default_date_from(date_to: dt.date, days: int = DEFAULT_DAYS) -> dt.date:
    """The start of the default range: ``days`` before ``date_to``, never before the first date."""
    return date_to - dt.timedelta(days=min(days, date_to.toordinal() - 1))


def _check(filters: SummaryFilters) -> None:
    if filters.date_from > filters.date_to:
        raise ApplicationError(INVALID_RANGE, "The end date must be on or after the start date.", field="date_to")
    if filters.closures_by not in CLOSURES_BY:
        raise ApplicationError(INVALID_FILTER, "Count closures by date received or date closed.", field="closures_by")
    if not 1 <= filters.top_subjects <= MAX_TOP_SUBJECTS:
        raise ApplicationError(INVALID_FILTER, f"List between 1 and {MAX_TOP_SUBJECTS} subjects.", field="top_subjects")


def _owned(actor: User, filters: SummaryFilters) -> tuple[int, QuerySet[Complaint]]:
    """The actor's agency and its complaints, canceled ones left out, with the non-date filters."""
    who = actor_for(actor)
    if not policy.is_complaints_user(who) or who.agency_id is None:
        raise NotFound("No such report.")
    agency_id = who.agency_id
    qs = Complaint.objects.filter(agency_id=agency_id).exclude(status=Status.CANCELED)
    if filters.agency_poc_id:
        qs = qs.filter(agency_poc_id=filters.agency_poc_id)
    if filters.business_type:
        qs = qs.filter(business_type=filters.business_type)
    if filters.product:
        qs = qs.filter(product=filters.product)
    # Grouped queries must not group by the model's default ordering columns too.
    return agency_id, qs.order_by()


def _counts(rows: Any, key: str) -> dict[str, int]:
    return {row[key]: row["n"] for row in rows}


def _top_subjects(received: QuerySet[Complaint], limit: int) -> list[SubjectCount]:
    rows = (
        received.values(
            "company_id",
            "company__legal_name",
            "company__nmls_id",
            "non_nmls_entity_id",
            "non_nmls_entity__name",
            "non_nmls_entity__tracking_number",
        )
        .annotate(n=Count("pk"))
        .order_by("-n", "company__legal_name", "non_nmls_entity__name", "company_id", "non_nmls_entity_id")[:limit]
    )
    out = []
    for row in rows:
        if row["company_id"] is not None:
            out.append(
                SubjectCount(
                    kind="company",
                    id=row["company_id"],
                    name=row["company__legal_name"],
                    identifier=row["company__nmls_id"] or "",
                    count=row["n"],
                )
            )
        elif row["non_nmls_entity_id"] is not None:
            out.append(
                SubjectCount(
                    kind="non_nmls",
                    id=row["non_nmls_entity_id"],
                    name=row["non_nmls_entity__name"],
                    identifier=row["non_nmls_entity__tracking_number"],
                    count=row["n"],
                )
            )
        else:
            out.append(SubjectCount(kind="none", id=None, name="No subject recorded", identifier="", count=row["n"]))
    return out


def complaint_summary_for(*, actor: User, filters: SummaryFilters) -> ComplaintSummary:
    """Counts by status, closure reason, business type, category and subject, and monetary relief
    totals, for the actor's agency (see the module invariants for what each figure counts)."""
    _check(filters)
    agency_id, owned = _owned(actor, filters)
    received = owned.filter(date_received__gte=filters.date_from, date_received__lte=filters.date_to)

    has_category = Exists(ComplaintCategoryLink.objects.filter(complaint=OuterRef("pk")))
    overall = received.aggregate(
        total=Count("pk"),
        without_category=Count("pk", filter=~Q(has_category)),
        companies=Count("company_id", distinct=True),
        entities=Count("non_nmls_entity_id", distinct=True),
        unknown=Count("pk", filter=Q(company__isnull=True, non_nmls_entity__isnull=True)),
    )
    by_status = _counts(received.values("status").annotate(n=Count("pk")), "status")
    by_business_type = _counts(received.values("business_type").annotate(n=Count("pk")), "business_type")

    # Every category of the agency with its count among the received complaints, in list order;
    # a category no longer in use shows only while complaints in the range still carry it.
    categories = (
        ComplaintCategory.objects.filter(agency_id=agency_id)
        .annotate(n=Count("complaint_links", filter=Q(complaint_links__complaint__in=received.values("pk"))))
        .order_by("position", "name", "id")
    )
    by_category = [
        CategoryCount(id=c.pk, name=c.name, active=c.is_active, count=c.n) for c in categories if c.is_active or c.n
    ]

    if filters.closures_by == CLOSURES_BY_CLOSED:
        closed = owned.filter(status=Status.CLOSED, closed_on__gte=filters.date_from, closed_on__lte=filters.date_to)
    else:
        closed = received.filter(status=Status.CLOSED)
    latest = Closure.objects.filter(complaint=OuterRef("complaint")).order_by("-closed_at", "-id").values("pk")[:1]
    closure_rows = (
        Closure.objects.filter(complaint__in=closed.values("pk"), pk=Subquery(latest))
        .values("reason")
        .annotate(
            n=Count("pk"),
            relief_n=Count("pk", filter=Q(monetary_relief_cents__gt=0)),
            relief=Sum("monetary_relief_cents", filter=Q(monetary_relief_cents__gt=0)),
        )
        .order_by()
    )
    by_reason: dict[str, int] = {}
    relief_count = relief_cents = 0
    for row in closure_rows:
        by_reason[row["reason"]] = row["n"]
        relief_count += row["relief_n"]
        relief_cents += row["relief"] or 0

    return ComplaintSummary(
        filters=filters,
        total=overall["total"],
        by_status=by_status,
        by_business_type=by_business_type,
        by_category=by_category,
        without_category=overall["without_category"],
        top_subjects=_top_subjects(received, filters.top_subjects),
        subject_count=overall["companies"] + overall["entities"] + (1 if overall["unknown"] else 0),
        closed_total=sum(by_reason.values()),
        by_closure_reason=by_reason,
        relief_count=relief_count,
        relief_cents=relief_cents,
    )
