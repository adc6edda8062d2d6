"""CSV export of a complaint list, for the API and the web UI (spec 9: "every list can be downloaded").

Invariants:
- The rows are exactly the actor's ``complaint_list_for`` result (same scope, same filters), so
  an export never shows a complaint the list would not.
- Complainant name and address leave only with users of the owning agency when the complaint
  is restricted; other readers get blank cells.
- Every cell goes through ``safe_cell``, so no value is run as a spreadsheet formula.
- Memory stays constant whatever the number of rows: the queryset is read with
  ``iterator(chunk_size=...)`` and the latest closure comes from subqueries, not per-row queries;
  categories are prefetched per chunk.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import OuterRef, Subquery

from redress.accounts.models import User
from redress.accounts.policy import Actor, actor_for
from redress.core.csv_safety import safe_cell
from redress.core.errors import NotFound

from . import policy
from .categories import category_names, with_categories
from .models import Closure
from .search import apply_text_search
from .selectors import ComplaintFilters, complaint_list_for

CHUNK_SIZE = 500

HEADER = (
    "Complaint ID",
    "CFPB ID",
    "Status",
    "Agency",
    "Subject",
    "Subject type",
    "Company ID",
    "Company NMLS ID",
    "Agency POC",
    "Date received",
    "How received",
    "Business type",
    "Product",
    "Sub-product",
    "Issue",
    "Sub-issue",
    "Amount in dispute",
    "Complainant first name",
    "Complainant last name",
    "Complainant state",
    "Date closed",
    "Closure reason",
    "Monetary relief",
    "Days open",
    "Categories",
)


def _dollars(cents: int | None) -> str:
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _latest(field: str) -> Subquery:
    return Subquery(Closure.objects.filter(complaint=OuterRef("pk")).order_by("-closed_at", "-id").values(field)[:1])


def complaints_csv_rows(actor: User, filters: ComplaintFilters | None = None, *, text: str = "") -> Iterator[list[str]]:
    """The header, then one row per complaint the actor may list with these filters.

    The export is the agency's: it carries agency-only fields, so anyone else is refused, before
    the first row is produced (a stream cannot turn into an error half-way)."""
    who = actor_for(actor)
    if not who.is_agency_user:
        raise NotFound("No such complaints.")
    return _rows(actor, who, filters, text)


def _rows(actor: User, who: Actor, filters: ComplaintFilters | None, text: str) -> Iterator[list[str]]:
    qs = apply_text_search(complaint_list_for(actor=actor, filters=filters), text)
    qs = with_categories(qs.annotate(_closure_reason=_latest("reason"), _relief_cents=_latest("monetary_relief_cents")))
    yield list(HEADER)
    for c in qs.iterator(chunk_size=CHUNK_SIZE):
        shows_complainant = policy.can_see_complainant(who, c)
        closed = c.status == "closed"
        reason = getattr(c, "_closure_reason", None) if closed else None
        yield [
            safe_cell(v)
            for v in (
                c.ref,
                c.cfpb_id,
                c.get_status_display(),
                c.agency.code,
                c.subject_name,
                c.get_subject_type_display(),
                c.company.company_ref if c.company else "",
                (c.company.nmls_id or "") if c.company else "",
                (c.agency_poc.full_name or c.agency_poc.email) if c.agency_poc else "",
                c.date_received.isoformat(),
                c.get_how_received_display(),
                c.business_type,
                c.product,
                c.sub_product,
                c.issue,
                c.sub_issue,
                _dollars(c.amount_in_dispute_cents),
                c.complainant_first_name if shows_complainant else "",
                c.complainant_last_name if shows_complainant else "",
                c.complainant_state if shows_complainant else "",
                c.closed_on.isoformat() if closed and c.closed_on else "",
                Closure(reason=reason).get_reason_display() if reason else "",
                _dollars(getattr(c, "_relief_cents", None)) if closed else "",
                c.days_open,
                "; ".join(category_names(c)),
            )
        ]
