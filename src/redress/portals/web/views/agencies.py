"""Agency administration: the agency list (system administrators), an agency's profile,
settings and users (its account administrators). Out-of-scope agencies answer 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from redress.accounts.models import User
from redress.accounts.policy import actor_for, can_manage_agency
from redress.agencies.constants import MAX_AGENCY_ACCOUNT_ADMINS
from redress.agencies.models import Agency, AgencyMembership
from redress.agencies.selectors import agency_get_for, agency_list_for, agency_membership_get_for, agency_users_for
from redress.agencies.services import (
    agency_create,
    agency_update,
    agency_user_create,
    agency_user_reset_mfa,
    agency_user_send_password_link,
    agency_user_update,
)
from redress.complaints.agency_roles import open_complaints_as_poc
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed

from ..forms.account import apply_application_error
from ..forms.agencies import (
    AgencyCreateForm,
    AgencySettingsForm,
    AgencyUserCreateForm,
    AgencyUserEditForm,
    role_choice,
)
from ..forms.complaints import OPEN_ANY


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _get_agency(request: HttpRequest, pk: int) -> Agency:
    try:
        return agency_get_for(_user(request), pk)
    except NotFound as exc:
        raise Http404 from exc


def _refused(form: Any, exc: ApplicationError) -> None:
    """Turn a service refusal into a form error; a refused permission answers like a missing page."""
    if isinstance(exc, NotFound | PermissionDenied):
        raise Http404 from exc
    apply_application_error(form, exc)


def _with_current_version(form: Any, version: int) -> None:
    # After a stale-version refusal the form keeps the user's input but carries the current
    # version, so submitting again deliberately overwrites the newer record.
    data = form.data.copy()
    data[form.add_prefix("version")] = str(version)
    form.data = data


# --- agency list --------------------------------------------------------------------------------


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(_user(request))
    if not (actor.is_system_admin or actor.is_agency_user):
        raise Http404
    form = AgencyCreateForm(prefix="agency")
    status = 200
    if request.method == "POST":
        form = AgencyCreateForm(request.POST, prefix="agency")
        if form.is_valid():
            try:
                agency = agency_create(actor=_user(request), **form.cleaned_data)
            except ApplicationError as exc:
                _refused(form, exc)
            else:
                messages.success(request, f"Agency “{agency.name}” was added.")
                return redirect("web:agency_detail", pk=agency.pk)
        status = 422
    agencies = agency_list_for(_user(request))
    return render(
        request,
        "web/agencies/list.html",
        {"agencies": agencies, "form": form, "can_create": actor.is_system_admin},
        status=status,
    )


# --- agency detail ------------------------------------------------------------------------------


def _settings_form(agency: Agency) -> AgencySettingsForm:
    return AgencySettingsForm(
        prefix="settings",
        initial={
            "name": agency.name,
            "contact_email": agency.contact_email,
            "managers_can_send_irs": agency.managers_can_send_irs,
            "document_retention_years": agency.document_retention_years,
            "ir_reminder_days_before": agency.ir_reminder_days_before,
            "version": agency.version,
        },
    )


def _detail(
    request: HttpRequest,
    agency: Agency,
    *,
    status: int = 200,
    settings_form: AgencySettingsForm | None = None,
    user_form: AgencyUserCreateForm | None = None,
) -> HttpResponse:
    actor = actor_for(_user(request))
    memberships = list(agency_users_for(_user(request), agency))
    can_manage = can_manage_agency(actor, agency)
    return render(
        request,
        "web/agencies/detail.html",
        {
            "agency": agency,
            "memberships": memberships,
            "admin_count": sum(1 for m in memberships if m.is_account_admin and m.user.is_active),
            "max_admins": MAX_AGENCY_ACCOUNT_ADMINS,
            "can_manage": can_manage,
            "settings_form": settings_form or _settings_form(agency),
            "user_form": user_form or AgencyUserCreateForm(prefix="newuser"),
        },
        status=status,
    )


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get_agency(request, pk))


@login_required
@require_POST
def agency_settings(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _get_agency(request, pk)
    form = AgencySettingsForm(request.POST, prefix="settings")
    if form.is_valid():
        values = dict(form.cleaned_data)
        version = values.pop("version")
        try:
            agency_update(actor=_user(request), agency_id=agency.pk, expected_version=version, **values)
        except ApplicationError as exc:
            _refused(form, exc)
            if isinstance(exc, PreconditionFailed):
                agency.refresh_from_db()
                _with_current_version(form, agency.version)
        else:
            messages.success(request, "Agency settings were saved.")
            return redirect("web:agency_detail", pk=agency.pk)
    return _detail(request, agency, status=422, settings_form=form)


@login_required
@require_POST
def agency_user_add(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _get_agency(request, pk)
    form = AgencyUserCreateForm(request.POST, prefix="newuser")
    if form.is_valid():
        try:
            membership = agency_user_create(actor=_user(request), agency_id=agency.pk, **form.cleaned_data)
        except ApplicationError as exc:
            _refused(form, exc)
        else:
            messages.success(
                request, f"{membership.user.full_name} was added. We emailed them a link to choose a password."
            )
            return redirect("web:agency_detail", pk=agency.pk)
    return _detail(request, agency, status=422, user_form=form)


@login_required
def agency_user_edit(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    agency = _get_agency(request, pk)
    try:
        membership: AgencyMembership = agency_membership_get_for(_user(request), agency, user_id)
    except NotFound as exc:
        raise Http404 from exc
    if not can_manage_agency(actor_for(_user(request)), agency):
        raise Http404
    status = 200
    if request.method == "POST":
        form = AgencyUserEditForm(request.POST, prefix="member")
        if form.is_valid():
            values = dict(form.cleaned_data)
            version = values.pop("version")
            try:
                agency_user_update(
                    actor=_user(request), agency_id=agency.pk, user_id=user_id, expected_version=version, **values
                )
            except ApplicationError as exc:
                _refused(form, exc)
                if isinstance(exc, PreconditionFailed):
                    membership.refresh_from_db()
                    _with_current_version(form, membership.version)
            else:
                messages.success(request, f"Changes to {membership.user.full_name} were saved.")
                return redirect("web:agency_detail", pk=agency.pk)
        status = 422
    else:
        form = AgencyUserEditForm(
            prefix="member",
            initial={
                "full_name": membership.user.full_name,
                "title": membership.title,
                "complaints_role": role_choice(membership.complaints_role),
                "is_account_admin": membership.is_account_admin,
                "is_active": membership.user.is_active,
                "version": membership.version,
            },
        )
    open_as_poc = open_complaints_as_poc(agency_id=agency.pk, user_id=membership.user_id)
    poc_filter: dict[str, str | int] = {"agency_poc": membership.user_id, "status": OPEN_ANY}
    context = {
        "agency": agency,
        "membership": membership,
        "form": form,
        "is_self": membership.user_id == request.user.pk,
        "open_as_poc": open_as_poc,
        # The list link only for an administrator who may open the Complaints list.
        "poc_list_url": (
            f"{reverse('web:complaint_list')}?{urlencode(poc_filter)}"
            if open_as_poc and actor_for(_user(request)).has_complaints_role
            else ""
        ),
    }
    return render(request, "web/agencies/user_edit.html", context, status=status)


def _admin_action(request: HttpRequest, pk: int, user_id: int, service: Any, done: str) -> HttpResponse:
    agency = _get_agency(request, pk)
    try:
        membership = service(actor=_user(request), agency_id=agency.pk, user_id=user_id)
    except (NotFound, PermissionDenied) as exc:
        raise Http404 from exc
    except ApplicationError as exc:
        messages.error(request, exc.detail)
        return redirect("web:agency_user_edit", pk=agency.pk, user_id=user_id)
    messages.success(request, done.format(name=membership.user.full_name))
    return redirect("web:agency_user_edit", pk=agency.pk, user_id=user_id)


@login_required
@require_POST
def agency_user_password_link(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    return _admin_action(
        request, pk, user_id, agency_user_send_password_link, "We emailed {name} a link to choose a password."
    )


@login_required
@require_POST
def agency_user_mfa_reset(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    return _admin_action(
        request,
        pk,
        user_id,
        agency_user_reset_mfa,
        "Two-step sign-in for {name} was reset. They set it up again at their next sign-in.",
    )
