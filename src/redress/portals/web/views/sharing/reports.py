"""The Referrals and Access Requests reports: quick filters on screen and as CSV, for agency
complaints users, always about their own agency."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from redress.accounts.policy import actor_for
from redress.complaints.sharing_selectors import REFERRAL_VIEWS
from redress.core import clock
from redress.reports import sharing
from redress.reports.writers import CSV_CONTENT_TYPE, csv_lines

from ..complaints.common import user_of
from .common import require_complaints_user
from .pages import _page_number

PAGE_SIZE = 50


def _view(request: HttpRequest, views: dict[str, str]) -> str:
    view = request.GET.get("view", "")
    return view if view in views else next(iter(views))


@login_required
@require_GET
def access_report(request: HttpRequest) -> HttpResponse:
    require_complaints_user(request)
    view = _view(request, sharing.ACCESS_VIEWS)
    rows = sharing.access_rows(actor=user_of(request), view=view)
    page = Paginator(rows, PAGE_SIZE).get_page(_page_number(request))
    return render(
        request,
        "web/sharing/report_access.html",
        {
            "view": view,
            "views": sharing.ACCESS_VIEWS,
            "view_label": sharing.ACCESS_VIEWS[view],
            "page": page,
            "is_supervisor": actor_for(user_of(request)).is_supervisor,
        },
    )


@login_required
@require_GET
def access_report_csv(request: HttpRequest) -> StreamingHttpResponse:
    require_complaints_user(request)
    view = _view(request, sharing.ACCESS_VIEWS)
    rows = sharing.access_rows(actor=user_of(request), view=view)
    response = StreamingHttpResponse(
        csv_lines(sharing.ACCESS_COLUMNS, sharing.access_export_rows(rows)), content_type=CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="access-requests-{view}-{clock.today().isoformat()}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def referral_report(request: HttpRequest) -> HttpResponse:
    require_complaints_user(request)
    view = _view(request, REFERRAL_VIEWS)
    rows = sharing.referral_rows(actor=user_of(request), view=view)
    page = Paginator(rows, PAGE_SIZE).get_page(_page_number(request))
    return render(
        request,
        "web/sharing/report_referrals.html",
        {
            "view": view,
            "views": REFERRAL_VIEWS,
            "view_label": REFERRAL_VIEWS[view],
            "page": page,
            "can_decide": actor_for(user_of(request)).can_manage_complaints,
        },
    )


@login_required
@require_GET
def referral_report_csv(request: HttpRequest) -> StreamingHttpResponse:
    require_complaints_user(request)
    view = _view(request, REFERRAL_VIEWS)
    rows = sharing.referral_rows(actor=user_of(request), view=view)
    response = StreamingHttpResponse(
        csv_lines(sharing.REFERRAL_COLUMNS, sharing.referral_export_rows(rows)), content_type=CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="referrals-{view}-{clock.today().isoformat()}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
