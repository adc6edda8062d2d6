"""Agencies and their users, addressed by the agency's public code."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router
from ninja.params import functions as params

from redress.accounts.models import User
from redress.agencies.models import Agency, AgencyMembership
from redress.agencies.selectors import agency_list_for, agency_membership_get_for, agency_users_for
from redress.agencies.services import agency_create, agency_update, agency_user_create, agency_user_update
from redress.core.errors import NotFound

from ..concurrency import expected_version, set_etag
from ..errors import responses
from ..idempotency import idempotent
from ..pagination import PageParams, page_response, paginate
from ..schemas.agencies import (
    AgencyIn,
    AgencyOut,
    AgencyPage,
    AgencyPatch,
    AgencyUserIn,
    AgencyUserOut,
    AgencyUserPage,
    AgencyUserPatch,
)
from ..schemas.audit import HistoryPage
from ._common import IDEMPOTENCY_KEY, IF_MATCH, caller, pk_path
from .audit import history_page

router = Router(tags=["Agencies"])

CODE = params.Path(..., pattern=r"^[A-Za-z0-9-]{1,20}$", description="The agency's public code, e.g. MD-OFR.")


def _agency(user: User, code: str) -> Agency:
    # Looked up inside the actor's visible agencies, so out-of-scope answers like missing.
    agency = agency_list_for(user).filter(code=code.upper()).first()
    if agency is None:
        raise NotFound("No such agency.")
    return agency


def _agency_out(agency: Agency) -> AgencyOut:
    return AgencyOut.model_validate(agency, from_attributes=True)


def _user_out(m: AgencyMembership) -> AgencyUserOut:
    return AgencyUserOut(
        user_id=m.user_id,
        email=m.user.email,
        full_name=m.user.full_name,
        complaints_role=m.complaints_role,
        is_account_admin=m.is_account_admin,
        title=m.title,
        is_active=m.user.is_active,
        version=m.version,
    )


@router.get("/agencies", response=responses({200: AgencyPage}), summary="List agencies I can see")
def list_agencies(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    qs = agency_list_for(caller(request))
    return page_response(paginate(qs, keys=("name", "id"), cursor=page.cursor, limit=page.limit), _agency_out)


@router.post("/agencies", response=responses({201: AgencyOut}, 409), summary="Add an agency (system administrators)")
def create_agency(
    request: HttpRequest, payload: AgencyIn, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> HttpResponse:
    user = caller(request)

    def create() -> tuple[int, Any, dict[str, str]]:
        agency = agency_create(actor=user, **payload.model_dump())
        headers = {"Location": reverse("api:get_agency", kwargs={"code": agency.code}), "ETag": f'"{agency.version}"'}
        return 201, _agency_out(agency), headers

    return idempotent(request, idempotency_key, create)


@router.get("/agencies/{code}", response=responses({200: AgencyOut}, 404), summary="One agency")
def get_agency(request: HttpRequest, response: HttpResponse, code: str = CODE) -> AgencyOut:
    agency = _agency(caller(request), code)
    set_etag(response, agency.version)
    return _agency_out(agency)


@router.patch(
    "/agencies/{code}",
    response=responses({200: AgencyOut}, 404, 409, 412, 428),
    summary="Change an agency (If-Match required)",
)
def patch_agency(
    request: HttpRequest,
    response: HttpResponse,
    payload: AgencyPatch,
    code: str = CODE,
    if_match: str | None = IF_MATCH,
) -> AgencyOut:
    user = caller(request)
    version = expected_version(if_match)
    agency = _agency(user, code)
    changes = payload.model_dump(exclude_unset=True)
    changes = {k: v for k, v in changes.items() if v is not None}
    agency = agency_update(actor=user, agency_id=agency.pk, expected_version=version, **changes)
    set_etag(response, agency.version)
    return _agency_out(agency)


@router.get("/agencies/{code}/history", response=responses({200: HistoryPage}, 404), summary="Agency history")
def agency_history(request: HttpRequest, page: Query[PageParams], code: str = CODE) -> dict[str, Any]:
    user = caller(request)
    return history_page(user, "agencies.agency", str(_agency(user, code).pk), page)


@router.get("/agencies/{code}/users", response=responses({200: AgencyUserPage}, 404), summary="Agency users")
def list_agency_users(request: HttpRequest, page: Query[PageParams], code: str = CODE) -> dict[str, Any]:
    user = caller(request)
    qs = agency_users_for(user, _agency(user, code))
    return page_response(paginate(qs, keys=("id",), cursor=page.cursor, limit=page.limit), _user_out)


@router.post(
    "/agencies/{code}/users", response=responses({201: AgencyUserOut}, 404, 409), summary="Add a user to an agency"
)
def create_agency_user(
    request: HttpRequest, payload: AgencyUserIn, code: str = CODE, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> HttpResponse:
    user = caller(request)
    agency = _agency(user, code)

    def create() -> tuple[int, Any, dict[str, str]]:
        membership = agency_user_create(actor=user, agency_id=agency.pk, **payload.model_dump())
        location = reverse("api:get_agency_user", kwargs={"code": agency.code, "user_id": membership.user_id})
        return 201, _user_out(membership), {"Location": location, "ETag": f'"{membership.version}"'}

    return idempotent(request, idempotency_key, create)


@router.get(
    "/agencies/{code}/users/{user_id}", response=responses({200: AgencyUserOut}, 404), summary="One agency user"
)
def get_agency_user(
    request: HttpRequest, response: HttpResponse, code: str = CODE, user_id: int = pk_path("The user's id.")
) -> AgencyUserOut:
    user = caller(request)
    membership = agency_membership_get_for(user, _agency(user, code), user_id)
    set_etag(response, membership.version)
    return _user_out(membership)


@router.patch(
    "/agencies/{code}/users/{user_id}",
    response=responses({200: AgencyUserOut}, 404, 409, 412, 428),
    summary="Change an agency user (If-Match required)",
)
def patch_agency_user(
    request: HttpRequest,
    response: HttpResponse,
    payload: AgencyUserPatch,
    code: str = CODE,
    user_id: int = pk_path("The user's id."),
    if_match: str | None = IF_MATCH,
) -> AgencyUserOut:
    user = caller(request)
    version = expected_version(if_match)
    agency = _agency(user, code)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    membership = agency_user_update(
        actor=user, agency_id=agency.pk, user_id=user_id, expected_version=version, **changes
    )
    set_etag(response, membership.version)
    return _user_out(membership)
