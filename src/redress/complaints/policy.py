"""Who may see and act on a complaint. Selectors and services ask only these functions.

Invariants:
- Only agency users with a complaints role take part in complaints at all; an agency user without
  one (system roles only) sees nothing, not even the basic list, and cannot request access.
- Users of the owning agency see a complaint in full. Users of another agency see it in full
  (read-only) only while their agency holds a granted access request, or while a referral to their
  agency waits for its decision; everyone else of another agency sees only its basic information.
- Restricted complainant details (``restrict_complainant``) are the owning agency's alone: a
  grantee or a receiving agency before it accepts sees the record without them.
- A company user sees only its own company's complaints, and only once the first Information
  Request has been sent; system administrators see none.
- Only Supervisors and Managers of the owning agency change a complaint (Viewers read only, and a
  granted agency never changes anything).
"""

from __future__ import annotations

from redress.accounts.policy import Actor

from .constants import AccessStatus, ReferralStatus
from .models import AccessGrant, Complaint, Referral


def is_complaints_user(actor: Actor) -> bool:
    """An agency user holding a complaints role (Supervisor, Manager or Viewer)."""
    return actor.has_complaints_role and actor.agency_id is not None


def is_owner(actor: Actor, complaint: Complaint) -> bool:
    return is_complaints_user(actor) and actor.agency_id == complaint.agency_id


def has_granted_access(actor: Actor, complaint: Complaint) -> bool:
    return (
        is_complaints_user(actor)
        and AccessGrant.objects.filter(
            complaint_id=complaint.pk, grantee_agency_id=actor.agency_id, status=AccessStatus.GRANTED
        ).exists()
    )


def is_referral_receiver(actor: Actor, complaint: Complaint) -> bool:
    """The agency a pending referral of this complaint was sent to."""
    return (
        is_complaints_user(actor)
        and Referral.objects.filter(
            complaint_id=complaint.pk, to_agency_id=actor.agency_id, status=ReferralStatus.PENDING
        ).exists()
    )


def can_view(actor: Actor, complaint: Complaint) -> bool:
    """The full record (read-only unless ``can_manage``)."""
    if actor.is_agency_user:
        if not is_complaints_user(actor):
            return False
        if actor.agency_id == complaint.agency_id:
            return True
        return has_granted_access(actor, complaint) or is_referral_receiver(actor, complaint)
    if actor.is_company_user:
        return (
            complaint.company_id is not None
            and actor.company_id == complaint.company_id
            and complaint.first_ir_sent_at is not None
            and actor.complaints_access in ("view", "manage")
        )
    return False


def can_view_basic(actor: Actor, complaint: Complaint) -> bool:
    """Basic information (Complaint ID, owning agency, subject, status, dates) of any agency's
    complaint: every agency complaints user."""
    return is_complaints_user(actor)


def can_see_complainant(actor: Actor, complaint: Complaint) -> bool:
    """The complainant's details, for a reader who may already view the complaint: hidden from
    everyone but the owning agency when the owner restricted them. Asks no query."""
    if not complaint.restrict_complainant:
        return True
    return is_owner(actor, complaint)


def can_manage(actor: Actor, complaint: Complaint) -> bool:
    return actor.can_manage_complaints and actor.agency_id == complaint.agency_id


def can_create_in_agency(actor: Actor, agency_id: int) -> bool:
    return actor.can_manage_complaints and actor.agency_id == agency_id


# --- sharing between agencies -----------------------------------------------------------------


def can_refer(actor: Actor, complaint: Complaint) -> bool:
    """Supervisors and Managers of the owning agency (the state and IR rules are the service's)."""
    return can_manage(actor, complaint)


def can_decide_referral(actor: Actor, referral: Referral) -> bool:
    """Any Supervisor or Manager of the receiving agency."""
    return actor.can_manage_complaints and actor.agency_id == referral.to_agency_id


def can_request_access(actor: Actor, complaint: Complaint) -> bool:
    """Any complaints user of another agency (SA-only users and companies cannot)."""
    return is_complaints_user(actor) and actor.agency_id != complaint.agency_id


def can_decide_access(actor: Actor, complaint: Complaint) -> bool:
    """Accept, reject or remove access: Supervisors of the owning agency only (not Managers)."""
    return actor.is_supervisor and actor.agency_id == complaint.agency_id
