"""The company registry and company users, addressed by the public company reference."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field as F
from ninja import Query, Router
from ninja.params import functions as params

from redress.accounts.models import User
from redress.companies.models import Company, CompanyMembership
from redress.companies.selectors import company_get_for, company_page, company_search_for, company_users_for
from redress.companies.services import company_create, company_update
from redress.companies.user_services import (
    company_user_create,
    company_user_deactivate,
    company_user_reactivate,
    company_user_update,
)
from redress.core.errors import NotFound

from ..concurrency import expected_version, set_etag
from ..errors import responses
from ..idempotency import idempotent
from ..pagination import PageParams, clamp_limit, page_response, paginate
from ..schemas.audit import HistoryPage
from ..schemas.companies import (
    CompanyIn,
    CompanyOut,
    CompanyPage,
    CompanyPatch,
    CompanyUserIn,
    CompanyUserOut,
    CompanyUserPage,
    CompanyUserPatch,
)
from ._common import IDEMPOTENCY_KEY, IF_MATCH, caller, pk_path
from .audit import history_page

router = Router(tags=["Companies"])

REF = params.Path(..., pattern=r"^[A-Za-z0-9-]{1,20}$", description="The public company reference, e.g. CO-000123.")
_NO_NUL = r"^[^\x00]*$"


class CompanyFilters(PageParams):
    q: str = F("", max_length=200, pattern=_NO_NUL, description="Part of the legal or another name.")
    nmls_id: str = F("", max_length=20, pattern=_NO_NUL, description="Exact NMLS ID.")
    company_ref: str = F("", max_length=20, pattern=_NO_NUL, description="Exact company reference.")
    state: str = F("", max_length=2, pattern=_NO_NUL, description="Two-letter state of the address.")
    business_type: str = F("", max_length=40, pattern=_NO_NUL, description="A business type code.")


def _company(user: User, ref: str) -> Company:
    return company_get_for(user, company_ref=ref)


def _company_out(company: Company) -> CompanyOut:
    return CompanyOut.model_validate(company, from_attributes=True)


def _user_out(m: CompanyMembership) -> CompanyUserOut:
    return CompanyUserOut(
        user_id=m.user_id,
        email=m.user.email,
        full_name=m.user.full_name,
        is_account_admin=m.is_account_admin,
        complaints_access=m.complaints_access,
        is_active=m.user.is_active,
        version=m.version,
    )


def _membership(user: User, company: Company, user_id: int) -> CompanyMembership:
    membership = company_users_for(user, company).filter(user_id=user_id).first()
    if membership is None:
        raise NotFound("No such user in this company.")
    return membership


@router.get(
    "/companies",
    response=responses({200: CompanyPage}),
    summary="Search the company registry",
    description="Filters combine with AND. Company users see only their own company.",
)
def search_companies(request: HttpRequest, filters: Query[CompanyFilters]) -> dict[str, Any]:
    qs = company_search_for(
        caller(request),
        q=filters.q,
        nmls_id=filters.nmls_id,
        company_ref=filters.company_ref,
        state=filters.state,
        business_type=filters.business_type,
    )
    page = company_page(qs, cursor=filters.cursor, limit=clamp_limit(filters.limit))
    return {"items": [_company_out(c) for c in page.items], "next_cursor": page.next_cursor}


@router.post("/companies", response=responses({201: CompanyOut}, 409), summary="Add a company to the registry")
def create_company(
    request: HttpRequest, payload: CompanyIn, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> HttpResponse:
    user = caller(request)

    def create() -> tuple[int, Any, dict[str, str]]:
        company = company_create(actor=user, **payload.model_dump())
        location = reverse("api:get_company", kwargs={"ref": company.company_ref})
        return 201, _company_out(company), {"Location": location, "ETag": f'"{company.version}"'}

    return idempotent(request, idempotency_key, create)


@router.get("/companies/{ref}", response=responses({200: CompanyOut}, 404), summary="One company")
def get_company(request: HttpRequest, response: HttpResponse, ref: str = REF) -> CompanyOut:
    company = _company(caller(request), ref)
    set_etag(response, company.version)
    return _company_out(company)


@router.patch(
    "/companies/{ref}",
    response=responses({200: CompanyOut}, 404, 409, 412, 428),
    summary="Change a company (If-Match required)",
)
def patch_company(
    request: HttpRequest, response: HttpResponse, payload: CompanyPatch, ref: str = REF, if_match: str | None = IF_MATCH
) -> CompanyOut:
    user = caller(request)
    version = expected_version(if_match)
    company = _company(user, ref)
    changes = payload.model_dump(exclude_unset=True)
    # null means "no change" except for the NMLS ID, where it clears the value.
    changes = {k: v for k, v in changes.items() if v is not None or k == "nmls_id"}
    company = company_update(actor=user, company=company, expected_version=version, **changes)
    set_etag(response, company.version)
    return _company_out(company)


@router.get("/companies/{ref}/history", response=responses({200: HistoryPage}, 404), summary="Company history")
def company_history(request: HttpRequest, page: Query[PageParams], ref: str = REF) -> dict[str, Any]:
    user = caller(request)
    return history_page(user, "companies.company", str(_company(user, ref).pk), page)


@router.get("/companies/{ref}/users", response=responses({200: CompanyUserPage}, 404), summary="Company users")
def list_company_users(request: HttpRequest, page: Query[PageParams], ref: str = REF) -> dict[str, Any]:
    user = caller(request)
    qs = company_users_for(user, _company(user, ref))
    return page_response(paginate(qs, keys=("id",), cursor=page.cursor, limit=page.limit), _user_out)


@router.post(
    "/companies/{ref}/users", response=responses({201: CompanyUserOut}, 404, 409), summary="Add a company user"
)
def create_company_user(
    request: HttpRequest, payload: CompanyUserIn, ref: str = REF, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> HttpResponse:
    user = caller(request)
    company = _company(user, ref)

    def create() -> tuple[int, Any, dict[str, str]]:
        created = company_user_create(actor=user, company=company, **payload.model_dump())
        membership = CompanyMembership.objects.select_related("user").get(user=created)
        location = reverse("api:get_company_user", kwargs={"ref": company.company_ref, "user_id": created.pk})
        return 201, _user_out(membership), {"Location": location, "ETag": f'"{membership.version}"'}

    return idempotent(request, idempotency_key, create)


@router.get(
    "/companies/{ref}/users/{user_id}", response=responses({200: CompanyUserOut}, 404), summary="One company user"
)
def get_company_user(
    request: HttpRequest, response: HttpResponse, ref: str = REF, user_id: int = pk_path("The user's id.")
) -> CompanyUserOut:
    user = caller(request)
    membership = _membership(user, _company(user, ref), user_id)
    set_etag(response, membership.version)
    return _user_out(membership)


@router.patch(
    "/companies/{ref}/users/{user_id}",
    response=responses({200: CompanyUserOut}, 404, 409, 412, 428),
    summary="Change a company user (If-Match required)",
)
def patch_company_user(
    request: HttpRequest,
    response: HttpResponse,
    payload: CompanyUserPatch,
    ref: str = REF,
    user_id: int = pk_path("The user's id."),
    if_match: str | None = IF_MATCH,
) -> CompanyUserOut:
    user = caller(request)
    version = expected_version(if_match)
    company = _company(user, ref)
    target = _membership(user, company, user_id).user
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    membership = company_user_update(actor=user, company=company, user=target, expected_version=version, **changes)
    membership = _membership(user, company, user_id)
    set_etag(response, membership.version)
    return _user_out(membership)


def _set_active(request: HttpRequest, ref: str, user_id: int, active: bool) -> CompanyUserOut:
    user = caller(request)
    company = _company(user, ref)
    target = _membership(user, company, user_id).user
    (company_user_reactivate if active else company_user_deactivate)(actor=user, company=company, user=target)
    return _user_out(_membership(user, company, user_id))


@router.post(
    "/companies/{ref}/users/{user_id}/deactivate",
    response=responses({200: CompanyUserOut}, 404, 409),
    summary="Deactivate a company user",
)
def deactivate_company_user(request: HttpRequest, ref: str = REF, user_id: int = pk_path()) -> CompanyUserOut:
    return _set_active(request, ref, user_id, False)


@router.post(
    "/companies/{ref}/users/{user_id}/reactivate",
    response=responses({200: CompanyUserOut}, 404, 409),
    summary="Reactivate a company user",
)
def reactivate_company_user(request: HttpRequest, ref: str = REF, user_id: int = pk_path()) -> CompanyUserOut:
    return _set_active(request, ref, user_id, True)
