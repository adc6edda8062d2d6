"""An agency's complaint categories: the list with add, rename, activate and deactivate, for the
agency's account administrators (and system administrators). Out-of-scope agencies answer 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.agencies.models import Agency
from redress.agencies.selectors import agency_get_for
from redress.complaints.categories import (
    can_manage_categories,
    category_add,
    category_get_for,
    category_list_for,
    category_rename,
    category_set_active,
)
from redress.complaints.models import ComplaintCategory
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed

from ..forms.account import apply_application_error
from ..forms.categories import CategoryActiveForm, CategoryAddForm, CategoryRenameForm


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _agency(request: HttpRequest, pk: int) -> Agency:
    """The agency, if the user may manage its categories; anyone else gets a missing page."""
    try:
        agency = agency_get_for(_user(request), pk)
    except NotFound as exc:
        raise Http404 from exc
    if not can_manage_categories(actor_for(_user(request)), agency):
        raise Http404
    return agency


def _category(request: HttpRequest, agency: Agency, category_id: int) -> ComplaintCategory:
    try:
        category = category_get_for(actor=_user(request), category_id=category_id)
    except NotFound as exc:
        raise Http404 from exc
    if category.agency_id != agency.pk:
        raise Http404
    return category


def _refused(form: Any, exc: ApplicationError) -> None:
    if isinstance(exc, NotFound | PermissionDenied):
        raise Http404 from exc
    apply_application_error(form, exc)


def _list_page(request: HttpRequest, agency: Agency, form: CategoryAddForm, *, status: int = 200) -> HttpResponse:
    categories = list(
        category_list_for(actor=_user(request), agency_id=agency.pk).annotate(in_use=Count("complaint_links"))
    )
    return render(
        request,
        "web/agencies/categories.html",
        {
            "agency": agency,
            "form": form,
            "active": [c for c in categories if c.is_active],
            "inactive": [c for c in categories if not c.is_active],
        },
        status=status,
    )


@login_required
def category_list(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _agency(request, pk)
    if request.method != "POST":
        return _list_page(request, agency, CategoryAddForm())
    form = CategoryAddForm(request.POST)
    if form.is_valid():
        try:
            category = category_add(actor=_user(request), agency_id=agency.pk, name=form.cleaned_data["name"])
        except ApplicationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Category “{category.name}” was added.")
            return redirect("web:agency_categories", pk=agency.pk)
    return _list_page(request, agency, form, status=422)


@login_required
def category_edit(request: HttpRequest, pk: int, category_id: int) -> HttpResponse:
    agency = _agency(request, pk)
    category = _category(request, agency, category_id)
    status = 200
    if request.method == "POST":
        form = CategoryRenameForm(request.POST)
        if form.is_valid():
            try:
                renamed = category_rename(
                    actor=_user(request),
                    category_id=category.pk,
                    name=form.cleaned_data["name"],
                    expected_version=form.cleaned_data["version"],
                )
            except ApplicationError as exc:
                _refused(form, exc)
                if isinstance(exc, PreconditionFailed):
                    category.refresh_from_db()
                    data = request.POST.copy()
                    data["version"] = str(category.version)
                    form.data = data
            else:
                messages.success(request, f"The category is now named “{renamed.name}”.")
                return redirect("web:agency_categories", pk=agency.pk)
        status = 422
    else:
        form = CategoryRenameForm(initial={"name": category.name, "version": category.version})
    return render(
        request,
        "web/agencies/category_edit.html",
        {"agency": agency, "category": category, "form": form, "in_use": category.complaint_links.count()},
        status=status,
    )


@login_required
@require_POST
def category_active(request: HttpRequest, pk: int, category_id: int) -> HttpResponse:
    agency = _agency(request, pk)
    category = _category(request, agency, category_id)
    form = CategoryActiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Reload the page and try again.")
        return redirect("web:agency_categories", pk=agency.pk)
    active = form.cleaned_data["active"]
    try:
        category_set_active(
            actor=_user(request),
            category_id=category.pk,
            active=active,
            expected_version=form.cleaned_data["version"],
        )
    except (NotFound, PermissionDenied) as exc:
        raise Http404 from exc
    except ApplicationError as exc:
        messages.error(request, exc.detail)
    else:
        if active:
            messages.success(request, f"“{category.name}” is offered again on complaints.")
        else:
            messages.success(request, f"“{category.name}” is no longer offered; complaints that have it keep it.")
    return redirect("web:agency_categories", pk=agency.pk)
