"""Who may read a complaint's or a Non-NMLS entity's audit history (found by
``redress.audit.selectors`` autodiscovery).

Rule: agency users who may see the complaint; company users see no audit trail. The trail holds
every earlier value of the complainant's details, so when the owner restricted them it stays with
the owning agency (a granted agency, or one a referral waits with, reads the record without it).
"""

from __future__ import annotations

from typing import Any

from redress.accounts.policy import actor_for
from redress.audit.selectors import register_history_visibility

from . import policy
from .models import Complaint, NonNmlsEntity


def _complaint(reader: Any, target_id: str) -> bool:
    if not (target_id.isdigit() and len(target_id) < 19):
        return False
    actor = actor_for(reader)
    if not actor.is_agency_user:
        return False
    complaint = Complaint.objects.filter(pk=int(target_id)).first()
    if complaint is None or not policy.can_view(actor, complaint):
        return False
    return policy.can_see_complainant(actor, complaint)


def _non_nmls_entity(reader: Any, target_id: str) -> bool:
    """Its creation and discussion posts: every agency's complaints users, like the thread."""
    if not (target_id.isdigit() and len(target_id) < 19) or not policy.is_complaints_user(actor_for(reader)):
        return False
    return NonNmlsEntity.objects.filter(pk=int(target_id)).exists()


register_history_visibility("complaints.complaint", _complaint)
register_history_visibility("complaints.nonnmlsentity", _non_nmls_entity)
