"""Company side of the IR exchange: drafting a response, sending it to the Company POC,
submitting it, and asking the agency for a send-back.

Invariants:
- Only company users of the complaint's company with Manage access, on a complaint they can see,
  touch responses; only sent IRs exist for them (anything else answers NotFound).
- Only the complaint's Company POC submits or asks for a send-back; a response waiting for the
  POC's review can be edited by the POC alone, and a response hidden from other company users
  can be read or edited only by its drafter and the POC.
- After submission the company cannot change the response until the agency sends it back.
- ``complaints.services.ensure_mutable`` guards every write (closure ends send-back requests).
- Every status change consults the one table ``constants.TRANSITIONS``; each call is one
  transaction with its audit events and notices; refusals change nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.audit.services import audit_record
from redress.complaints.notices import company_complaint_path
from redress.complaints.services import ensure_mutable
from redress.core import clock
from redress.core.errors import ApplicationError, PermissionDenied
from redress.notifications.services import notify

from . import errors, notices, policy
from ._common import check_version, clean_text, deny, locked_ir, save, transition
from .constants import IRAction, IRStatus, RequestOutcome, ResponseStatus, SendBackKind
from .models import InformationRequest, IRResponse, SendBack

_RESPOND_DENIED = "Only company users with the Manage complaints permission can work on responses."
_POC_ONLY = "Only the Company Point of Contact for this complaint can do that."


def _audit(actor: User, action: str, ir: InformationRequest, **kwargs: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=ir,
        agency_id=ir.complaint.agency_id,
        company_id=ir.complaint.company_id,
        **kwargs,
    )


def _current(ir: InformationRequest) -> IRResponse | None:
    return ir.responses.select_for_update().filter(round=ir.round).first()


def _no_comment(ir: InformationRequest) -> None:
    if ir.is_comment_only:
        raise ApplicationError(errors.COMMENT_ONLY, f"{ir.ref} is a comment from the agency; it takes no response.")


def response_save_draft(
    *, actor: User, ir_ref: str, text: str, hidden: bool | None = None, expected_version: int | None
) -> IRResponse:
    """Save the company's draft for the current round (any user with Manage access)."""
    who = actor_for(actor)
    with transaction.atomic():
        ir = locked_ir(who, ir_ref)
        complaint = ir.complaint
        if policy.can_respond(who, complaint):
            check_version(ir, expected_version)
            ensure_mutable(complaint)
            _no_comment(ir)
            target = transition(ir, IRAction.COMPANY_DRAFT)
            is_poc = complaint.company_poc_id == actor.pk
            if ir.status == IRStatus.IN_COMPANY_REVIEW and not is_poc:
                raise PermissionDenied("This response is with the Company POC for review; only they can edit it now.")
            response = _current(ir)
            if (
                response is not None
                and response.hidden_from_other_company_users
                and actor.pk not in (response.drafted_by_id, complaint.company_poc_id)
            ):
                raise PermissionDenied("This draft is restricted to its author and the Company POC.")
            body = clean_text(text, "text", "response", required=False)
            now = clock.now()
            if response is None:
                response = IRResponse.objects.create(
                    information_request=ir,
                    round=ir.round,
                    text=body,
                    hidden_from_other_company_users=bool(hidden),
                    drafted_by=actor,
                    last_edited_by=actor,
                    created_at=now,
                    updated_at=now,
                )
            else:
                response.text = body
                if hidden is not None:
                    response.hidden_from_other_company_users = hidden
                response.last_edited_by, response.updated_at = actor, now
                response.version += 1
                response.save()
            old_status = ir.status
            if ir.status != target:
                ir.status = target
            save(ir, ["status"])
            _audit(
                actor,
                "ir.response_drafted",
                ir,
                old={"status": old_status},
                new={"status": target, "round": ir.round, "hidden": response.hidden_from_other_company_users},
            )
            return response
    deny(actor, "ir.response_draft", complaint, _RESPOND_DENIED, ir)


def response_send_to_poc(*, actor: User, ir_ref: str, expected_version: int | None) -> IRResponse:
    """Pass the draft to the Company POC; it then leaves the drafter's list."""
    who = actor_for(actor)
    with transaction.atomic():
        ir = locked_ir(who, ir_ref)
        complaint = ir.complaint
        if policy.can_respond(who, complaint):
            check_version(ir, expected_version)
            ensure_mutable(complaint)
            target = transition(ir, IRAction.SEND_TO_POC)
            response = _current(ir)
            if response is None or not response.text:
                raise ApplicationError(errors.REQUIRED, "Write the response before sending it to the Company POC.")
            if response.hidden_from_other_company_users and actor.pk not in (
                response.drafted_by_id,
                complaint.company_poc_id,
            ):
                raise PermissionDenied("This draft is restricted to its author and the Company POC.")
            response.status = ResponseStatus.IN_REVIEW
            response.version += 1
            response.save(update_fields=["status", "version"])
            old_status, ir.status = ir.status, target
            save(ir, ["status"])
            _audit(actor, "ir.response_sent_to_poc", ir, old={"status": old_status}, new={"status": target})
            if complaint.company_poc is not None:
                notify(
                    event="ir.response_for_review",
                    recipients=[complaint.company_poc],
                    subject=f"Response to review: {ir.ref} on complaint {complaint.ref}",
                    template=notices.TEMPLATE,
                    context={
                        "message": (
                            f"{actor.get_full_name()} sent you a draft response to {ir.ref} to review and submit."
                        ),
                        "details": [("Complaint", complaint.ref), (ir.ref, ir.title)],
                    },
                    link=company_complaint_path(complaint),
                    actor=actor,
                    agency_id=complaint.agency_id,
                    company_id=complaint.company_id,
                    dedupe_key=f"ir.response_for_review:{ir.pk}:{ir.version}",
                )
            return response
    deny(actor, "ir.response_send_to_poc", complaint, _RESPOND_DENIED, ir)


def response_submit(*, actor: User, ir_ref: str, text: str | None = None, expected_version: int | None) -> IRResponse:
    """The Company POC submits the current round's response to the agency (N11)."""
    who = actor_for(actor)
    with transaction.atomic():
        ir = locked_ir(who, ir_ref)
        complaint = ir.complaint
        if policy.is_company_poc(who, complaint):
            check_version(ir, expected_version)
            ensure_mutable(complaint)
            _no_comment(ir)
            old_status = ir.status
            target = transition(ir, IRAction.SUBMIT)
            response = _current(ir)
            now = clock.now()
            if response is None:
                response = IRResponse(information_request=ir, round=ir.round, drafted_by=actor, created_at=now)
            if text is not None:
                response.text = clean_text(text, "text", "response", required=False)
            if not response.text:
                raise ApplicationError(errors.REQUIRED, "Write the response before submitting it.", field="text")
            response.status = ResponseStatus.SUBMITTED
            response.last_edited_by, response.updated_at = actor, now
            response.submitted_by, response.submitted_at = actor, now
            response.submitted_on = clock.today()
            response.due_date_at_submission = ir.due_date
            if response.pk is not None:
                response.version += 1
            response.save()
            ir.status, ir.response_received_at = target, now
            save(ir, ["status", "response_received_at"])
            _audit(
                actor,
                "ir.response_submitted",
                ir,
                old={"status": old_status},
                new={"status": target, "round": ir.round, "timely": response.is_timely},
            )
            notices.submitted(ir=ir, actor=actor)
            return response
    deny(actor, "ir.response_submit", complaint, _POC_ONLY, ir)


def ir_request_send_back(*, actor: User, ir_ref: str, reason: str, expected_version: int | None) -> SendBack:
    """The Company POC asks the agency to return a submitted response (N13, reason quoted)."""
    who = actor_for(actor)
    with transaction.atomic():
        ir = locked_ir(who, ir_ref)
        complaint = ir.complaint
        if policy.is_company_poc(who, complaint):
            check_version(ir, expected_version)
            ensure_mutable(complaint)
            old_status = ir.status
            target = transition(ir, IRAction.REQUEST_SEND_BACK)
            why = clean_text(reason, "reason", "reason for the request")
            request = SendBack.objects.create(
                information_request=ir,
                round=ir.round,
                kind=SendBackKind.COMPANY_REQUEST,
                text=why,
                outcome=RequestOutcome.PENDING,
                created_by=actor,
            )
            ir.status = target
            save(ir, ["status"])
            _audit(actor, "ir.send_back_requested", ir, old={"status": old_status}, new={"status": target}, reason=why)
            notices.send_back_requested(ir=ir, reason=why, actor=actor)
            return request
    deny(actor, "ir.request_send_back", complaint, _POC_ONLY, ir)
