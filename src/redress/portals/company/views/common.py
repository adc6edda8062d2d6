"""Shared plumbing of the company pages: who may enter, loading in scope, refusals."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest

from redress.accounts.models import User
from redress.accounts.policy import Actor, actor_for
from redress.complaints.models import Complaint
from redress.complaints.selectors import complaint_get_for
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed

from ..presenters import is_company_reader

STALE_MESSAGE = (
    "Someone else changed this after you opened it. Your input is kept below; check the page, then submit again."
)


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def company_actor(request: HttpRequest) -> Actor:
    """These pages are for company users with complaints access; anyone else gets a 404."""
    who = actor_for(user_of(request))
    if not is_company_reader(who):
        raise Http404
    return who


def load_complaint(request: HttpRequest, ref: str) -> Complaint:
    company_actor(request)
    try:
        return complaint_get_for(actor=user_of(request), ref=ref)
    except NotFound as exc:
        raise Http404 from exc


def refuse(form: forms.Form, exc: ApplicationError, *, fields: dict[str, str] | None = None) -> None:
    """404 / 403 for scope and rights; a stale version or a rule broken becomes a form error."""
    if isinstance(exc, NotFound):
        raise Http404 from exc
    if isinstance(exc, PermissionDenied):
        raise DjangoPermissionDenied from exc
    if isinstance(exc, PreconditionFailed):
        form.add_error(None, STALE_MESSAGE)
        return
    names = fields or {}
    items = exc.extra.get("errors") or [{"field": exc.field, "message": exc.detail}]
    for item in items:
        name = names.get(item.get("field") or "", item.get("field"))
        form.add_error(name if name in form.fields else None, item["message"])


def keep_input_with_version(form: forms.Form, version: int) -> None:
    """After a refusal, keep what the user typed but carry the current version."""
    data = form.data.copy()  # type: ignore[attr-defined]
    data["version"] = str(version)
    form.data = data
