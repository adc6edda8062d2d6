"""Shared plumbing of the complaint pages: loading a complaint in scope, what the user may do,
and turning service refusals into form errors, 403 or 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.complaints import policy
from redress.complaints.constants import OPEN_STATUSES, REOPEN_WINDOW_DAYS, Status
from redress.complaints.models import Complaint
from redress.complaints.selectors import complaint_get_for
from redress.core import clock
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed

from ...forms.complaints import apply_service_error

STALE_MESSAGE = (
    "Someone else changed this complaint after you opened it. Your input is kept below; "
    "check the record, then submit again to apply your changes."
)


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def require_agency_user(request: HttpRequest) -> None:
    """These pages are for agency staff holding a complaints role; anyone else (a company, or an
    agency user with system roles only) gets the same answer as a missing page."""
    if not actor_for(user_of(request)).has_complaints_role:
        raise Http404


def load_complaint(request: HttpRequest, ref: str) -> Complaint:
    require_agency_user(request)
    try:
        return complaint_get_for(actor=user_of(request), ref=ref)
    except NotFound as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class Abilities:
    """Which action buttons to show; the services still enforce every rule."""

    manage: bool
    edit: bool
    review: bool
    change_poc: bool
    update_subject: bool
    close: bool
    reopen: bool
    cancel: bool
    research: bool
    violations: bool


def abilities(request: HttpRequest, complaint: Complaint) -> Abilities:
    manage = policy.can_manage(actor_for(user_of(request)), complaint)
    status = complaint.status
    locked = status in (Status.CLOSED, Status.CANCELED)
    within_year = bool(
        complaint.closed_on and clock.today() <= complaint.closed_on + dt.timedelta(days=REOPEN_WINDOW_DAYS)
    )
    return Abilities(
        manage=manage,
        edit=manage and not locked,
        review=manage and status == Status.PENDING,
        change_poc=manage and status in (Status.OPEN, Status.REOPENED, Status.REFERRAL_IN_PROGRESS),
        update_subject=manage and not locked and complaint.first_ir_sent_at is None,
        close=manage and status in (Status.PENDING, Status.OPEN, Status.REOPENED),
        reopen=manage and status == Status.CLOSED and within_year,
        cancel=manage and status in OPEN_STATUSES,
        research=manage and status != Status.CANCELED,
        violations=manage and not locked,
    )


def require(allowed: bool) -> None:
    if not allowed:
        raise DjangoPermissionDenied


def refuse(form: forms.Form, exc: ApplicationError, *, current_version: int | None = None) -> None:
    """Show a service refusal: 404 / 403 for scope and rights, else errors on the form. After a
    stale version the form keeps the input but carries the current version."""
    if isinstance(exc, NotFound):
        raise Http404 from exc
    if isinstance(exc, PermissionDenied):
        raise DjangoPermissionDenied from exc
    if isinstance(exc, PreconditionFailed):
        form.add_error(None, STALE_MESSAGE)
        if current_version is not None and "version" in form.fields:
            data = form.data.copy()  # type: ignore[attr-defined]
            data[form.add_prefix("version")] = str(current_version)
            form.data = data
        return
    apply_service_error(form, exc)


def render_form_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """A full page, or only its form partial when htmx asks."""
    if getattr(request, "htmx", False):
        # htmx swaps only 2xx answers: a form with errors still comes back as 200 for it.
        return render(request, f"{template}#action", context, status=200)
    return render(request, template, context, status=status)


def done(request: HttpRequest, complaint: Complaint, tab: str = "") -> HttpResponse:
    url = record_url(complaint, tab)
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def record_url(complaint: Complaint, tab: str = "") -> str:
    if tab:
        return reverse("web:complaint_tab", args=[complaint.ref, tab])
    return reverse("web:complaint_detail", args=[complaint.ref])
