"""The shared company registry: search, profile, create/edit, CSV import, and the company's users.

Companies outside the viewer's scope, and actions the viewer may not take, answer 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from redress.accounts.models import User
from redress.accounts.policy import (
    Actor,
    actor_for,
    can_edit_company_profile,
    can_edit_company_registry,
    can_manage_company_users,
    can_mark_supervised,
)
from redress.agencies.models import Agency
from redress.companies import selectors, services
from redress.companies.constants import MAX_COMPANY_ACCOUNT_ADMINS, US_STATES, BusinessType, ComplaintsAccess
from redress.companies.importing import COLUMNS, ImportRejected, companies_import_csv
from redress.companies.models import Branch, Company, Individual, StateLicense
from redress.complaints.related import activity_counts_by_company_for
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed

from ..forms.account import apply_application_error
from ..forms.companies import (
    BranchForm,
    CompanyForm,
    CompanyImportForm,
    CompanySearchForm,
    CompanyUserCreateForm,
    CompanyUserEditForm,
    ComplaintsContactForm,
    IndividualForm,
    LicenseForm,
    NotificationAddressForm,
)

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _actor(request: HttpRequest) -> Actor:
    return actor_for(_user(request))


def _get_company(request: HttpRequest, pk: int) -> Company:
    try:
        return selectors.company_get_for(_user(request), pk=pk)
    except NotFound as exc:
        raise Http404 from exc


def _refused(form: Any, exc: ApplicationError) -> None:
    if isinstance(exc, NotFound | PermissionDenied):
        raise Http404 from exc
    apply_application_error(form, exc)


def _agency(actor: Actor) -> Agency | None:
    return Agency.objects.filter(pk=actor.agency_id).first() if actor.agency_id else None


# --- list / search ------------------------------------------------------------------------------


@login_required
def company_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if actor.is_company_user and actor.company_id:
        return redirect("web:company_detail", pk=actor.company_id)
    if not (actor.is_system_admin or actor.is_agency_user):
        raise Http404
    form = CompanySearchForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {k: data[k] for k in ("q", "nmls_id", "company_ref", "state", "business_type") if data[k]}
        if data["supervised"] and actor.is_agency_user:
            filters["supervised_by"] = _agency(actor)
    qs = selectors.company_search_for(_user(request), **filters)
    try:
        page = selectors.company_page(qs, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE)
    except ApplicationError:
        page = selectors.company_page(qs, limit=PAGE_SIZE)
        messages.warning(request, "That page link was not valid, so the first page is shown.")
    query = request.GET.copy()
    query.pop("cursor", None)
    next_url = first_url = ""
    if page.next_cursor:
        query["cursor"] = page.next_cursor
        next_url = "?" + query.urlencode()
        query.pop("cursor")
    if request.GET.get("cursor"):
        first_url = "?" + query.urlencode()
    return render(
        request,
        "web/companies/list.html",
        {
            "form": form,
            "companies": page.items,
            "next_url": next_url,
            "first_url": first_url,
            "searched": bool(filters),
            "can_create": can_edit_company_registry(actor),
            "is_agency_user": actor.is_agency_user,
            "business_type_labels": dict(BusinessType.choices),
        },
    )


# --- create / edit ------------------------------------------------------------------------------


@login_required
def company_create(request: HttpRequest) -> HttpResponse:
    if not can_edit_company_registry(_actor(request)):
        raise Http404
    form = CompanyForm(request.POST or None, prefix="company")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                company = services.company_create(actor=_user(request), **form.service_values())
            except ApplicationError as exc:
                _refused(form, exc)
            else:
                messages.success(request, f"{company.legal_name} was added as {company.company_ref}.")
                return redirect("web:company_detail", pk=company.pk)
        status = 422
    return render(
        request, "web/companies/form.html", {"form": form, "company": None, **_form_extras(form)}, status=status
    )


def _form_extras(form: CompanyForm) -> dict[str, Any]:
    selected = set(form["business_types"].value() or []) if "business_types" in form.fields else set()
    return {"business_type_options": [(code, label, code in selected) for code, label in BusinessType.choices]}


@login_required
def company_edit(request: HttpRequest, pk: int) -> HttpResponse:
    company = _get_company(request, pk)
    actor = _actor(request)
    if not can_edit_company_profile(actor, company):
        raise Http404
    registry = can_edit_company_registry(actor, company)
    status = 200
    if request.method == "POST":
        form = CompanyForm(request.POST, prefix="company", registry=registry)
        if form.is_valid():
            try:
                services.company_update(
                    actor=_user(request),
                    company=company,
                    expected_version=form.cleaned_data.get("version") or 0,
                    **form.service_values(),
                )
            except ApplicationError as exc:
                _refused(form, exc)
                if isinstance(exc, PreconditionFailed):
                    company.refresh_from_db()
                    data = form.data.copy()  # type: ignore[attr-defined]
                    data[form.add_prefix("version")] = str(company.version)
                    form.data = data
            else:
                messages.success(request, "The company profile was saved.")
                return redirect("web:company_detail", pk=company.pk)
        status = 422
    else:
        initial = {name: getattr(company, name) for name in services.COMPANY_FIELDS}
        initial["other_names"] = "\n".join(company.other_names)
        initial["version"] = company.version
        form = CompanyForm(prefix="company", registry=registry, initial=initial)
    return render(
        request, "web/companies/form.html", {"form": form, "company": company, **_form_extras(form)}, status=status
    )


# --- import -------------------------------------------------------------------------------------


@login_required
def company_import(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not can_edit_company_registry(actor):
        raise Http404
    agency = _agency(actor)
    form = CompanyImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = companies_import_csv(actor=_user(request), file=form.cleaned_data["file"], agency=agency)
            except ImportRejected as exc:
                errors = exc.errors
                form.add_error("file", exc.detail)
            except ApplicationError as exc:
                _refused(form, exc)
            else:
                messages.success(
                    request,
                    f"Imported {len(result.company_refs)} rows: {result.created} created, "
                    f"{result.updated} updated, {result.unchanged} unchanged.",
                )
                return redirect("web:company_list")
        status = 422
    return render(
        request,
        "web/companies/import.html",
        {"form": form, "row_errors": errors, "columns": COLUMNS, "agency": agency},
        status=status,
    )


# --- detail and its actions ---------------------------------------------------------------------


def _detail(request: HttpRequest, company: Company, *, status: int = 200, **forms: Any) -> HttpResponse:
    user = _user(request)
    actor = actor_for(user)
    memberships = list(selectors.company_users_for(user, company))
    agency = _agency(actor)
    can_users = can_manage_company_users(actor, company)
    candidates = [
        (m.user_id, m.user.full_name or m.user.email)
        for m in memberships
        if m.user.is_active and m.complaints_access == ComplaintsAccess.MANAGE
    ]
    supervised_ids = selectors.company_supervising_agency_ids(user, company)
    # The schedule view's count for this company: complaints linked to the agency's activities.
    activity_counts = activity_counts_by_company_for(actor=user, company_id=company.pk) if actor.is_agency_user else []
    context = {
        "company": company,
        "state_name": US_STATES.get(company.state, ""),
        "business_type_labels": [BusinessType(code).label for code in company.business_types if code in BusinessType],
        "branches": list(company.branches.all()),
        "individuals": list(company.individuals.all()),
        "licenses": list(selectors.company_licenses_for(user, company)),
        "memberships": memberships,
        "addresses": list(selectors.company_notification_addresses_for(user, company)),
        "agency": agency,
        "is_supervised": agency is not None and agency.pk in supervised_ids,
        "activity_count": activity_counts[0] if activity_counts else None,
        "supervising_count": len(supervised_ids),
        "can_supervise": agency is not None and can_mark_supervised(actor, agency),
        "can_edit_profile": can_edit_company_profile(actor, company),
        "can_edit_registry": can_edit_company_registry(actor, company),
        "can_manage_users": can_users,
        "max_admins": MAX_COMPANY_ACCOUNT_ADMINS,
        "user_form": forms.get("user_form") or CompanyUserCreateForm(prefix="newuser"),
        "contact_form": forms.get("contact_form")
        or ComplaintsContactForm(
            prefix="contact",
            candidates=candidates,
            initial={"user": company.complaints_contact_id, "version": company.version},
        ),
        "address_form": forms.get("address_form") or NotificationAddressForm(prefix="address"),
        "branch_form": forms.get("branch_form") or BranchForm(prefix="branch"),
        "individual_form": forms.get("individual_form") or IndividualForm(prefix="individual"),
        "license_form": forms.get("license_form") or LicenseForm(prefix="license"),
    }
    return render(request, "web/companies/detail.html", context, status=status)


@login_required
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get_company(request, pk))


def _back(company: Company, anchor: str = "") -> HttpResponse:
    return redirect(reverse("web:company_detail", args=[company.pk]) + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def company_supervise(request: HttpRequest, pk: int) -> HttpResponse:
    company = _get_company(request, pk)
    agency = _agency(_actor(request))
    if agency is None:
        raise Http404
    try:
        if request.POST.get("action") == "unmark":
            services.supervision_unmark(actor=_user(request), company=company, agency=agency)
            messages.success(request, f"{agency.name} no longer marks this company as supervised.")
        else:
            services.supervision_mark(actor=_user(request), company=company, agency=agency)
            messages.success(request, f"{agency.name} now supervises this company.")
    except (NotFound, PermissionDenied) as exc:
        raise Http404 from exc
    return _back(company)


@login_required
@require_POST
def company_user_add(request: HttpRequest, pk: int) -> HttpResponse:
    company = _get_company(request, pk)
    form = CompanyUserCreateForm(request.POST, prefix="newuser")
    if form.is_valid():
        try:
            user = services.company_user_create(actor=_user(request), company=company, **form.cleaned_data)
        except ApplicationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"{user.full_name} was added. We emailed them a link to choose a password.")
            return _back(company, "users")
    return _detail(request, company, status=422, user_form=form)


@login_required
def company_user_edit(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    company = _get_company(request, pk)
    if not can_manage_company_users(_actor(request), company):
        raise Http404
    membership = next((m for m in selectors.company_users_for(_user(request), company) if m.user_id == user_id), None)
    if membership is None:
        raise Http404
    status = 200
    if request.method == "POST":
        form = CompanyUserEditForm(request.POST, prefix="member")
        action = request.POST.get("action", "save")
        try:
            if action == "deactivate":
                services.company_user_deactivate(actor=_user(request), company=company, user=membership.user)
                messages.success(request, f"{membership.user.full_name} was deactivated.")
                return _back(company, "users")
            if action == "reactivate":
                services.company_user_reactivate(actor=_user(request), company=company, user=membership.user)
                messages.success(request, f"{membership.user.full_name} was reactivated.")
                return _back(company, "users")
            if form.is_valid():
                services.company_user_update(
                    actor=_user(request),
                    company=company,
                    user=membership.user,
                    expected_version=form.cleaned_data["version"],
                    is_account_admin=form.cleaned_data["is_account_admin"],
                    complaints_access=form.cleaned_data["complaints_access"],
                )
                messages.success(request, f"Changes to {membership.user.full_name} were saved.")
                return _back(company, "users")
        except ApplicationError as exc:
            _refused(form, exc)
        status = 422
    else:
        form = CompanyUserEditForm(
            prefix="member",
            initial={
                "complaints_access": membership.complaints_access,
                "is_account_admin": membership.is_account_admin,
                "version": membership.version,
            },
        )
    return render(
        request,
        "web/companies/user_edit.html",
        {"company": company, "membership": membership, "form": form, "is_self": membership.user_id == request.user.pk},
        status=status,
    )


@login_required
@require_POST
def company_contact_set(request: HttpRequest, pk: int) -> HttpResponse:
    company = _get_company(request, pk)
    candidates = [
        (m.user_id, m.user.full_name or m.user.email) for m in selectors.company_users_for(_user(request), company)
    ]
    form = ComplaintsContactForm(request.POST, prefix="contact", candidates=candidates)
    if form.is_valid():
        contact = User.objects.get(pk=form.cleaned_data["user"])
        try:
            services.company_complaints_contact_set(
                actor=_user(request), company=company, user=contact, expected_version=form.cleaned_data["version"]
            )
        except ApplicationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"{contact.full_name or contact.email} is now the Complaints Contact.")
            return _back(company, "contact")
    return _detail(request, company, status=422, contact_form=form)


@login_required
@require_POST
def company_address_add(request: HttpRequest, pk: int) -> HttpResponse:
    company = _get_company(request, pk)
    form = NotificationAddressForm(request.POST, prefix="address")
    if form.is_valid():
        try:
            services.notification_address_add(actor=_user(request), company=company, email=form.cleaned_data["email"])
        except ApplicationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "The notification address was added.")
            return _back(company, "addresses")
    return _detail(request, company, status=422, address_form=form)


@login_required
@require_POST
def company_address_remove(request: HttpRequest, pk: int) -> HttpResponse:
    company = _get_company(request, pk)
    try:
        services.notification_address_remove(actor=_user(request), company=company, email=request.POST.get("email", ""))
    except (NotFound, PermissionDenied) as exc:
        raise Http404 from exc
    except ApplicationError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, "The notification address was removed.")
    return _back(company, "addresses")


@login_required
@require_POST
def company_branch_add(request: HttpRequest, pk: int) -> HttpResponse:
    company = _get_company(request, pk)
    form = BranchForm(request.POST, prefix="branch")
    if form.is_valid():
        try:
            services.branch_add(actor=_user(request), company=company, **form.cleaned_data)
        except ApplicationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "The branch was added.")
            return _back(company, "branches")
    return _detail(request, company, status=422, branch_form=form)


@login_required
@require_POST
def company_individual_add(request: HttpRequest, pk: int) -> HttpResponse:
    company = _get_company(request, pk)
    form = IndividualForm(request.POST, prefix="individual")
    if form.is_valid():
        try:
            services.individual_add(actor=_user(request), company=company, **form.cleaned_data)
        except ApplicationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "The individual was added.")
            return _back(company, "individuals")
    return _detail(request, company, status=422, individual_form=form)


@login_required
@require_POST
def company_license_add(request: HttpRequest, pk: int) -> HttpResponse:
    company = _get_company(request, pk)
    agency = _agency(_actor(request))
    if agency is None:
        raise Http404
    form = LicenseForm(request.POST, prefix="license")
    if form.is_valid():
        try:
            services.license_add(actor=_user(request), company=company, agency=agency, **form.cleaned_data)
        except ApplicationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, "The licence was added.")
            return _back(company, "licences")
    return _detail(request, company, status=422, license_form=form)


@login_required
@require_POST
def company_part_remove(request: HttpRequest, pk: int, kind: str, part_id: int) -> HttpResponse:
    """Remove a branch, individual or (own agency's) licence of the company."""
    company = _get_company(request, pk)
    try:
        if kind == "branch":
            services.branch_remove(actor=_user(request), branch=Branch.objects.get(pk=part_id, company=company))
        elif kind == "individual":
            services.individual_remove(
                actor=_user(request), individual=Individual.objects.get(pk=part_id, company=company)
            )
        elif kind == "license":
            lic = selectors.company_licenses_for(_user(request), company).get(pk=part_id)
            services.license_remove(actor=_user(request), license=lic)
        else:
            raise Http404
    except (Branch.DoesNotExist, Individual.DoesNotExist, StateLicense.DoesNotExist, NotFound, PermissionDenied):
        raise Http404 from None
    messages.success(request, "Removed.")
    return _back(company)
