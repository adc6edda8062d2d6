"""Shared plumbing of the IR pages: loading in scope, what the user may do, refusals, redirects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from redress.accounts.policy import actor_for
from redress.complaints.constants import Status, SubjectType
from redress.complaints.models import Complaint
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed
from redress.information_requests import policy
from redress.information_requests.models import InformationRequest
from redress.information_requests.selectors import ir_get_for

from ...forms.account import apply_application_error
from ..complaints.common import load_complaint, user_of

IR_STALE_MESSAGE = (
    "Someone else changed this information request after you opened it. Your input is kept below; "
    "check the request, then submit again."
)
IR_TAB = "information-requests"
_LOCKED = (Status.CLOSED, Status.CANCELED)
_SENDABLE = (Status.OPEN, Status.REOPENED)

__all__ = ["load_complaint", "user_of"]


@dataclass(frozen=True)
class IRAbilities:
    """Which IR buttons to show; the services still enforce every rule."""

    available: bool  # a Non-NMLS subject has no IR exchange at all
    manage: bool
    send: bool


def ir_abilities(request: HttpRequest, complaint: Complaint) -> IRAbilities:
    actor = actor_for(user_of(request))
    available = complaint.company_id is not None and complaint.subject_type != SubjectType.NON_NMLS
    manage = available and complaint.status not in _LOCKED and policy.can_manage(actor, complaint)
    return IRAbilities(
        available=available,
        manage=manage,
        send=manage and complaint.status in _SENDABLE and policy.can_send(actor, complaint),
    )


def require(allowed: bool) -> None:
    if not allowed:
        raise DjangoPermissionDenied


def load_ir(request: HttpRequest, complaint: Complaint, ir_ref: str) -> InformationRequest:
    try:
        ir = ir_get_for(actor=user_of(request), ir_ref=ir_ref)
    except NotFound as exc:
        raise Http404 from exc
    if ir.complaint_id != complaint.pk:
        raise Http404
    return ir


def tab_url(complaint: Complaint) -> str:
    return reverse("web:complaint_tab", args=[complaint.ref, IR_TAB])


def ir_url(ir: InformationRequest) -> str:
    return reverse("web:ir_detail", args=[ir.complaint.ref, ir.ref])


def finish(request: HttpRequest, url: str) -> HttpResponse:
    """After a successful action: a redirect, or for htmx a client-side redirect."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def refuse(form: forms.Form, exc: ApplicationError, *, current_version: int | None = None) -> None:
    """A service refusal: 404 / 403 for scope and rights; a stale version keeps the input and
    carries the current version; anything else becomes an error on the form."""
    if isinstance(exc, NotFound):
        raise Http404 from exc
    if isinstance(exc, PermissionDenied):
        raise DjangoPermissionDenied from exc
    if isinstance(exc, PreconditionFailed):
        form.add_error(None, IR_STALE_MESSAGE)
        if current_version is not None and "version" in form.fields:
            data = form.data.copy()  # type: ignore[attr-defined]
            data["version"] = str(current_version)
            form.data = data
        return
    apply_application_error(form, exc)


def current_version(request: HttpRequest, ir: InformationRequest) -> int | None:
    try:
        return ir_get_for(actor=user_of(request), ir_ref=ir.ref).version
    except NotFound:
        return None


def render_page(request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    """A full page, or only its ``action`` partial when htmx asks (htmx swaps only 2xx answers)."""
    if getattr(request, "htmx", False):
        return render(request, f"{template}#action", context, status=200)
    return render(request, template, context, status=status)
