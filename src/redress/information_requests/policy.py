"""Who may do what in the IR exchange. Services and selectors ask only these functions.

Invariants:
- Everything starts from the complaint's own visibility (``complaints.policy.can_view``): an IR
  is never visible to someone who cannot see its complaint.
- Company users see only sent IRs, and never agency-only fields (Quick Look).
- Agency Supervisors and Managers of the owning agency draft, extend, cancel, remind, mark Quick
  Look and send back; sending is the Agency POC's and the Supervisors', and the Managers' only
  where the agency set ``managers_can_send_irs``.
- Any company user with Manage access drafts a response; only the complaint's Company POC
  submits it or asks for a send-back.
"""

from __future__ import annotations

from redress.accounts.policy import Actor
from redress.companies.constants import ComplaintsAccess
from redress.complaints import policy as complaint_policy
from redress.complaints.models import Complaint

from .constants import ResponseStatus
from .models import InformationRequest, IRResponse


def can_view_complaint(actor: Actor, complaint: Complaint) -> bool:
    return complaint_policy.can_view(actor, complaint)


def can_view_ir(actor: Actor, ir: InformationRequest) -> bool:
    if not complaint_policy.can_view(actor, ir.complaint):
        return False
    if actor.is_company_user:
        return ir.sent_at is not None
    return True


def can_manage(actor: Actor, complaint: Complaint) -> bool:
    """Draft IRs, extend, cancel, remind, Quick Look, send back."""
    return complaint_policy.can_manage(actor, complaint)


def can_send(actor: Actor, complaint: Complaint) -> bool:
    if not complaint_policy.can_manage(actor, complaint):
        return False
    if actor.is_supervisor or complaint.agency_poc_id == actor.user.pk:
        return True
    return bool(complaint.agency.managers_can_send_irs)


def can_respond(actor: Actor, complaint: Complaint) -> bool:
    """Draft a response: a company user with Manage access who can see the complaint."""
    return (
        actor.is_company_user
        and actor.complaints_access == ComplaintsAccess.MANAGE
        and complaint_policy.can_view(actor, complaint)
    )


def is_company_poc(actor: Actor, complaint: Complaint) -> bool:
    return can_respond(actor, complaint) and complaint.company_poc_id == actor.user.pk


def can_read_response(actor: Actor, response: IRResponse, complaint: Complaint) -> bool:
    """Agency users read every response; a hidden one only its drafter and the Company POC."""
    if not complaint_policy.can_view(actor, complaint):
        return False
    if actor.is_agency_user:
        return response.status == ResponseStatus.SUBMITTED
    if not response.hidden_from_other_company_users:
        return True
    return actor.user.pk in (response.drafted_by_id, complaint.company_poc_id)
