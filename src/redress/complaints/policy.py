"""Who may see and act on a complaint. Selectors and services ask only these functions.

Invariants:
- Only users of the owning agency see a complaint in full (referrals and access grants extend
  this when they exist); a company user sees only its own company's complaints, and only once
  the first Information Request has been sent; system administrators see none.
- Only Supervisors and Managers of the owning agency change a complaint (Viewers read only).
"""

from __future__ import annotations

from redress.accounts.policy import Actor

from .models import Complaint


def can_view(actor: Actor, complaint: Complaint) -> bool:
    if actor.is_agency_user:
        return actor.agency_id == complaint.agency_id
    if actor.is_company_user:
        return (
            complaint.company_id is not None
            and actor.company_id == complaint.company_id
            and complaint.first_ir_sent_at is not None
            and actor.complaints_access in ("view", "manage")
        )
    return False


def can_manage(actor: Actor, complaint: Complaint) -> bool:
    return actor.can_manage_complaints and actor.agency_id == complaint.agency_id


def can_create_in_agency(actor: Actor, agency_id: int) -> bool:
    return actor.can_manage_complaints and actor.agency_id == agency_id
