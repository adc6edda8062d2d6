"""The basic view of every agency's complaints ("All Complaints"), one complaint's basic view with
"Request access", and the list of complaints shared with the actor's agency."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from redress.accounts.policy import actor_for
from redress.complaints import access, policy
from redress.complaints.constants import AccessStatus, Status
from redress.complaints.selectors import SCOPE_SHARED, ComplaintFilters, complaint_list_for
from redress.complaints.sharing_selectors import (
    BasicFilters,
    access_rows_for_complaint,
    basic_page_for,
    complaint_basic_get_for,
    complaint_basic_list_for,
)
from redress.core.errors import ApplicationError, NotFound

from ...forms.complaints import apply_service_error
from ...forms.sharing import AccessRequestForm, BasicFilterForm
from ..complaints.common import user_of
from .common import agency_choices, require_complaints_user

PAGE_SIZE = 25


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1


@login_required
def all_complaints(request: HttpRequest) -> HttpResponse:
    require_complaints_user(request)
    form = BasicFilterForm(request.GET or None, agencies=agency_choices())
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = BasicFilters(q=data.get("q") or "", agency_id=data.get("agency"), status=data.get("status") or "")
    qs = complaint_basic_list_for(actor=user_of(request), filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(_page_number(request))
    params: dict[str, str] = {k: str(v) for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "web/sharing/all_complaints.html",
        {
            "form": form,
            "rows": basic_page_for(actor=user_of(request), rows=list(page.object_list)),
            "page": page,
            "query": urlencode(params),
        },
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


@login_required
def basic_view(request: HttpRequest, ref: str) -> HttpResponse:
    """Any agency's complaint at basic level, with the actor's agency's requests for it."""
    require_complaints_user(request)
    user = user_of(request)
    try:
        basic = complaint_basic_get_for(actor=user, ref=ref)
        rows = access_rows_for_complaint(actor=user, ref=ref)
    except NotFound as exc:
        raise Http404 from exc
    actor = actor_for(user)
    own = basic.agency_id == actor.agency_id
    open_request = next((g for g in rows if g.status in (AccessStatus.PENDING, AccessStatus.GRANTED)), None)
    can_request = (
        policy.is_complaints_user(actor)
        and not own
        and open_request is None
        and basic.status not in (Status.REFERRAL_IN_PROGRESS, Status.CANCELED)
    )
    form = AccessRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                access.access_request(actor=user, ref=ref, comment=form.cleaned_data["comment"])
            except NotFound as exc:
                raise Http404 from exc
            except ApplicationError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, f"Your request for access to {ref} was sent to the owning agency.")
                return redirect(reverse("web:sharing_basic_view", args=[ref]))
        status = 422
    return render(
        request,
        "web/sharing/basic_view.html",
        {
            "basic": basic,
            "own": own,
            "rows": rows,
            "open_request": open_request,
            "can_request": can_request,
            "form": form,
            "blocked_by_referral": basic.status == Status.REFERRAL_IN_PROGRESS,
        },
        status=status,
    )


@login_required
def shared_complaints(request: HttpRequest) -> HttpResponse:
    """Complaints other agencies granted the actor's agency access to (read-only)."""
    require_complaints_user(request)
    user = user_of(request)
    actor = actor_for(user)
    qs = complaint_list_for(actor=user, filters=ComplaintFilters(scope=SCOPE_SHARED))
    page = Paginator(qs, PAGE_SIZE).get_page(_page_number(request))
    rows = [(c, policy.can_see_complainant(actor, c)) for c in page.object_list]
    return render(request, "web/sharing/shared_complaints.html", {"rows": rows, "page": page})
