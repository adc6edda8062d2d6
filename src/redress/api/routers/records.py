"""Records management for the agency's Supervisors: legal holds and disposition certificates; the
complaint record PDF for every user of the owning agency."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router
from ninja.params import functions as params

from redress.documents.files import attachment_disposition
from redress.records.models import LegalHold
from redress.records.pdf import complaint_record_pdf, record_pdf_filename
from redress.records.selectors import disposition_certificate_for, legal_hold_get_for, legal_holds_for
from redress.records.services import legal_hold_lift, legal_hold_place

from ..concurrency import expected_version, set_etag
from ..errors import responses
from ..idempotency import idempotent
from ..pagination import PageParams, page_response, paginate
from ..schemas.records import DisposedDocumentOut, DispositionRunOut, HoldIn, HoldLiftIn, HoldOut, HoldPage
from ._common import IDEMPOTENCY_KEY, IF_MATCH, caller, pk_path

router = Router(tags=["Records"])

COMPLAINT_REF = params.Path(..., pattern=r"^[A-Za-z0-9-]{1,20}$", description="The Complaint ID, e.g. CMP-2026-000123.")


def _out(hold: LegalHold) -> HoldOut:
    return HoldOut(
        id=hold.pk,
        scope=hold.scope,
        target=hold.target_label,
        complaint_ref=hold.complaint.ref if hold.complaint else None,
        company_id=hold.company_id,
        reason=hold.reason,
        placed_at=hold.placed_at,
        placed_by=hold.placed_by.email,
        active=hold.is_active,
        lifted_at=hold.lifted_at,
        lift_reason=hold.lift_reason,
        version=hold.version,
    )


@router.get("/records/holds", response=responses({200: HoldPage}, 404), summary="List legal holds")
def list_holds(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    qs = legal_holds_for(caller(request))
    return page_response(paginate(qs, keys=("-id",), cursor=page.cursor, limit=page.limit), _out)


@router.post("/records/holds", response=responses({201: HoldOut}, 403, 404), summary="Place a legal hold")
def place_hold(request: HttpRequest, payload: HoldIn, idempotency_key: str | None = IDEMPOTENCY_KEY) -> HttpResponse:
    user = caller(request)

    def create() -> tuple[int, object, dict[str, str]]:
        hold = legal_hold_place(
            actor=user,
            scope=payload.scope,
            reason=payload.reason,
            complaint_ref=payload.complaint_ref,
            company_id=payload.company_id,
        )
        return 201, _out(hold), {"Location": reverse("api:get_hold", kwargs={"hold_id": hold.pk})}

    return idempotent(request, idempotency_key, create)


@router.get("/records/holds/{hold_id}", response=responses({200: HoldOut}, 404), summary="One legal hold")
def get_hold(request: HttpRequest, response: HttpResponse, hold_id: int = pk_path()) -> HoldOut:
    hold = legal_hold_get_for(caller(request), hold_id)
    set_etag(response, hold.version)
    return _out(hold)


@router.post(
    "/records/holds/{hold_id}/lift",
    response=responses({200: HoldOut}, 403, 404, 409, 412, 428),
    summary="Lift a legal hold",
)
def lift_hold(
    request: HttpRequest,
    response: HttpResponse,
    payload: HoldLiftIn,
    hold_id: int = pk_path(),
    if_match: str | None = IF_MATCH,
) -> HoldOut:
    user = caller(request)
    version = expected_version(if_match)
    legal_hold_get_for(user, hold_id)
    hold = legal_hold_lift(actor=user, hold_id=hold_id, reason=payload.reason, expected_version=version)
    set_etag(response, hold.version)
    return _out(legal_hold_get_for(user, hold.pk))


@router.get(
    "/records/disposition-runs/{run_id}",
    response=responses({200: DispositionRunOut}, 404),
    summary="Disposition certificate",
    description="The documents of the caller's agency destroyed in one run, with their SHA-256 and size.",
)
def get_run(request: HttpRequest, run_id: int = pk_path()) -> DispositionRunOut:
    run, items = disposition_certificate_for(caller(request), run_id)
    return DispositionRunOut(
        id=run.pk,
        as_of=run.as_of,
        started_at=run.started_at,
        finished_at=run.finished_at,
        certificate=[
            DisposedDocumentOut(
                complaint_ref=i.complaint.ref,
                document_ref=i.document_ref,
                name=i.name,
                sha256=i.sha256,
                size=i.size,
                schedule=i.schedule,
                disposed_at=i.disposed_at,
                bytes_deleted_at=i.bytes_deleted_at,
            )
            for i in items
        ],
    )


@router.get(
    "/records/complaints/{ref}/record.pdf",
    response=responses({}, 404),
    summary="The complaint record as a PDF",
    description=(
        "The whole record of one complaint (details, Information Requests with their responses, research and "
        "communication, alleged violations, closures, related items, documents with SHA-256, history) as a tagged, "
        "accessible PDF (PDF/UA-1), as an attachment. For users of the owning agency; others get 404. "
        "Every download is recorded in the audit trail."
    ),
    openapi_extra={
        "responses": {
            "200": {
                "description": "The record PDF, as an attachment.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def get_record_pdf(request: HttpRequest, ref: str = COMPLAINT_REF) -> HttpResponse:
    pdf = complaint_record_pdf(actor=caller(request), ref=ref)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = attachment_disposition(record_pdf_filename(ref))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
