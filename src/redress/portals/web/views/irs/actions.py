"""One information request: its page (request, documents, due-date and reminder history, every
response round with its files, send-backs) and the actions on it: extend, cancel, remind, Quick
Look, send back and decline a send-back request. Each action is a full-page form that htmx
enhances; every form carries the version the user saw, and a stale one is said so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from redress.complaints.models import Complaint
from redress.core import clock
from redress.core.errors import ApplicationError, PreconditionFailed
from redress.documents.selectors import documents_attached_to
from redress.information_requests import services
from redress.information_requests.attachments import RESPONSE_TYPE
from redress.information_requests.constants import OUTSTANDING, RESPONSE_RECEIVED, IRStatus, SendBackKind
from redress.information_requests.models import InformationRequest

from ...forms.information_requests import CancelIRForm, ExtendForm, QuickLookForm, SendBackForm, VersionForm
from .common import (
    IR_STALE_MESSAGE,
    IRAbilities,
    current_version,
    finish,
    ir_abilities,
    ir_url,
    load_complaint,
    load_ir,
    refuse,
    render_page,
    require,
    user_of,
)

IR_TYPE = "information_requests.informationrequest"


def ir_actions(can: IRAbilities, ir: InformationRequest) -> dict[str, bool]:
    outstanding = can.manage and ir.status in OUTSTANDING and not ir.is_comment_only
    return {
        "extend": outstanding,
        "cancel": can.manage and ir.status in OUTSTANDING,
        "remind": outstanding,
        "quick_look": can.manage and ir.response_received_at is not None,
        "send_back": can.manage and ir.status in RESPONSE_RECEIVED,
        "decline": can.manage and ir.status == IRStatus.SEND_BACK_REQUESTED,
    }


@login_required
def ir_detail(request: HttpRequest, ref: str, ir_ref: str) -> HttpResponse:
    complaint = load_complaint(request, ref)
    ir = load_ir(request, complaint, ir_ref)
    user = user_of(request)
    can = ir_abilities(request, complaint)
    rounds = [
        (response, documents_attached_to(actor=user, attached_type=RESPONSE_TYPE, attached_id=str(response.pk)))
        for response in getattr(ir, "submitted_responses", [])
    ]
    context = {
        "complaint": complaint,
        "ir": ir,
        "ir_can": can,
        "actions": ir_actions(can, ir),
        "documents": documents_attached_to(actor=user, attached_type=IR_TYPE, attached_id=str(ir.pk)),
        "rounds": rounds,
        "agency_send_backs": [s for s in ir.send_backs.all() if s.kind == SendBackKind.AGENCY],
        "requested_send_backs": [s for s in ir.send_backs.all() if s.kind == SendBackKind.COMPANY_REQUEST],
        "quick_look_form": QuickLookForm(
            initial={"version": ir.version, "complete": "0" if ir.quick_look_complete else "1"}
        ),
        "version_form": VersionForm(initial={"version": ir.version}),
    }
    return render(request, "web/irs/detail.html", context)


def _run(
    request: HttpRequest,
    ref: str,
    ir_ref: str,
    *,
    allowed: str,
    make_form: Callable[[InformationRequest, Any], forms.Form],
    perform: Callable[[InformationRequest, forms.Form], Any],
    template: str,
    success: str,
    attempt: Callable[[InformationRequest], Any],
) -> HttpResponse:
    """GET shows the form to users who may act; POST runs the service, which has the last word.
    A POST from someone who may not act still goes to the service, so the refusal is recorded."""
    complaint = load_complaint(request, ref)
    ir = load_ir(request, complaint, ir_ref)
    can = ir_abilities(request, complaint)
    allowed_now = ir_actions(can, ir)[allowed]
    status = 200
    if request.method == "POST":
        form = make_form(ir, request.POST)
        valid = form.is_valid()
        try:
            if not can.manage:
                attempt(ir)
                require(False)
            elif valid:
                perform(ir, form)
                messages.success(request, success.format(ref=ir.ref))
                return finish(request, ir_url(ir))
        except ApplicationError as exc:
            refuse(form, exc, current_version=current_version(request, ir))
        status = 422
    else:
        require(allowed_now)
        form = make_form(ir, None)
    context = {"complaint": complaint, "ir": ir, "form": form}
    return render_page(request, template, context, status=status)


@login_required
def ir_extend(request: HttpRequest, ref: str, ir_ref: str) -> HttpResponse:
    user = user_of(request)
    return _run(
        request,
        ref,
        ir_ref,
        allowed="extend",
        make_form=lambda ir, data: ExtendForm(data, initial={"version": ir.version}),
        perform=lambda ir, form: services.ir_extend(
            actor=user,
            ref=ir.ref,
            new_due_date=form.cleaned_data["due_date"],
            expected_version=form.cleaned_data["version"],
        ),
        attempt=lambda ir: services.ir_extend(
            actor=user,
            ref=ir.ref,
            new_due_date=ir.due_date or clock.today(),
            expected_version=None,
        ),
        template="web/irs/extend.html",
        success="The due date of {ref} was extended; the company was told.",
    )


@login_required
def ir_cancel(request: HttpRequest, ref: str, ir_ref: str) -> HttpResponse:
    user = user_of(request)
    return _run(
        request,
        ref,
        ir_ref,
        allowed="cancel",
        make_form=lambda ir, data: CancelIRForm(data, initial={"version": ir.version}),
        perform=lambda ir, form: services.ir_cancel(
            actor=user,
            ref=ir.ref,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        ),
        attempt=lambda ir: services.ir_cancel(actor=user, ref=ir.ref, expected_version=None),
        template="web/irs/cancel.html",
        success="Information request {ref} was canceled; the company was told.",
    )


@login_required
def ir_send_back(request: HttpRequest, ref: str, ir_ref: str) -> HttpResponse:
    user = user_of(request)
    return _run(
        request,
        ref,
        ir_ref,
        allowed="send_back",
        make_form=lambda ir, data: SendBackForm(data, initial={"version": ir.version}),
        perform=lambda ir, form: services.ir_send_back(
            actor=user,
            ref=ir.ref,
            new_due_date=form.cleaned_data["due_date"],
            explanation=form.cleaned_data["explanation"],
            expected_version=form.cleaned_data["version"],
        ),
        attempt=lambda ir: services.ir_send_back(
            actor=user,
            ref=ir.ref,
            new_due_date=ir.due_date or clock.today(),
            explanation="",
            expected_version=None,
        ),
        template="web/irs/send_back.html",
        success="The response to {ref} was sent back to the company with a new due date.",
    )


@login_required
def ir_remind(request: HttpRequest, ref: str, ir_ref: str) -> HttpResponse:
    user = user_of(request)
    return _run(
        request,
        ref,
        ir_ref,
        allowed="remind",
        make_form=lambda ir, data: forms.Form(data),
        perform=lambda ir, form: services.ir_remind(actor=user, ref=ir.ref),
        attempt=lambda ir: services.ir_remind(actor=user, ref=ir.ref),
        template="web/irs/remind.html",
        success="A reminder about {ref} was sent to the company.",
    )


def _post_button(
    request: HttpRequest,
    complaint: Complaint,
    ir: InformationRequest,
    action: Callable[[int | None], Any],
    success: str,
) -> HttpResponse:
    """A one-button action (no fields but the version): the result comes back as a message."""
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        action(version)
    except PreconditionFailed:
        messages.error(request, IR_STALE_MESSAGE.replace(" Your input is kept below;", "").replace("check", "Check"))
    except ApplicationError as exc:
        refuse(form, exc)
        messages.error(request, exc.detail)
    else:
        messages.success(request, success)
    return finish(request, ir_url(ir))


@login_required
@require_POST
def ir_quick_look(request: HttpRequest, ref: str, ir_ref: str) -> HttpResponse:
    complaint = load_complaint(request, ref)
    ir = load_ir(request, complaint, ir_ref)
    complete = request.POST.get("complete") == "1"
    return _post_button(
        request,
        complaint,
        ir,
        lambda version: services.ir_quick_look(
            actor=user_of(request), ref=ir.ref, complete=complete, expected_version=version
        ),
        f"Quick Look {'marked complete' if complete else 'cleared'} on {ir.ref}.",
    )


@login_required
@require_POST
def ir_decline_send_back(request: HttpRequest, ref: str, ir_ref: str) -> HttpResponse:
    complaint = load_complaint(request, ref)
    ir = load_ir(request, complaint, ir_ref)
    return _post_button(
        request,
        complaint,
        ir,
        lambda version: services.ir_decline_send_back(actor=user_of(request), ref=ir.ref, expected_version=version),
        f"The company's send-back request on {ir.ref} was declined; the response stands.",
    )
