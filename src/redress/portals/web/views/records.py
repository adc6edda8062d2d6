"""Records management pages: legal holds and the disposition report with certificates.

Only the agency's Supervisors reach these pages; everyone else gets 404. The record exports
(ZIP, PDF) are for every user of the owning agency.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from redress.accounts.models import User
from redress.core import clock
from redress.core.errors import ApplicationError, NotFound, PermissionDenied
from redress.documents.files import attachment_disposition
from redress.records import selectors
from redress.records.constants import UPCOMING_WINDOW_DAYS, HoldScope
from redress.records.export import complaint_record_export
from redress.records.pdf import complaint_record_pdf, record_pdf_filename
from redress.records.services import legal_hold_lift, legal_hold_place

from ..forms.account import apply_application_error


class HoldForm(forms.Form):
    scope = forms.ChoiceField(label="What the hold covers", choices=HoldScope.choices, widget=forms.RadioSelect)
    complaint_ref = forms.CharField(
        label="Complaint ID", required=False, max_length=20, help_text="For one complaint, e.g. CMP-2026-000123."
    )
    company_id = forms.TypedChoiceField(
        label="Company", required=False, coerce=int, empty_value=None, help_text="For every complaint about a company."
    )
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args: object, companies: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["company_id"].choices = [("", "- Select -"), *companies]  # type: ignore[attr-defined]


class LiftForm(forms.Form):
    reason = forms.CharField(label="Reason for lifting", max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def hold_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    try:
        agency = selectors.records_agency_for(user)
        companies = selectors.hold_company_choices(user)
    except NotFound as exc:
        raise Http404 from exc
    status = 200
    form = HoldForm(request.POST or None, companies=companies)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                hold = legal_hold_place(
                    actor=user,
                    scope=data["scope"],
                    reason=data["reason"],
                    complaint_ref=data.get("complaint_ref") or "",
                    company_id=data.get("company_id"),
                )
            except (NotFound, PermissionDenied) as exc:
                raise Http404 from exc
            except ApplicationError as exc:
                apply_application_error(form, exc)
            else:
                messages.success(request, f"Legal hold placed on {hold.target_label}.")
                return redirect("web:records_holds")
        status = 422
    holds = list(selectors.legal_holds_for(user))
    return render(
        request,
        "web/records/holds.html",
        {
            "agency": agency,
            "form": form,
            "active": [h for h in holds if h.is_active],
            "lifted": [h for h in holds if not h.is_active],
            "lift_form": LiftForm(),
        },
        status=status,
    )


@login_required
@require_POST
def hold_lift(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    try:
        hold = selectors.legal_hold_get_for(user, pk)
    except NotFound as exc:
        raise Http404 from exc
    form = LiftForm(request.POST)
    if form.is_valid():
        try:
            legal_hold_lift(
                actor=user,
                hold_id=hold.pk,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except (NotFound, PermissionDenied) as exc:
            raise Http404 from exc
        except ApplicationError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, f"Legal hold on {hold.target_label} lifted.")
    else:
        messages.error(request, "Enter why the hold is lifted.")
    return redirect("web:records_holds")


@login_required
def disposition_report(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = clock.today()
    try:
        agency = selectors.records_agency_for(user)
        upcoming = selectors.upcoming_dispositions_for(user, today=today)
        runs = list(selectors.disposition_runs_for(user))
    except NotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "web/records/disposition.html",
        {"agency": agency, "upcoming": upcoming, "runs": runs, "today": today, "window": UPCOMING_WINDOW_DAYS},
    )


@login_required
def disposition_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        agency = selectors.records_agency_for(_user(request))
        run, items = selectors.disposition_certificate_for(_user(request), pk)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "web/records/certificate.html", {"agency": agency, "run": run, "items": list(items)})


@login_required
def record_export(request: HttpRequest, ref: str) -> FileResponse:
    try:
        filename, handle = complaint_record_export(actor=_user(request), ref=ref)
    except NotFound as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=filename, content_type="application/zip")


@login_required
@require_GET
def record_export_pdf(request: HttpRequest, ref: str) -> HttpResponse:
    try:
        pdf = complaint_record_pdf(actor=_user(request), ref=ref)
    except NotFound as exc:
        raise Http404 from exc
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = attachment_disposition(record_pdf_filename(ref))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
