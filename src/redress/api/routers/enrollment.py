"""Company enrollment (start, remind, pending list) and agency communications (templates, sends)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router
from ninja.params import functions as params

from redress.companies import communications as comms
from redress.companies import enrollment as enroll
from redress.companies.models import CommunicationSend, CommunicationTemplate, EnrollmentInvitation
from redress.companies.selectors import company_get_for
from redress.core.errors import NotFound

from ..concurrency import expected_version, set_etag
from ..errors import responses
from ..idempotency import idempotent
from ..pagination import PageParams, page_response, paginate
from ..schemas.enrollment import (
    EnrollmentIn,
    EnrollmentOut,
    EnrollmentPage,
    SendIn,
    SendOut,
    SendPage,
    SendRecipientOut,
    TemplateIn,
    TemplateOut,
    TemplatePage,
    TemplatePatch,
)
from ._common import IDEMPOTENCY_KEY, IF_MATCH, caller, pk_path

router = Router(tags=["Enrollment and communications"])

REF = params.Path(..., pattern=r"^[A-Za-z0-9-]{1,20}$", description="The public company reference, e.g. CO-000123.")


def _enrollment_out(inv: EnrollmentInvitation) -> EnrollmentOut:
    return EnrollmentOut(
        id=inv.pk,
        company_ref=inv.company.company_ref,
        company_name=inv.company.legal_name,
        agency_code=inv.agency.code,
        user_email=inv.user.email,
        user_full_name=inv.user.full_name,
        invited_by_email=inv.invited_by.email if inv.invited_by else None,
        status=inv.status,
        created_at=inv.created_at,
        expires_at=inv.expires_at,
        accepted_at=inv.accepted_at,
        completed_at=inv.completed_at,
        reminder_count=len(inv.reminders),
        version=inv.version,
    )


@router.get(
    "/companies/{company_ref}/enrollment",
    response=responses({200: EnrollmentOut}, 404),
    summary="The company's latest enrollment invitation (agency users)",
)
def get_company_enrollment(request: HttpRequest, company_ref: str = REF) -> EnrollmentOut:
    user = caller(request)
    invitation = enroll.enrollment_for_company(user, company_get_for(user, company_ref=company_ref))
    if invitation is None:
        raise NotFound("This company has no enrollment invitation.")
    return _enrollment_out(invitation)


@router.post(
    "/companies/{company_ref}/enrollment",
    response=responses({201: EnrollmentOut}, 404, 409),
    summary="Enroll the company's first user (agency Supervisors and Managers)",
)
def start_enrollment(
    request: HttpRequest, payload: EnrollmentIn, company_ref: str = REF, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> HttpResponse:
    user = caller(request)
    company = company_get_for(user, company_ref=company_ref)

    def create() -> tuple[int, Any, dict[str, str]]:
        issued = enroll.enrollment_start(actor=user, company=company, **payload.model_dump())
        location = reverse("api:get_company_enrollment", kwargs={"company_ref": company.company_ref})
        return 201, _enrollment_out(issued.invitation), {"Location": location}

    return idempotent(request, idempotency_key, create)


@router.post(
    "/companies/{company_ref}/enrollment/remind",
    response=responses({200: EnrollmentOut}, 404, 409),
    summary="Email the pending invitee a new enrollment link (the old one stops working)",
)
def remind_enrollment(request: HttpRequest, company_ref: str = REF) -> EnrollmentOut:
    user = caller(request)
    invitation = enroll.enrollment_for_company(user, company_get_for(user, company_ref=company_ref))
    if invitation is None:
        raise NotFound("This company has no enrollment invitation.")
    return _enrollment_out(enroll.enrollment_remind(actor=user, invitation=invitation).invitation)


@router.get(
    "/enrollments", response=responses({200: EnrollmentPage}, 404), summary="My agency's unfinished enrollments"
)
def list_enrollments(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    qs = enroll.enrollment_pending_for(caller(request))
    return page_response(paginate(qs, keys=("-id",), cursor=page.cursor, limit=page.limit), _enrollment_out)


# --- communication templates ----------------------------------------------------------------------


def _template_out(t: CommunicationTemplate) -> TemplateOut:
    return TemplateOut.model_validate(t, from_attributes=True)


@router.get(
    "/communication-templates",
    response=responses({200: TemplatePage}, 404),
    summary="My agency's communication templates",
)
def list_templates(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    user = caller(request)
    comms.communication_templates_ensure_default(agency=comms.communications_agency_for(user))
    qs = comms.communication_templates_for(user)
    return page_response(paginate(qs, keys=("id",), cursor=page.cursor, limit=page.limit), _template_out)


@router.post(
    "/communication-templates",
    response=responses({201: TemplateOut}, 404, 409),
    summary="Add a communication template",
)
def create_template(
    request: HttpRequest, payload: TemplateIn, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> HttpResponse:
    user = caller(request)

    def create() -> tuple[int, Any, dict[str, str]]:
        template = comms.communication_template_create(actor=user, **payload.model_dump())
        location = reverse("api:get_template", kwargs={"template_id": template.pk})
        return 201, _template_out(template), {"Location": location, "ETag": f'"{template.version}"'}

    return idempotent(request, idempotency_key, create)


@router.get(
    "/communication-templates/{template_id}",
    response=responses({200: TemplateOut}, 404),
    summary="One communication template",
)
def get_template(
    request: HttpRequest, response: HttpResponse, template_id: int = pk_path("The template's id.")
) -> TemplateOut:
    template = comms.communication_template_get_for(caller(request), template_id)
    set_etag(response, template.version)
    return _template_out(template)


@router.patch(
    "/communication-templates/{template_id}",
    response=responses({200: TemplateOut}, 404, 409, 412, 428),
    summary="Change a communication template (If-Match required)",
)
def patch_template(
    request: HttpRequest,
    response: HttpResponse,
    payload: TemplatePatch,
    template_id: int = pk_path("The template's id."),
    if_match: str | None = IF_MATCH,
) -> TemplateOut:
    user = caller(request)
    version = expected_version(if_match)
    template = comms.communication_template_get_for(user, template_id)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    template = comms.communication_template_update(actor=user, template=template, expected_version=version, **changes)
    set_etag(response, template.version)
    return _template_out(template)


@router.delete(
    "/communication-templates/{template_id}",
    response=responses({204: None}, 404),
    summary="Delete a communication template (past sends keep their copy)",
)
def delete_template(request: HttpRequest, template_id: int = pk_path("The template's id.")) -> tuple[int, None]:
    user = caller(request)
    comms.communication_template_delete(actor=user, template=comms.communication_template_get_for(user, template_id))
    return 204, None


# --- sends ------------------------------------------------------------------------------------------


def _send_out(s: CommunicationSend) -> SendOut:
    return SendOut(
        id=s.pk,
        template_id=s.template_id,
        template_name=s.template_name,
        subject=s.subject,
        body=s.body,
        filters=s.filters,
        sent_by_email=s.sent_by.email if s.sent_by else None,
        sent_at=s.sent_at,
        company_count=s.company_count,
        email_count=s.email_count,
        recipients=[
            SendRecipientOut(
                company_ref=str(r.get("company_ref", "")),
                legal_name=str(r.get("legal_name", "")),
                emails=list(r.get("emails", [])),
                outbox_ids=list(r.get("outbox_ids", [])),
            )
            for r in s.recipients
        ],
    )


@router.get("/communication-sends", response=responses({200: SendPage}, 404), summary="My agency's send history")
def list_sends(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    qs = comms.communication_sends_for(caller(request))
    return page_response(paginate(qs, keys=("-id",), cursor=page.cursor, limit=page.limit), _send_out)


@router.post(
    "/communication-sends",
    response=responses({201: SendOut}, 404),
    summary="Send a template to supervised companies (all, by business type, by licence, or a list)",
)
def create_send(request: HttpRequest, payload: SendIn, idempotency_key: str | None = IDEMPOTENCY_KEY) -> HttpResponse:
    user = caller(request)

    def create() -> tuple[int, Any, dict[str, str]]:
        template = comms.communication_template_get_for(user, payload.template_id)
        ids = comms.company_ids_for_refs(payload.company_refs) if payload.mode == "list" else []
        send = comms.communication_send(
            actor=user, template=template, mode=payload.mode, business_type=payload.business_type, company_ids=ids
        )
        location = reverse("api:get_send", kwargs={"send_id": send.pk})
        return 201, _send_out(send), {"Location": location}

    return idempotent(request, idempotency_key, create)


@router.get("/communication-sends/{send_id}", response=responses({200: SendOut}, 404), summary="One send")
def get_send(request: HttpRequest, send_id: int = pk_path("The send's id.")) -> SendOut:
    return _send_out(comms.communication_send_get_for(caller(request), send_id))
