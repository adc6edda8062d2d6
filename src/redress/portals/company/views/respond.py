"""An Information Request as the company sees it, and the response work on it: any user with
Manage access drafts (text, documents, optionally hidden), passes it to the Company POC, and
the POC submits it or later asks the agency for a send-back."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from redress.accounts.policy import actor_for
from redress.complaints.models import Complaint
from redress.core.errors import ApplicationError, NotFound
from redress.information_requests import policy
from redress.information_requests.attachments import response_attach_documents
from redress.information_requests.constants import IRStatus
from redress.information_requests.exchange_reads import ir_version_for, response_documents_for
from redress.information_requests.responses import (
    ir_request_send_back,
    response_save_draft,
    response_send_to_poc,
    response_submit,
)
from redress.information_requests.selectors import CompanyIR, CompanyResponse, company_ir_get_for

from ...web.views.documents import upload_context, uploaded_files
from ..forms import ResponseForm, SendBackRequestForm
from ..presenters import company_view
from .common import company_actor, keep_input_with_version, load_complaint, refuse, user_of

EDITABLE = (IRStatus.SENT_TO_COMPANY, IRStatus.COMPANY_DRAFT, IRStatus.IN_COMPANY_REVIEW)


def ir_url(ref: str) -> str:
    return reverse("company:ir_detail", args=[ref])


def _load(request: HttpRequest, ir_ref: str) -> tuple[CompanyIR, Complaint]:
    company_actor(request)
    try:
        ir = company_ir_get_for(actor=user_of(request), ir_ref=ir_ref)
    except NotFound as exc:
        raise Http404 from exc
    return ir, load_complaint(request, ir.complaint_ref)


def _current(ir: CompanyIR) -> CompanyResponse | None:
    return next((r for r in ir.responses if r.round == ir.round and r.status != "submitted"), None)


def _abilities(request: HttpRequest, ir: CompanyIR, complaint: Complaint) -> dict[str, bool]:
    who = actor_for(user_of(request))
    is_poc = policy.is_company_poc(who, complaint)
    current = _current(ir)
    open_complaint = not complaint.is_locked
    editable = (
        open_complaint
        and not ir.is_comment_only
        and policy.can_respond(who, complaint)
        and ir.status in EDITABLE
        and (ir.status != IRStatus.IN_COMPANY_REVIEW or is_poc)
        and (current is None or current.text is not None)
    )
    return {
        "respond": editable,
        "is_poc": is_poc,
        "send_to_poc": editable and not is_poc,
        "submit": editable and is_poc,
        "request_send_back": open_complaint and is_poc and ir.status == IRStatus.SENT_TO_AGENCY,
        "hidden_locked": current is not None and current.text is None,
    }


def _page(request: HttpRequest, ir: CompanyIR, complaint: Complaint, form: Any, **extra: Any) -> dict[str, Any]:
    user = user_of(request)
    documents = response_documents_for(actor=user, ir_ref=ir.ref)
    return {
        "ir": ir,
        "c": company_view(complaint),
        "can": _abilities(request, ir, complaint),
        "form": form,
        "rounds": [(r, documents.get(r.round, [])) for r in ir.responses],
        **upload_context(extra.pop("upload_error", None)),
        **extra,
    }


def _perform(request: HttpRequest, ir: CompanyIR, form: ResponseForm) -> str:
    """Save the draft (and its files), then pass it on or submit it; returns the message."""
    user = user_of(request)
    data = form.cleaned_data
    action = data["action"]
    files = uploaded_files(request)
    response_save_draft(
        actor=user, ir_ref=ir.ref, text=data["text"], hidden=data["hidden"], expected_version=data["version"]
    )
    if files:
        response_attach_documents(actor=user, ir_ref=ir.ref, files=files)
    if action == "send_to_poc":
        response_send_to_poc(actor=user, ir_ref=ir.ref, expected_version=None)
        return f"Your response to {ir.ref} was sent to the Company POC."
    if action == "submit":
        response_submit(actor=user, ir_ref=ir.ref, expected_version=None)
        return f"Your response to {ir.ref} was submitted to {ir.agency_name}."
    return f"Your draft response to {ir.ref} was saved."


@login_required
def ir_detail(request: HttpRequest, ir_ref: str) -> HttpResponse:
    ir, complaint = _load(request, ir_ref)
    user = user_of(request)
    version = ir_version_for(actor=user, ir_ref=ir.ref)
    current = _current(ir)
    initial = {"version": version, "text": (current.text or "") if current else "", "action": "save"}
    if current is not None:
        initial["hidden"] = current.hidden_from_other_company_users
    if request.method != "POST":
        form = ResponseForm(initial=initial)
        return render(request, "company/ir.html", _page(request, ir, complaint, form))
    if not _abilities(request, ir, complaint)["respond"]:
        raise DjangoPermissionDenied
    form = ResponseForm(request.POST)
    upload_error: ApplicationError | None = None
    if form.is_valid():
        try:
            message = _perform(request, ir, form)
        except ApplicationError as exc:
            if exc.code.startswith("upload") or exc.field == "files":
                upload_error = exc
            else:
                refuse(form, exc, fields={"text": "text", "reason": "text"})
            keep_input_with_version(form, ir_version_for(actor=user, ir_ref=ir.ref))
            if upload_error is not None:
                form.add_error(None, "The files could not be attached: see the Documents field.")
        else:
            messages.success(request, message)
            return redirect(ir_url(ir.ref))
    ir, complaint = _load(request, ir_ref)
    return render(
        request, "company/ir.html", _page(request, ir, complaint, form, upload_error=upload_error), status=422
    )


@login_required
def ir_send_back_request(request: HttpRequest, ir_ref: str) -> HttpResponse:
    ir, complaint = _load(request, ir_ref)
    user = user_of(request)
    if not _abilities(request, ir, complaint)["request_send_back"]:
        raise DjangoPermissionDenied
    version = ir_version_for(actor=user, ir_ref=ir.ref)
    form = SendBackRequestForm(request.POST if request.method == "POST" else None, initial={"version": version})
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                ir_request_send_back(
                    actor=user,
                    ir_ref=ir.ref,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
            except ApplicationError as exc:
                refuse(form, exc)
                keep_input_with_version(form, ir_version_for(actor=user, ir_ref=ir.ref))
            else:
                messages.success(request, f"Your request to send back {ir.ref} was sent to {ir.agency_name}.")
                return redirect(ir_url(ir.ref))
        status = 422
    return render(
        request, "company/send_back.html", {"ir": ir, "c": company_view(complaint), "form": form}, status=status
    )
