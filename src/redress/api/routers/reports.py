"""Agency reports: the Complaints Reports figures, with the same filters as the report page.

Only the agency's complaints users (Supervisors, Managers, Viewers) read them, always about their
own agency; anyone else is refused (403). Bad input is a 422 problem with the field named."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field as F
from ninja import Query, Router, Schema

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.companies.constants import BusinessType
from redress.complaints import policy
from redress.complaints.report_selectors import (
    MAX_TOP_SUBJECTS,
    SummaryFilters,
    complaint_summary_for,
    default_date_from,
)
from redress.core import clock
from redress.core.errors import PermissionDenied
from redress.reports.complaint_summary import business_type_counts, closure_counts, status_counts

from ..errors import responses
from ..schemas.reports import ComplaintSummaryOut
from ._common import MAX_PK
from ._common import caller as _any_caller

router = Router(tags=["Reports"])

_NO_NUL = r"^[^\x00]*$"


class ComplaintSummaryQuery(Schema):
    date_from: dt.date | None = F(None, description="Received on or after (default: 365 days before date_to).")
    date_to: dt.date | None = F(None, description="Received on or before (default: today).")
    closures_by: Literal["received", "closed"] = F(
        "received",
        description="received: closed complaints among those received in the range; closed: complaints whose "
        "latest closure falls in the range, whenever received. Only closure reasons and relief follow it.",
    )
    agency_poc_id: int | None = F(None, ge=1, le=MAX_PK, description="Only complaints with this Agency POC.")
    business_type: BusinessType | None = F(None, description="Only complaints of this business type.")
    product: str = F("", max_length=200, pattern=_NO_NUL, description="Only complaints about this product.")
    top_subjects: int = F(10, ge=1, le=MAX_TOP_SUBJECTS, description="How many subjects to list by name.")

    def filters(self) -> SummaryFilters:
        date_to = self.date_to or clock.today()
        return SummaryFilters(
            date_from=self.date_from or default_date_from(date_to),
            date_to=date_to,
            closures_by=self.closures_by,
            agency_poc_id=self.agency_poc_id,
            business_type=self.business_type.value if self.business_type else "",
            product=self.product,
            top_subjects=self.top_subjects,
        )


def _complaints_user(request: HttpRequest) -> User:
    user = _any_caller(request)
    if not policy.is_complaints_user(actor_for(user)):
        raise PermissionDenied("Complaints reports are for the agency's complaints users only.")
    return user


def _codes(rows: list[tuple[str, str, int]]) -> list[dict[str, Any]]:
    return [{"code": code, "label": label, "count": n} for code, label, n in rows]


@router.get(
    "/reports/complaints-summary",
    response=responses({200: ComplaintSummaryOut}),
    summary="Complaints Reports: counts by status, closure reason, business type, category and subject",
    description="Counts of your agency's complaints received in a date range, and monetary relief totals in cents. "
    "Canceled complaints are left out. `date_to` before `date_from` is a 422 problem (`invalid_date_range`).",
)
def complaints_summary(request: HttpRequest, query: Query[ComplaintSummaryQuery]) -> dict[str, Any]:
    user = _complaints_user(request)
    filters = query.filters()
    s = complaint_summary_for(actor=user, filters=filters)
    return {
        "filters": {
            "date_from": filters.date_from,
            "date_to": filters.date_to,
            "closures_by": filters.closures_by,
            "agency_poc_id": filters.agency_poc_id,
            "business_type": filters.business_type or None,
            "product": filters.product or None,
            "top_subjects": filters.top_subjects,
        },
        "total": s.total,
        "by_status": _codes(status_counts(s)),
        "closed_total": s.closed_total,
        "by_closure_reason": _codes(closure_counts(s)),
        "by_business_type": _codes(business_type_counts(s)),
        "by_category": [{"id": c.id, "name": c.name, "active": c.active, "count": c.count} for c in s.by_category],
        "without_category": s.without_category,
        "by_subject": {
            "top": [
                {"kind": t.kind, "id": t.id, "name": t.name, "identifier": t.identifier, "count": t.count}
                for t in s.top_subjects
            ],
            "other_subjects": s.other_subjects,
            "other_complaints": s.other_subject_complaints,
            "subjects": s.subject_count,
        },
        "monetary_relief": {
            "closed_complaints": s.closed_total,
            "complaints_with_relief": s.relief_count,
            "total_cents": s.relief_cents,
        },
    }
