"""Intake step A for API clients: the guided subject search, and Non-NMLS entities, which can be
created only on the ``search_id`` of a search that tried every required step and found nothing;
then finding Non-NMLS entities and reading and adding to their cross-agency discussion."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field as F
from ninja import Query, Router, Schema
from ninja.params import functions as params

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.complaints.models import NonNmlsEntity, NonNmlsEntityPost
from redress.complaints.non_nmls_discussion import (
    MAX_QUERY_LENGTH,
    discussion_post_create,
    discussion_posts_for,
    non_nmls_entities_for,
    non_nmls_entity_get_for,
)
from redress.complaints.services import non_nmls_entity_create
from redress.complaints.subject_search import subject_search_run
from redress.complaints.subject_selectors import SearchCriteria
from redress.complaints.ui_selectors import SubjectOption
from redress.core.errors import PermissionDenied

from ..errors import responses
from ..idempotency import idempotent
from ..pagination import PageParams, page_response, paginate
from ..schemas.subjects import (
    DiscussionPage,
    DiscussionPostIn,
    DiscussionPostOut,
    NonNmlsEntityDetailOut,
    NonNmlsEntityIn,
    NonNmlsEntityOut,
    NonNmlsEntityPage,
    NonNmlsEntitySummaryOut,
    SubjectOptionOut,
    SubjectSearchOut,
)
from ._common import IDEMPOTENCY_KEY, caller

router = Router(tags=["Subjects"])

_NO_NUL = r"^[^\x00]*$"


class SubjectQuery(Schema):
    identifier: str = F("", max_length=60, pattern=_NO_NUL, description="Company ID, NMLS ID, licence number or ETN.")
    name: str = F("", max_length=200, pattern=_NO_NUL, description="Part of the name.")
    city: str = F("", max_length=100, pattern=_NO_NUL)
    state: str = F("", max_length=2, pattern=_NO_NUL)
    keywords: str = F("", max_length=200, pattern=_NO_NUL, description="Every word must match a name.")
    phone: str = F("", max_length=40, pattern=_NO_NUL, description="Any format; compared by its digits.")
    phone_unknown: bool = F(False, description='"I do not have this information" for the phone step.')
    website: str = F("", max_length=200, pattern=_NO_NUL, description="Any form; compared by its host name.")
    website_unknown: bool = F(False, description='"I do not have this information" for the website step.')


def _agency_caller(request: HttpRequest) -> User:
    user = caller(request)
    if not actor_for(user).is_agency_user:
        raise PermissionDenied("Only agency users search for complaint subjects.")
    return user


def _option(option: SubjectOption, found_by: list[str]) -> SubjectOptionOut:
    company, entity = option.company, option.entity
    own = option.branch or option.individual or company
    place = option.branch or company or entity
    return SubjectOptionOut(
        type=option.subject_type,
        id=option.pk,
        name=option.name,
        company_ref=company.company_ref if company else None,
        nmls_id=(own.nmls_id or None) if own else None,
        tracking_number=entity.tracking_number if entity else None,
        city=getattr(place, "city", "") or "",
        state=getattr(place, "state", "") or "",
        found_by=found_by,
    )


@router.get(
    "/subjects",
    response=responses({200: SubjectSearchOut}),
    summary="Guided subject search",
    description=(
        "Runs every step given a value: identifier (optional), name (with city/state), keywords, phone, website. "
        "Phone and website can be answered unknown instead. When every required step was tried and none found a "
        "subject, the answer carries a search_id for POST /non-nmls-entities."
    ),
)
def search_subjects(request: HttpRequest, query: Query[SubjectQuery]) -> dict[str, Any]:
    user = _agency_caller(request)
    recorded = subject_search_run(actor=user, criteria=SearchCriteria.from_values(query.model_dump()))
    outcome = recorded.outcome
    return {
        "items": [_option(o, labels) for o, labels in outcome.rows],
        "steps": [{"step": s.step, "run": s.run, "skipped": s.skipped, "found": len(s.found)} for s in outcome.steps],
        "missing_steps": outcome.missing,
        "search_id": recorded.search_id,
        "search_expires_at": recorded.expires_at,
    }


def _entity_out(entity: NonNmlsEntity) -> NonNmlsEntityOut:
    return NonNmlsEntityOut.model_validate(entity, from_attributes=True)


@router.post(
    "/non-nmls-entities",
    response=responses({201: NonNmlsEntityOut}, 409),
    summary="Create a Non-NMLS entity",
    description=(
        "Only with the search_id of your own GET /subjects search of the last hour that tried every required "
        "step and found nothing; each search_id creates one entity. Otherwise 409 with code "
        "subject_search_required, subject_search_stale, subject_search_used or subject_search_found_subjects."
    ),
)
def create_non_nmls_entity(
    request: HttpRequest, payload: NonNmlsEntityIn, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> HttpResponse:
    user = _agency_caller(request)

    def create() -> tuple[int, Any, dict[str, str]]:
        fields = payload.model_dump(exclude={"search_id", "name"})
        entity = non_nmls_entity_create(actor=user, search_id=payload.search_id, name=payload.name, **fields)
        return 201, _entity_out(entity), {}

    return idempotent(request, idempotency_key, create)


# --- Non-NMLS entities and their discussion (spec 7.7) -----------------------------------------
# Every agency's complaints users read every entity and its discussion and may post to it; anyone
# else is answered 404, like an entity that does not exist.

TRACKING_NUMBER = params.Path(
    ..., pattern=r"^[A-Za-z0-9-]{1,20}$", description="The Entity Tracking Number, e.g. ETN-000123."
)


class EntityQuery(PageParams):
    q: str = F(
        "",
        max_length=MAX_QUERY_LENGTH,
        pattern=_NO_NUL,
        description="Every word part of the name, or part of the Entity Tracking Number.",
    )


def _entity_summary(entity: NonNmlsEntity) -> dict[str, Any]:
    # The counts are the selector's annotations.
    return {
        "tracking_number": entity.tracking_number,
        "name": entity.name,
        "city": entity.city,
        "state": entity.state,
        "created_by_agency": entity.created_by_agency.name,
        "created_at": entity.created_at,
        "complaint_count": entity.complaint_count,  # type: ignore[attr-defined]
        "post_count": entity.post_count,  # type: ignore[attr-defined]
        "last_post_at": entity.last_post_at,  # type: ignore[attr-defined]
    }


def _post_out(post: NonNmlsEntityPost) -> DiscussionPostOut:
    return DiscussionPostOut(
        id=post.pk,
        text=post.text,
        author_name=post.author.full_name or post.author.email,
        agency=post.agency.name,
        created_at=post.created_at,
    )


@router.get(
    "/non-nmls-entities",
    response=responses({200: NonNmlsEntityPage}, 404),
    summary="List Non-NMLS entities",
    description=(
        "Every agency's Non-NMLS entities by name, with their complaint count (all agencies) and discussion "
        "activity: look for a similar entity before creating one. Only for agency users with a complaints role."
    ),
)
def list_non_nmls_entities(request: HttpRequest, query: Query[EntityQuery]) -> dict[str, Any]:
    qs = non_nmls_entities_for(actor=caller(request), query=query.q)
    page = paginate(qs, keys=("name", "id"), cursor=query.cursor, limit=query.limit)
    return page_response(page, lambda e: NonNmlsEntitySummaryOut(**_entity_summary(e)))


@router.get(
    "/non-nmls-entities/{tracking_number}",
    response=responses({200: NonNmlsEntityDetailOut}, 404),
    summary="One Non-NMLS entity",
    description="Its details and how many complaints concern it, in every agency and in the caller's.",
)
def get_non_nmls_entity(request: HttpRequest, tracking_number: str = TRACKING_NUMBER) -> NonNmlsEntityDetailOut:
    entity = non_nmls_entity_get_for(actor=caller(request), tracking_number=tracking_number)
    return NonNmlsEntityDetailOut(
        **_entity_summary(entity),
        street=entity.street,
        phone=entity.phone,
        website=entity.website,
        own_complaint_count=entity.own_complaint_count,  # type: ignore[attr-defined]
    )


@router.get(
    "/non-nmls-entities/{tracking_number}/discussion",
    response=responses({200: DiscussionPage}, 404),
    summary="A Non-NMLS entity's discussion",
    description="The posts of complaints staff of every agency about the entity, oldest first.",
)
def list_discussion_posts(
    request: HttpRequest, query: Query[PageParams], tracking_number: str = TRACKING_NUMBER
) -> dict[str, Any]:
    qs = discussion_posts_for(actor=caller(request), tracking_number=tracking_number)
    page = paginate(qs, keys=("created_at", "id"), cursor=query.cursor, limit=query.limit)
    return page_response(page, _post_out)


@router.post(
    "/non-nmls-entities/{tracking_number}/discussion",
    response=responses({201: DiscussionPostOut}, 404),
    summary="Post to a Non-NMLS entity's discussion",
    description="Adds a post as the caller and their agency; complaints staff of every agency read it.",
)
def create_discussion_post(
    request: HttpRequest,
    payload: DiscussionPostIn,
    tracking_number: str = TRACKING_NUMBER,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
) -> HttpResponse:
    user = caller(request)

    def create() -> tuple[int, Any, dict[str, str]]:
        post = discussion_post_create(actor=user, tracking_number=tracking_number, text=payload.text)
        location = reverse("api:list_discussion_posts", kwargs={"tracking_number": post.entity.tracking_number})
        return 201, _post_out(post), {"Location": location}

    return idempotent(request, idempotency_key, create)
