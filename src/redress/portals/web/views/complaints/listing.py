"""The agency's complaint list: filters, search, sorting, keyset pagination and a streamed CSV
export of exactly the filtered list. A page costs the same number of queries whatever its size."""

from __future__ import annotations

import base64
import binascii
import csv
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from redress.companies.selectors import company_search_for
from redress.complaints.categories import category_list_for, category_names, with_categories
from redress.complaints.constants import OPEN_STATUSES
from redress.complaints.models import Complaint, TaxonomyVersion
from redress.complaints.selectors import ComplaintFilters, complaint_list_for
from redress.complaints.ui_selectors import poc_candidates_for
from redress.core import clock
from redress.core.csv_safety import safe_cell

from ...forms.complaints import OPEN_ANY, ComplaintFilterForm
from .common import require_agency_user, user_of

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
# sort key -> (field, descending); ties are broken by id in the same direction, so the order is total.
SORT_FIELDS: dict[str, tuple[str, bool]] = {
    "-received": ("date_received", True),
    "received": ("date_received", False),
    "-ref": ("ref", True),
    "ref": ("ref", False),
    "subject": ("subject_name", False),
}


class _Echo:
    def write(self, value: str) -> str:
        return value


def _filter_form(request: HttpRequest) -> ComplaintFilterForm:
    taxonomy = TaxonomyVersion.objects.filter(is_current=True).first()
    pocs = [(c.user.pk, c.user.full_name or c.user.email) for c in poc_candidates_for(actor=user_of(request))]
    categories = [
        (c.pk, c.name if c.is_active else f"{c.name} (no longer in use)")
        for c in category_list_for(actor=user_of(request))
    ]
    return ComplaintFilterForm(request.GET, taxonomy=taxonomy, pocs=pocs, categories=categories)


def _company_id(request: HttpRequest, value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if value.upper().startswith("CO-"):
        found = company_search_for(user_of(request), company_ref=value)
    elif value.isdigit():
        found = company_search_for(user_of(request), nmls_id=value)
    else:
        return 0
    pk = found.values_list("pk", flat=True).first()
    return pk if pk is not None else 0


def filtered(request: HttpRequest, form: ComplaintFilterForm) -> tuple[QuerySet[Complaint], str]:
    """The filtered list in the requested order, and the sort key used."""
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or ""
    statuses: tuple[str, ...] = tuple(OPEN_STATUSES) if status == OPEN_ANY else ((status,) if status else ())
    company_id = _company_id(request, data.get("company") or "")
    filters = ComplaintFilters(
        statuses=statuses,
        agency_poc_id=data.get("agency_poc"),
        product=data.get("product") or "",
        issue=data.get("issue") or "",
        how_received=data.get("how_received") or "",
        business_type=data.get("business_type") or "",
        closure_reason=data.get("closure_reason") or "",
        overdue_ir=bool(data.get("overdue_ir")),
        category_id=data.get("category"),
        received_from=data.get("received_from"),
        received_to=data.get("received_to"),
        closed_from=data.get("closed_from"),
        closed_to=data.get("closed_to"),
        q=data.get("q") or "",
    )
    qs = complaint_list_for(actor=user_of(request), filters=filters)
    if company_id is not None:
        # 0 means "a company was asked for but none matched": show nothing rather than everything.
        qs = qs.filter(company_id=company_id) if company_id else qs.none()
    sort = data.get("sort") or "-received"
    field, desc = SORT_FIELDS.get(sort, SORT_FIELDS["-received"])
    prefix = "-" if desc else ""
    return qs.order_by(f"{prefix}{field}", f"{prefix}id"), sort


def _encode(value: Any, pk: int) -> str:
    raw = json.dumps([str(value), pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[str, int] | None:
    try:
        value, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        return None
    if not isinstance(value, str) or not isinstance(pk, int):
        return None
    return value, pk


def _page(qs: QuerySet[Complaint], sort: str, cursor: str, limit: int) -> tuple[list[Complaint], str | None, bool]:
    """Keyset page after ``cursor``: (rows, next cursor, was the cursor unusable?)."""
    field, desc = SORT_FIELDS.get(sort, SORT_FIELDS["-received"])
    if cursor:
        decoded = _decode(cursor)
        if decoded is None:
            return [], None, True
        raw, pk = decoded
        value: Any = raw
        if field == "date_received":
            try:
                value = dt.date.fromisoformat(raw)
            except ValueError:
                return [], None, True
        op = "lt" if desc else "gt"
        qs = qs.filter(Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"id__{op}": pk}))
    rows = list(qs[: limit + 1])
    items = rows[:limit]
    next_cursor = _encode(getattr(items[-1], field), items[-1].pk) if len(rows) > limit else None
    return items, next_cursor, False


def _limit(request: HttpRequest) -> int:
    raw = request.GET.get("limit", "")
    return max(1, min(int(raw), MAX_PAGE_SIZE)) if raw.isdigit() and len(raw) < 6 else DEFAULT_PAGE_SIZE


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    require_agency_user(request)
    form = _filter_form(request)
    qs, sort = filtered(request, form)
    limit = _limit(request)
    items, next_cursor, bad_cursor = _page(qs, sort, request.GET.get("cursor", ""), limit)
    params: dict[str, str] = {k: str(v) for k, v in request.GET.items() if k != "cursor" and v}
    today = clock.today()
    return render(
        request,
        "web/complaints/list.html",
        {
            "form": form,
            "complaints": items,
            "today": today,
            "next_url": "?" + urlencode({**params, "cursor": next_cursor}) if next_cursor else "",
            "first_url": "?" + urlencode(params) if request.GET.get("cursor") else "",
            "export_url": "export/?" + urlencode({k: v for k, v in params.items() if k != "limit"}),
            "bad_cursor": bad_cursor,
            "filtered": any(k not in ("sort", "limit") for k in params),
        },
        status=200 if form.is_valid() or not form.is_bound else 400,
    )


EXPORT_COLUMNS = (
    "Complaint ID",
    "Status",
    "Subject",
    "Agency POC",
    "Date received",
    "How received",
    "Days open",
    "Product",
    "Sub-product",
    "Issue",
    "Sub-issue",
    "CFPB ID",
    "Complainant last name",
    "Closed on",
    "Categories",
)


def _export_rows(qs: QuerySet[Complaint]) -> Iterator[list[str]]:
    yield list(EXPORT_COLUMNS)
    for c in qs.iterator(chunk_size=500):
        yield [
            safe_cell(v)
            for v in (
                c.ref,
                c.get_status_display(),
                c.subject_name,
                (c.agency_poc.full_name or c.agency_poc.email) if c.agency_poc else "",
                c.date_received.isoformat(),
                c.get_how_received_display(),
                c.days_open,
                c.product,
                c.sub_product,
                c.issue,
                c.sub_issue,
                c.cfpb_id,
                c.complainant_last_name,
                c.closed_on.isoformat() if c.closed_on else "",
                "; ".join(category_names(c)),
            )
        ]


@login_required
def complaint_export(request: HttpRequest) -> StreamingHttpResponse:
    """CSV of the filtered list, streamed row by row in constant memory."""
    require_agency_user(request)
    form = _filter_form(request)
    qs, _ = filtered(request, form)
    qs = with_categories(qs)
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in _export_rows(qs)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="complaints-{clock.today().isoformat()}.csv"'
    return response
