"""The Complaints Reports page (spec 9.2) and its CSV and XLSX downloads: counts of the agency's
complaints by status, closure reason, business type, category and subject, and monetary relief
totals, for a date range. Agency complaints users only, always about their own agency; the page
and both files show the same tables from the same filters."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from redress.complaints.models import TaxonomyVersion
from redress.complaints.report_selectors import SummaryFilters, default_date_from
from redress.complaints.ui_selectors import poc_candidates_for
from redress.core import clock
from redress.core.errors import ApplicationError, NotFound
from redress.reports import complaint_summary
from redress.reports.writers import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_sections, xlsx_sections

from ..forms.reports import DEFAULTS, ComplaintReportForm
from .complaints.common import user_of
from .sharing.common import require_complaints_user


def _form(request: HttpRequest) -> ComplaintReportForm:
    pocs = [(c.user.pk, c.user.full_name or c.user.email) for c in poc_candidates_for(actor=user_of(request))]
    taxonomy = TaxonomyVersion.objects.filter(is_current=True).first()
    products = [p["name"] for p in (taxonomy.tree.get("products", []) if taxonomy else [])]
    data = request.GET.copy()
    for key, value in DEFAULTS.items():
        if not data.get(key):
            data[key] = value
    return ComplaintReportForm(data, pocs=pocs, products=products)


def _filters(request: HttpRequest) -> tuple[ComplaintReportForm, SummaryFilters | None, str]:
    """The form, the filters it gives (None while it has errors) and the chosen POC's name."""
    form = _form(request)
    if not form.is_valid():
        return form, None, ""
    data = form.cleaned_data
    date_to = data.get("date_to") or clock.today()
    date_from = data.get("date_from") or default_date_from(date_to)
    if date_from > date_to:  # a start date after today with no end date
        form.add_error("date_from", "The start date must be on or before the end date (today when left empty).")
        return form, None, ""
    poc = data.get("agency_poc")
    poc_name = dict(form.fields["agency_poc"].choices).get(poc, "") if poc else ""  # type: ignore[attr-defined]
    filters = SummaryFilters(
        date_from=date_from,
        date_to=date_to,
        closures_by=data["closures_by"],
        agency_poc_id=poc,
        business_type=data.get("business_type") or "",
        product=data.get("product") or "",
        top_subjects=data.get("top_subjects") or 10,
    )
    return form, filters, str(poc_name)


def _report(
    request: HttpRequest, form: ComplaintReportForm, filters: SummaryFilters, poc_name: str
) -> complaint_summary.Report | None:
    try:
        return complaint_summary.complaint_report(actor=user_of(request), filters=filters, agency_poc=poc_name)
    except NotFound as exc:
        raise Http404 from exc
    except ApplicationError as exc:  # the form checks the same rules; this keeps any gap a form error
        form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        return None


@login_required
@require_GET
def complaint_report(request: HttpRequest) -> HttpResponse:
    require_complaints_user(request)
    form, filters, poc_name = _filters(request)
    report = _report(request, form, filters, poc_name) if filters is not None else None
    query = request.GET.urlencode()
    context: dict[str, Any] = {"form": form, "filters": filters, "report": report, "query": query}
    return render(request, "web/reports/complaints.html", context, status=200 if report is not None else 422)


def _export(request: HttpRequest) -> tuple[complaint_summary.Report | None, SummaryFilters | None]:
    require_complaints_user(request)
    form, filters, poc_name = _filters(request)
    if filters is None:
        return None, None
    return _report(request, form, filters, poc_name), filters


@login_required
@require_GET
def complaint_report_csv(request: HttpRequest) -> HttpResponseBase:
    report, filters = _export(request)
    if report is None or filters is None:
        return complaint_report(request)
    response = StreamingHttpResponse(
        csv_sections(complaint_summary.export_sections(report)), content_type=CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{complaint_summary.file_name(filters, "csv")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def complaint_report_xlsx(request: HttpRequest) -> HttpResponseBase:
    report, filters = _export(request)
    if report is None or filters is None:
        return complaint_report(request)
    handle = xlsx_sections(complaint_summary.export_sections(report))
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=complaint_summary.file_name(filters, "xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )
    response["Cache-Control"] = "private, no-store"
    return response
