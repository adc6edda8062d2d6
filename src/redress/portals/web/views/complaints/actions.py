"""Complaint actions, each a form page that also answers htmx with just its form: edit details,
complete preliminary review, change the Agency POC, update the subject, close, reopen, cancel.

Every form carries the version the user saw; a stale version keeps the input and says so.
Buttons are shown only to users who may act, and the services still decide everything."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from redress.complaints import services
from redress.complaints.categories import category_choices_for
from redress.complaints.constants import Status
from redress.complaints.models import Complaint
from redress.complaints.selectors import complaint_get_for
from redress.complaints.ui_selectors import poc_candidates_for
from redress.core.errors import ApplicationError, PermissionDenied

from ...forms.complaints import (
    CancelForm,
    CloseForm,
    EditDetailsForm,
    PocForm,
    ReasonForm,
    SubjectChangeForm,
)
from ...forms.subjects import SubjectSearchForm
from ..documents import upload_context, uploaded_files
from .common import Abilities, abilities, done, load_complaint, refuse, render_form_page, require, user_of
from .intake import parse_subject
from .subject import search_subjects


def guard_post(request: HttpRequest, complaint: Complaint, action: str) -> None:
    """A POST from someone who may not act is refused by the service (which records the refusal)."""
    if not abilities(request, complaint).manage:
        with contextlib.suppress(PermissionDenied):
            services.authorize_manage(user_of(request), complaint.ref, action)
        require(False)


def _current_version(request: HttpRequest, complaint: Complaint) -> int:
    return complaint_get_for(actor=user_of(request), ref=complaint.ref).version


def run_action(
    request: HttpRequest,
    ref: str,
    *,
    action: str,
    allowed: Callable[[Abilities], bool],
    make_form: Callable[[Complaint, Any], forms.Form],
    perform: Callable[[Complaint, forms.Form], Any],
    template: str,
    success: str,
    tab: str = "",
    extra: Callable[[Complaint], dict[str, Any]] | None = None,
) -> HttpResponse:
    complaint = load_complaint(request, ref)
    status = 200
    if request.method == "POST":
        guard_post(request, complaint, action)
        form = make_form(complaint, request.POST)
        if form.is_valid():
            try:
                perform(complaint, form)
            except ApplicationError as exc:
                refuse(form, exc, current_version=_current_version(request, complaint))
            else:
                messages.success(request, success.format(ref=complaint.ref))
                return done(request, complaint, tab)
        status = 422
    else:
        require(allowed(abilities(request, complaint)))
        form = make_form(complaint, None)
    context = {"complaint": complaint, "form": form, **(extra(complaint) if extra else {})}
    return render_form_page(request, template, context, status=status)


# --- edit details ---------------------------------------------------------------------------------


@login_required
def complaint_edit(request: HttpRequest, ref: str) -> HttpResponse:
    def make(c: Complaint, data: Any) -> forms.Form:
        initial = EditDetailsForm.initial_from(c)
        # Categories the complaint already has stay choosable even after they were deactivated.
        choices = category_choices_for(agency_id=c.agency_id, keep=initial["categories"])
        if data is not None and "refresh" in data:
            redisplayed = {**data.dict(), "categories": data.getlist("categories")}
            return EditDetailsForm(initial=redisplayed, taxonomy=c.taxonomy, category_choices=choices)
        return EditDetailsForm(data, initial=initial, taxonomy=c.taxonomy, category_choices=choices)

    def perform(c: Complaint, form: forms.Form) -> None:
        assert isinstance(form, EditDetailsForm)
        services.complaint_update(
            actor=user_of(request),
            ref=c.ref,
            changes=form.service_details(),
            expected_version=form.cleaned_data["version"],
        )

    if request.method == "POST" and "refresh" in request.POST:
        complaint = load_complaint(request, ref)
        guard_post(request, complaint, "update")
        form = make(complaint, request.POST)
        return render_form_page(request, "web/complaints/action_edit.html", {"complaint": complaint, "form": form})
    return run_action(
        request,
        ref,
        action="update",
        allowed=lambda can: can.edit,
        make_form=make,
        perform=perform,
        template="web/complaints/action_edit.html",
        success="The details of {ref} were saved.",
        tab="details",
    )


# --- preliminary review and Agency POC ---------------------------------------------------------


def _poc_form(request: HttpRequest, complaint: Complaint, data: Any) -> PocForm:
    candidates = [(c.user.pk, c.label) for c in poc_candidates_for(actor=user_of(request))]
    initial = {"version": complaint.version, "agency_poc": complaint.agency_poc_id}
    return PocForm(data, initial=initial, candidates=candidates)


def _poc_user(request: HttpRequest, form: forms.Form) -> Any:
    chosen = form.cleaned_data["agency_poc"]
    for c in poc_candidates_for(actor=user_of(request)):
        if c.user.pk == chosen:
            return c.user
    raise ApplicationError("invalid_agency_poc", "Choose the Agency POC from the list.", field="agency_poc")


@login_required
def complaint_review(request: HttpRequest, ref: str) -> HttpResponse:
    def perform(c: Complaint, form: forms.Form) -> None:
        services.complaint_complete_review(
            actor=user_of(request),
            ref=c.ref,
            agency_poc=_poc_user(request, form),
            changes=None,
            expected_version=form.cleaned_data["version"],
        )

    return run_action(
        request,
        ref,
        action="complete_review",
        allowed=lambda can: can.review,
        make_form=lambda c, data: _poc_form(request, c, data),
        perform=perform,
        template="web/complaints/action_review.html",
        success="Preliminary review of {ref} is complete; the complaint is open.",
    )


@login_required
def complaint_poc(request: HttpRequest, ref: str) -> HttpResponse:
    def perform(c: Complaint, form: forms.Form) -> None:
        services.complaint_assign_poc(
            actor=user_of(request),
            ref=c.ref,
            poc=_poc_user(request, form),
            expected_version=form.cleaned_data["version"],
        )

    return run_action(
        request,
        ref,
        action="assign_poc",
        allowed=lambda can: can.change_poc,
        make_form=lambda c, data: _poc_form(request, c, data),
        perform=perform,
        template="web/complaints/action_poc.html",
        success="The Agency POC of {ref} was changed.",
    )


# --- subject -------------------------------------------------------------------------------------


@login_required
def complaint_subject(request: HttpRequest, ref: str) -> HttpResponse:
    """Search for the new subject (GET), confirm the choice, then POST it with the version."""

    def perform(c: Complaint, form: forms.Form) -> None:
        subject = parse_subject(request, form.cleaned_data["subject"])
        services.complaint_update_subject(
            actor=user_of(request),
            ref=c.ref,
            subject_type=subject.subject_type,
            subject_id=subject.pk,
            expected_version=form.cleaned_data["version"],
        )

    def extra(c: Complaint) -> dict[str, Any]:
        search = SubjectSearchForm(request.GET if request.method == "GET" and request.GET else None)
        searched, results = search_subjects(request, search) if search.is_bound else (False, [])
        token = request.POST.get("subject") if request.method == "POST" else request.GET.get("subject")
        chosen = parse_subject(request, token) if token else None
        return {
            "search": search,
            "searched": searched,
            "results": results,
            "chosen": chosen,
            "choose_url": request.path,
        }

    return run_action(
        request,
        ref,
        action="update_subject",
        allowed=lambda can: can.update_subject,
        make_form=lambda c, data: SubjectChangeForm(
            data, initial={"version": c.version, "subject": request.GET.get("subject", "")}
        ),
        perform=perform,
        template="web/complaints/action_subject.html",
        success="The subject of {ref} was changed.",
        extra=extra,
    )


# --- close, reopen, cancel -----------------------------------------------------------------------


@login_required
def complaint_close(request: HttpRequest, ref: str) -> HttpResponse:
    """Close with the reason, its fields and closure documents (multipart): one service call, so
    a refused closure stores no file and a refused file leaves the complaint open."""
    complaint = load_complaint(request, ref)
    upload_error: ApplicationError | None = None
    status = 200
    if request.method == "POST":
        guard_post(request, complaint, "close")
        form = CloseForm(
            request.POST, initial={"version": complaint.version}, pending=complaint.status == Status.PENDING
        )
        if form.is_valid():
            try:
                services.complaint_close(
                    actor=user_of(request),
                    ref=complaint.ref,
                    closure=form.service_closure(),
                    expected_version=form.cleaned_data["version"],
                    files=uploaded_files(request),
                )
            except ApplicationError as exc:
                if exc.field == "files" or exc.code.startswith("upload_"):
                    upload_error = exc
                else:
                    refuse(form, exc, current_version=_current_version(request, complaint))
            else:
                messages.success(request, f"Complaint {complaint.ref} was closed.")
                return done(request, complaint)
        status = 422
    else:
        require(abilities(request, complaint).close)
        form = CloseForm(None, initial={"version": complaint.version}, pending=complaint.status == Status.PENDING)
    context = {
        "complaint": complaint,
        "form": form,
        # A browser cannot keep chosen files across a refused submission: say so.
        "files_dropped": status == 422 and bool(request.FILES),
        **upload_context(upload_error),
    }
    return render_form_page(request, "web/complaints/action_close.html", context, status=status)


@login_required
def complaint_reopen(request: HttpRequest, ref: str) -> HttpResponse:
    def perform(c: Complaint, form: forms.Form) -> None:
        services.complaint_reopen(
            actor=user_of(request),
            ref=c.ref,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )

    return run_action(
        request,
        ref,
        action="reopen",
        allowed=lambda can: can.reopen,
        make_form=lambda c, data: ReasonForm(data, initial={"version": c.version}),
        perform=perform,
        template="web/complaints/action_reopen.html",
        success="Complaint {ref} was reopened.",
    )


@login_required
def complaint_cancel(request: HttpRequest, ref: str) -> HttpResponse:
    def perform(c: Complaint, form: forms.Form) -> None:
        services.complaint_cancel(
            actor=user_of(request),
            ref=c.ref,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )

    return run_action(
        request,
        ref,
        action="cancel",
        allowed=lambda can: can.cancel,
        make_form=lambda c, data: CancelForm(data, initial={"version": c.version}),
        perform=perform,
        template="web/complaints/action_cancel.html",
        success="Complaint {ref} was canceled.",
    )
