"""Complaint categories: the caller's agency's list, and changes to it by its account administrators.

Categories are the agency's own: company users are refused here, and no company answer carries
them. Complaints refer to categories by id (``categories`` in the complaint body)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field as F
from ninja import Query, Router, Schema

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.complaints.categories import category_add, category_get_for, category_list_for, category_update
from redress.complaints.models import ComplaintCategory
from redress.core.errors import PermissionDenied

from ..concurrency import expected_version, set_etag
from ..errors import responses
from ..idempotency import idempotent
from ..schemas.categories import CategoryIn, CategoryList, CategoryOut, CategoryPatch
from ._common import IDEMPOTENCY_KEY, IF_MATCH, pk_path
from ._common import caller as _any_caller

router = Router(tags=["Complaint categories"])


class CategoryQuery(Schema):
    include_inactive: bool = F(False, description="Also list categories no longer in use.")


def _agency_caller(request: HttpRequest) -> User:
    user = _any_caller(request)
    who = actor_for(user)
    if not who.is_agency_user or who.agency_id is None:
        raise PermissionDenied("Complaint categories belong to an agency; only its users read them.")
    return user


def _out(c: ComplaintCategory) -> CategoryOut:
    return CategoryOut(id=c.pk, name=c.name, active=c.is_active, position=c.position, version=c.version)


@router.get(
    "/categories",
    response=responses({200: CategoryList}),
    summary="My agency's complaint categories",
    description="In list order. Without `include_inactive` only the categories offered on complaints.",
)
def list_categories(request: HttpRequest, query: Query[CategoryQuery]) -> dict[str, Any]:
    user = _agency_caller(request)
    rows = category_list_for(actor=user, active_only=not query.include_inactive)
    return {"items": [_out(c) for c in rows]}


@router.post(
    "/categories",
    response=responses({201: CategoryOut}, 409),
    summary="Add a category (agency account administrators)",
)
def add_category(
    request: HttpRequest, payload: CategoryIn, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> HttpResponse:
    user = _agency_caller(request)

    def create() -> tuple[int, Any, dict[str, str]]:
        agency_id = actor_for(user).agency_id
        assert agency_id is not None
        category = category_add(actor=user, agency_id=agency_id, name=payload.name)
        location = reverse("api:get_category", kwargs={"category_id": category.pk})
        return 201, _out(category), {"Location": location, "ETag": f'"{category.version}"'}

    return idempotent(request, idempotency_key, create)


@router.get("/categories/{category_id}", response=responses({200: CategoryOut}, 404), summary="One category")
def get_category(
    request: HttpRequest, response: HttpResponse, category_id: int = pk_path("The category's id.")
) -> CategoryOut:
    category = category_get_for(actor=_agency_caller(request), category_id=category_id)
    set_etag(response, category.version)
    return _out(category)


@router.patch(
    "/categories/{category_id}",
    response=responses({200: CategoryOut}, 404, 409, 412, 428),
    summary="Rename, deactivate or activate a category (If-Match required)",
    description="Categories are never deleted: `active: false` stops offering one, and the complaints "
    "that carry it keep it.",
)
def patch_category(
    request: HttpRequest,
    response: HttpResponse,
    payload: CategoryPatch,
    category_id: int = pk_path("The category's id."),
    if_match: str | None = IF_MATCH,
) -> CategoryOut:
    user = _agency_caller(request)
    version = expected_version(if_match)
    category = category_update(
        actor=user, category_id=category_id, expected_version=version, name=payload.name, active=payload.active
    )
    set_etag(response, category.version)
    return _out(category)
