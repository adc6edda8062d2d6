"""Agency reports: the IR Response Activity report on screen, as a streamed CSV and as XLSX.
Agency users holding a complaints role only, always scoped to their own agency; the three outputs
share one filter and one set of columns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from redress.accounts.policy import actor_for
from redress.companies.selectors import company_search_for
from redress.complaints.ui_selectors import poc_candidates_for
from redress.core import clock
from redress.core.errors import NotFound
from redress.information_requests.selectors import ActivityFilters
from redress.reports import ir_activity
from redress.reports.writers import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_lines, xlsx_file

from ..forms.information_requests import ActivityFilterForm
from .complaints.common import user_of

PAGE_SIZE = 50
DEFAULT_DAYS = 30
NO_MATCH = -1


def _require_agency(request: HttpRequest) -> None:
    actor = actor_for(user_of(request))
    # A complaints report: agency users with system roles only see no complaints data.
    if not actor.has_complaints_role or actor.agency_id is None:
        raise Http404


def _company_id(request: HttpRequest, value: str) -> int | None:
    """None: no company filter; 0: a company was asked for but none matched (so show nothing)."""
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


def _filters(request: HttpRequest) -> tuple[ActivityFilterForm, ActivityFilters | None]:
    pocs = [(c.user.pk, c.user.full_name or c.user.email) for c in poc_candidates_for(actor=user_of(request))]
    form = ActivityFilterForm(request.GET, pocs=pocs)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    today = clock.today()
    date_to = data.get("date_to") or today
    date_from = data.get("date_from") or date_to - dt.timedelta(days=DEFAULT_DAYS)
    company_id = _company_id(request, data.get("company") or "")
    if company_id == 0:
        company_id = NO_MATCH  # a company was asked for but none matched: show nothing, not everything
    return form, ActivityFilters(
        date_from=date_from,
        date_to=date_to,
        company_id=company_id,
        agency_poc_id=data.get("agency_poc"),
        ir_status=data.get("ir_status") or "",
        timeliness=data.get("timeliness") or "",
    )


def _result(request: HttpRequest, filters: ActivityFilters) -> ir_activity.ActivityResult:
    try:
        return ir_activity.ir_activity(actor=user_of(request), filters=filters)
    except NotFound as exc:
        raise Http404 from exc


@login_required
@require_GET
def report_ir_activity(request: HttpRequest) -> HttpResponse:
    _require_agency(request)
    form, filters = _filters(request)
    context: dict[str, Any] = {"form": form, "filters": filters, "columns": ir_activity.COLUMNS}
    if filters is not None:
        result = _result(request, filters)
        page = Paginator(result.rows, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            {
                "result": result,
                "page": page,
                "rows": [(r, ir_activity.row_values(r)) for r in page.object_list],
                "query": query.urlencode(),
            }
        )
    status = 200 if form.is_valid() else 422
    return render(request, "web/reports/ir_activity.html", context, status=status)


def _file_name(filters: ActivityFilters, extension: str) -> str:
    return f"ir-response-activity-{filters.date_from.isoformat()}-{filters.date_to.isoformat()}.{extension}"


def _export_filters(request: HttpRequest) -> ActivityFilters | None:
    _require_agency(request)
    return _filters(request)[1]


@login_required
@require_GET
def report_ir_activity_csv(request: HttpRequest) -> HttpResponseBase:
    filters = _export_filters(request)
    if filters is None:
        return report_ir_activity(request)
    result = _result(request, filters)
    response = StreamingHttpResponse(
        csv_lines(ir_activity.COLUMNS, ir_activity.export_rows(result.rows)), content_type=CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(filters, "csv")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def report_ir_activity_xlsx(request: HttpRequest) -> HttpResponseBase:
    filters = _export_filters(request)
    if filters is None:
        return report_ir_activity(request)
    result = _result(request, filters)
    handle = xlsx_file(ir_activity.COLUMNS, ir_activity.export_rows(result.rows), title=ir_activity.TITLE)
    response = FileResponse(
        handle, as_attachment=True, filename=_file_name(filters, "xlsx"), content_type=XLSX_CONTENT_TYPE
    )
    response["Cache-Control"] = "private, no-store"
    return response
