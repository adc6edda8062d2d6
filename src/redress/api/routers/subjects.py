"""Intake step A for API clients: the guided subject search, and Non-NMLS entities, which can be
created only on the ``search_id`` of a search that tried every required step and found nothing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field as F
from ninja import Query, Router, Schema

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.complaints.models import NonNmlsEntity
from redress.complaints.services import non_nmls_entity_create
from redress.complaints.subject_search import subject_search_run
from redress.complaints.subject_selectors import SearchCriteria
from redress.complaints.ui_selectors import SubjectOption
from redress.core.errors import PermissionDenied

from ..errors import responses
from ..idempotency import idempotent
from ..schemas.subjects import NonNmlsEntityIn, NonNmlsEntityOut, SubjectOptionOut, SubjectSearchOut
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
