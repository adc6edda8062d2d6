"""Supervisory activities of the caller's agency (a v1 stub), addressed by their SA ID, and the
symmetric link to complaints: a complaint linked here is listed under the complaint's related
items too (``/complaints/{ref}/related``), and the reverse. An activity carries an ETag; changing
it needs If-Match (or the body's version)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router
from ninja.params import functions as params

from redress.complaints import related
from redress.complaints.models import SupervisoryActivity

from ..concurrency import set_etag, version_from
from ..errors import responses
from ..idempotency import idempotent
from ..pagination import PageParams, page_response, paginate
from ..schemas.supervisory_activities import (
    ActivityCompanyOut,
    ActivityDetailOut,
    ActivityIn,
    ActivityLinkIn,
    ActivityOut,
    ActivityPage,
    ActivityPatch,
    CompanyCountList,
    LinkedComplaintOut,
)
from ._common import IDEMPOTENCY_KEY, IF_MATCH, MAX_PK, caller

router = Router(tags=["Supervisory activities"])

REF = params.Path(..., pattern=r"^[A-Za-z0-9-]{1,20}$", description="The SA ID, e.g. SA-000123.")
COMPLAINT_REF = params.Path(..., pattern=r"^[A-Za-z0-9-]{1,20}$", description="The Complaint ID.")


class ActivityQuery(PageParams):
    company_id: int | None = Field(None, ge=1, le=MAX_PK, description="Only activities concerning this company.")


def _out(activity: SupervisoryActivity, complaint_count: int) -> dict[str, Any]:
    company = activity.company
    return {
        "ref": activity.ref,
        "activity_type": activity.activity_type,
        "name": activity.name,
        "status": activity.status,
        "company": (
            ActivityCompanyOut(
                id=company.pk, legal_name=company.legal_name, company_ref=company.company_ref, nmls_id=company.nmls_id
            )
            if company is not None
            else None
        ),
        "created_at": activity.created_at,
        "complaint_count": complaint_count,
        "version": activity.version,
    }


def _detail(request: HttpRequest, ref: str) -> ActivityDetailOut:
    user = caller(request)
    activity = related.supervisory_activity_get_for(actor=user, activity_ref=ref)
    complaints = related.complaints_of_activity_for(actor=user, activity_ref=activity.ref)
    return ActivityDetailOut(
        **_out(activity, len(complaints)),
        complaints=[
            LinkedComplaintOut(ref=c.ref, status=c.status, subject_name=c.subject_name, date_received=c.date_received)
            for c in complaints
        ],
    )


@router.get(
    "/supervisory-activities",
    response=responses({200: ActivityPage}, 404),
    summary="List supervisory activities",
    description="The agency's examinations and investigations, newest first, with their linked-complaint count.",
)
def list_activities(request: HttpRequest, query: Query[ActivityQuery]) -> dict[str, Any]:
    qs = related.supervisory_activities_for(actor=caller(request), company_id=query.company_id)
    page = paginate(qs, keys=("-id",), cursor=query.cursor, limit=query.limit)
    # complaint_count is the selector's annotation.
    return page_response(page, lambda a: ActivityOut(**_out(a, a.complaint_count)))  # type: ignore[attr-defined]


@router.get(
    "/supervisory-activities/by-company",
    response=responses({200: CompanyCountList}, 404),
    summary="Linked complaints per company",
    description="The schedule view's counts: per company, the agency's activities and the complaints linked to them.",
)
def counts_by_company(request: HttpRequest) -> dict[str, Any]:
    return {"items": related.activity_counts_by_company_for(actor=caller(request))}


@router.post(
    "/supervisory-activities",
    response=responses({201: ActivityDetailOut}, 404),
    summary="Record a supervisory activity",
)
def create_activity(
    request: HttpRequest, payload: ActivityIn, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> HttpResponse:
    user = caller(request)

    def create() -> tuple[int, Any, dict[str, str]]:
        activity = related.supervisory_activity_create(actor=user, **payload.model_dump())
        location = reverse("api:get_activity", kwargs={"ref": activity.ref})
        return 201, _detail(request, activity.ref), {"Location": location, "ETag": f'"{activity.version}"'}

    return idempotent(request, idempotency_key, create)


@router.get(
    "/supervisory-activities/{ref}",
    response=responses({200: ActivityDetailOut}, 404),
    summary="One supervisory activity with its linked complaints",
)
def get_activity(request: HttpRequest, response: HttpResponse, ref: str = REF) -> ActivityDetailOut:
    detail = _detail(request, ref)
    set_etag(response, detail.version)
    return detail


@router.patch(
    "/supervisory-activities/{ref}",
    response=responses({200: ActivityDetailOut}, 404, 412, 428),
    summary="Change a supervisory activity (If-Match or version required)",
    description="Type, name, status and company; only the fields sent change. "
    "Complaint Supervisors and Managers of the owning agency.",
)
def patch_activity(
    request: HttpRequest,
    response: HttpResponse,
    payload: ActivityPatch,
    ref: str = REF,
    if_match: str | None = IF_MATCH,
) -> ActivityDetailOut:
    user = caller(request)
    version = version_from(if_match, payload)
    # An explicit null means "leave unchanged", like a field not sent.
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True, exclude={"version"}).items() if v is not None}
    activity = related.supervisory_activity_update(actor=user, activity_ref=ref, expected_version=version, **changes)
    detail = _detail(request, activity.ref)
    set_etag(response, detail.version)
    return detail


@router.post(
    "/supervisory-activities/{ref}/complaints",
    response=responses({201: ActivityDetailOut}, 404, 409),
    summary="Link a complaint",
    description="The same link as adding the activity to the complaint's related items.",
)
def link_complaint(
    request: HttpRequest, payload: ActivityLinkIn, ref: str = REF, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> HttpResponse:
    user = caller(request)

    def create() -> tuple[int, Any, dict[str, str]]:
        activity = related.supervisory_activity_get_for(actor=user, activity_ref=ref)
        related.supervisory_activity_link_complaint(
            actor=user, activity_ref=activity.ref, complaint_ref=payload.complaint_ref.strip().upper()
        )
        return 201, _detail(request, activity.ref), {}

    return idempotent(request, idempotency_key, create)


@router.delete(
    "/supervisory-activities/{ref}/complaints/{complaint_ref}",
    response=responses({204: None}, 404, 409),
    summary="Unlink a complaint",
)
def unlink_complaint(request: HttpRequest, ref: str = REF, complaint_ref: str = COMPLAINT_REF) -> tuple[int, None]:
    related.supervisory_activity_unlink_complaint(actor=caller(request), activity_ref=ref, complaint_ref=complaint_ref)
    return 204, None
