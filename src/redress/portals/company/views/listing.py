"""The company's complaint list: every agency's complaints about the company once a first IR
was sent, with an Agency filter, status, IR due dates and a Complaint ID search."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from redress.complaints.constants import OPEN_STATUSES, Status
from redress.complaints.selectors import complaint_list_for

from ..forms import ComplaintFilterForm
from ..presenters import ir_rollups
from .common import company_actor, user_of

PAGE_SIZE = 25


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    company_actor(request)
    user = user_of(request)
    base = complaint_list_for(actor=user)
    agencies = sorted(set(base.values_list("agency_id", "agency__name")), key=lambda a: a[1])
    form = ComplaintFilterForm(request.GET or None, agencies=agencies)
    rollups = ir_rollups(user)
    qs = base
    filtered = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filtered = any(data.values())
        if data["q"]:
            qs = qs.filter(ref__iexact=data["q"])
        if data["agency"]:
            qs = qs.filter(agency_id=data["agency"])
        if data["status"] == "open":
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif data["status"]:
            qs = qs.filter(status=data["status"])
        if data["due"] == "soon":
            qs = qs.filter(ref__in=[ref for ref, r in rollups.items() if r.due_soon])
        elif data["due"] == "overdue":
            qs = qs.filter(ref__in=[ref for ref, r in rollups.items() if r.overdue])
    qs = qs.select_related("company_poc").order_by("-first_ir_sent_at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = {
        "open": base.filter(status__in=OPEN_STATUSES).count(),
        "closed": base.filter(status=Status.CLOSED).count(),
        "overdue": sum(1 for r in rollups.values() if r.overdue),
        "due_soon": sum(1 for r in rollups.values() if r.due_soon),
    }
    query = request.GET.copy()
    query.pop("page", None)
    rows = [(c, rollups.get(c.ref)) for c in page.object_list]
    return render(
        request,
        "company/list.html",
        {
            "form": form,
            "rows": rows,
            "page": page,
            "counts": counts,
            "filtered": filtered,
            "query": query.urlencode(),
        },
    )
