"""Entering a complaint in two steps: choose the subject (``subject``: the guided search), then
fill in the intake form.

Nothing is saved until the form is valid, likely duplicates have been confirmed, and the user
chose between bypassing and submitting for preliminary review."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from redress.accounts.policy import actor_for
from redress.agencies.selectors import agency_get_for
from redress.complaints.categories import category_choices_for
from redress.complaints.models import Complaint
from redress.complaints.selectors import likely_duplicates_for
from redress.complaints.services import complaint_create
from redress.complaints.taxonomy import current_taxonomy
from redress.complaints.ui_selectors import SubjectOption, subject_option_for
from redress.core import clock
from redress.core.errors import ApplicationError, NotFound
from redress.documents.files import display_name, sanitize_filename

from ...forms.complaints import IntakeForm
from ..documents import UPLOAD_FIELD, upload_context, uploaded_files
from .common import refuse, require, require_agency_user, user_of

MAX_DUPLICATES = 10


def _require_create(request: HttpRequest) -> None:
    require_agency_user(request)
    require(actor_for(user_of(request)).can_manage_complaints)


def parse_subject(request: HttpRequest, token: str) -> SubjectOption:
    subject_type, _, pk = token.partition(":")
    if not pk.isdigit() or len(pk) > 18:
        raise Http404
    try:
        return subject_option_for(actor=user_of(request), subject_type=subject_type, pk=int(pk))
    except NotFound as exc:
        raise Http404 from exc


@login_required
def complaint_intake(request: HttpRequest) -> HttpResponse:
    """Step B: the intake form. Duplicates are shown (and confirmed) before anything is saved."""
    _require_create(request)
    token = request.POST.get("subject") if request.method == "POST" else request.GET.get("subject")
    if not token:
        return redirect("web:complaint_new")
    subject = parse_subject(request, token)
    options: dict[str, Any] = {
        "taxonomy": current_taxonomy(),
        "individual": subject.individual,
        "category_choices": category_choices_for(agency_id=actor_for(user_of(request)).agency_id or 0),
    }
    duplicates: list[Complaint] = []
    upload_error: ApplicationError | None = None
    status = 200
    if request.method == "POST" and "refresh" in request.POST:
        # Narrowing the product and issue lists without JavaScript: redisplay, validate nothing.
        form = IntakeForm(initial=_redisplayed(request), **options)
    elif request.method == "POST":
        form = IntakeForm(request.POST, **options)
        workflow = request.POST.get("workflow")
        if workflow not in ("bypass", "review"):
            form.add_error(None, "Choose Bypass preliminary review or Submit for preliminary review.")
        if form.is_valid():
            details = form.service_details()
            if not form.cleaned_data["not_duplicate"]:
                duplicates = list(
                    likely_duplicates_for(
                        actor=user_of(request),
                        company_id=subject.company.pk if subject.company else None,
                        complainant_last_name=details["complainant_last_name"],
                        date_received=details["date_received"],
                    )[:MAX_DUPLICATES]
                )
            if not duplicates:
                try:
                    complaint = complaint_create(
                        actor=user_of(request),
                        subject_type=subject.subject_type,
                        subject_id=subject.pk,
                        details=details,
                        submit_for_review=workflow == "review",
                        **form.individual_name(),
                        files=uploaded_files(request),
                        documents_visibility=form.cleaned_data["documents_visibility"],
                    )
                except ApplicationError as exc:
                    if exc.field == UPLOAD_FIELD or exc.code.startswith("upload_"):
                        upload_error = exc
                    else:
                        refuse(form, exc)
                else:
                    where = "submitted for preliminary review" if workflow == "review" else "opened"
                    messages.success(request, f"Complaint {complaint.ref} was {where}.")
                    return redirect("web:complaint_detail", ref=complaint.ref)
        status = 200 if duplicates and not form.errors else 422
    else:
        form = IntakeForm(initial={"date_received": clock.today()}, **options)
    return render(
        request,
        "web/complaints/intake.html",
        {
            "form": form,
            "subject": subject,
            "duplicates": duplicates,
            "agency": _agency_name(request),
            "files_to_choose_again": _chosen_file_names(request),
            **upload_context(upload_error),
        },
        status=status,
    )


def _chosen_file_names(request: HttpRequest) -> list[str]:
    """Files sent with a form that is shown again: a browser cannot keep them in the file input,
    and nothing was stored, so the page names them and asks for them once more."""
    if request.method != "POST":
        return []
    try:
        return [display_name(sanitize_filename(f.name or "")) for f in uploaded_files(request)]
    except ApplicationError:
        return []


def _redisplayed(request: HttpRequest) -> dict[str, Any]:
    """The posted input as initial values of a form shown again without validation."""
    return {**request.POST.dict(), "categories": request.POST.getlist("categories")}


def _agency_name(request: HttpRequest) -> str:
    agency_id = actor_for(user_of(request)).agency_id
    if agency_id is None:
        return ""
    try:
        return agency_get_for(user_of(request), agency_id).name
    except NotFound:
        return ""


@login_required
def complaint_taxonomy_options(request: HttpRequest) -> HttpResponse:
    """htmx fragment: the four product/issue selects narrowed to the current product and issue."""
    require_agency_user(request)
    form = IntakeForm(initial=request.GET.dict(), taxonomy=current_taxonomy())
    return render(request, "web/complaints/_taxonomy_fields.html", {"form": form})
