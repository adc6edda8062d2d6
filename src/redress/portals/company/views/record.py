"""The company view of a complaint: Summary (A+C fields only), Information Requests addressed
to the company, Closure Materials; and the Assign Point of Contact task."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.complaints.exchange import can_assign_company_poc, company_poc_assign, company_poc_candidates
from redress.complaints.models import Complaint
from redress.complaints.subrecords import closures_for
from redress.core.errors import ApplicationError
from redress.documents.selectors import documents_attached_to
from redress.information_requests.selectors import company_irs_for_complaint

from ..forms import AssignPocForm
from ..presenters import company_view
from .common import keep_input_with_version, load_complaint, refuse, user_of

TABS = (("", "Summary"), ("information-requests", "Information Requests"), ("closure-materials", "Closure Materials"))


def record_url(ref: str, tab: str = "") -> str:
    if tab:
        return reverse("company:complaint_tab", args=[ref, tab])
    return reverse("company:complaint_detail", args=[ref])


def _context(request: HttpRequest, complaint: Complaint, tab: str) -> dict[str, Any]:
    user = user_of(request)
    who = actor_for(user)
    context: dict[str, Any] = {
        "c": company_view(complaint),
        "tab": tab,
        "tabs": TABS,
        "can_assign": can_assign_company_poc(who, complaint) and complaint.status not in ("closed", "canceled"),
    }
    if tab == "":
        context["documents"] = documents_attached_to(
            actor=user, attached_type="complaints.complaint", attached_id=str(complaint.pk)
        )
    elif tab == "information-requests":
        context["irs"] = company_irs_for_complaint(actor=user, ref=complaint.ref)
    elif tab == "closure-materials":
        context["closures"] = [
            (
                closure,
                documents_attached_to(actor=user, attached_type="complaints.closure", attached_id=str(closure.pk)),
            )
            for closure in closures_for(actor=user, ref=complaint.ref).order_by("-closed_at", "-id")
        ]
    return context


@login_required
def complaint_detail(request: HttpRequest, ref: str, tab: str = "") -> HttpResponse:
    if tab not in dict(TABS):
        raise Http404
    complaint = load_complaint(request, ref)
    return render(request, "company/record.html", _context(request, complaint, tab))


def _candidate(candidates: list[User], pk: int) -> User | None:
    return next((u for u in candidates if u.pk == pk), None)


@login_required
def assign_poc(request: HttpRequest, ref: str) -> HttpResponse:
    complaint = load_complaint(request, ref)
    user = user_of(request)
    if not can_assign_company_poc(actor_for(user), complaint):
        raise DjangoPermissionDenied
    candidates = company_poc_candidates(complaint)
    data = request.POST if request.method == "POST" else None
    form = AssignPocForm(
        data, candidates=candidates, current=complaint.company_poc_id, initial={"version": complaint.version}
    )
    status = 200
    if data is not None:
        if form.is_valid():
            poc = _candidate(candidates, form.cleaned_data["company_poc"])
            try:
                if poc is None:
                    raise ApplicationError("invalid_company_poc", "Choose a user from the list.", field="company_poc")
                company_poc_assign(actor=user, ref=ref, poc=poc, expected_version=form.cleaned_data["version"])
            except ApplicationError as exc:
                refuse(form, exc)
                keep_input_with_version(form, load_complaint(request, ref).version)
            else:
                messages.success(request, f"{poc.full_name or poc.email} is now the Company POC for {ref}.")
                return redirect(record_url(ref))
        status = 422 if form.errors else 200
    return render(request, "company/assign_poc.html", {"c": company_view(complaint), "form": form}, status=status)
