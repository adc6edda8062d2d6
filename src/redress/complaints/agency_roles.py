"""What a complaints role change means for the complaints a user holds.

Invariants:
- Only Complaint Supervisors and Managers can be a complaint's Agency POC. A user who is the Agency
  POC of open complaints keeps a role that can hold them: a change to Viewer or to no complaints
  role is refused, with the number of complaints to reassign first, and changes nothing.
- Deactivating such a user is not refused here: an account must be closable at once when someone
  leaves; their complaints stay on the Complaints list's Agency POC filter for reassignment.
"""

from __future__ import annotations

from redress.agencies.constants import ComplaintsRole
from redress.agencies.models import AgencyMembership
from redress.core.errors import ApplicationError, Conflict

from .constants import OPEN_STATUSES
from .models import Complaint

POC_ROLES = (ComplaintsRole.SUPERVISOR, ComplaintsRole.MANAGER)
POC_HAS_OPEN_COMPLAINTS = "agency_poc_has_open_complaints"


def open_complaints_as_poc(*, agency_id: int, user_id: int) -> int:
    """How many open complaints of the agency the user is the Agency POC of (a count, never the
    complaints: the agency's account administrators see it whatever their own role)."""
    return Complaint.objects.filter(agency_id=agency_id, agency_poc_id=user_id, status__in=OPEN_STATUSES).count()


def refuse_role_without_poc_duties(membership: AgencyMembership, new_role: str) -> ApplicationError | None:
    if new_role in POC_ROLES:
        return None
    count = open_complaints_as_poc(agency_id=membership.agency_id, user_id=membership.user_id)
    if not count:
        return None
    name = membership.user.full_name or membership.user.email
    plural = "s" if count != 1 else ""
    return Conflict(
        POC_HAS_OPEN_COMPLAINTS,
        f"{name} is the Agency POC of {count} open complaint{plural}. Assign {'them' if plural else 'it'} to "
        "another Complaint Supervisor or Manager first (the Complaints list filters by Agency POC).",
        field="complaints_role",
        open_complaints=count,
    )
