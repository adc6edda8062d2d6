"""Plumbing shared by the referral and access-request services.

Invariants:
- A refusal for want of rights (``Denied``) rolls the transaction back and is then recorded as a
  security audit event in its own transaction, so the refusal survives and nothing else does.
- A complaint the actor may not read even at basic level answers NotFound, like a missing one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from redress.accounts.models import User
from redress.accounts.policy import Actor
from redress.agencies.constants import ComplaintsRole
from redress.audit.services import audit_record_security
from redress.core.errors import NotFound, PermissionDenied

from . import policy
from .models import Complaint


class Denied(Exception):
    def __init__(self, action: str, complaint: Complaint, message: str) -> None:
        super().__init__(message)
        self.action = action
        self.complaint = complaint
        self.message = message


@contextmanager
def recording_denials(actor: User) -> Iterator[None]:
    """Wrap the service's transaction: a ``Denied`` raised inside becomes an audited 403."""
    try:
        yield
    except Denied as exc:
        audit_record_security(actor=actor, action=exc.action, target=exc.complaint, agency_id=exc.complaint.agency_id)
        raise PermissionDenied(exc.message) from None


def lock_complaint(who: Actor, ref: str, *, basic: bool = False) -> Complaint:
    """Load and lock the complaint. Without ``basic`` the actor must see it in full; with it,
    basic visibility (any agency complaints user) is enough."""
    complaint = Complaint.objects.select_for_update().filter(ref=ref).first()
    visible = complaint is not None and (
        policy.can_view_basic(who, complaint) if basic else policy.can_view(who, complaint)
    )
    if complaint is None or not visible:
        raise NotFound("No such complaint.")
    return complaint


def complaints_users(agency_id: int, roles: tuple[str, ...] | None = None) -> list[User]:
    """Active users of an agency holding a complaints role (optionally only some roles)."""
    qs = User.objects.filter(is_active=True, agency_membership__agency_id=agency_id).exclude(
        agency_membership__complaints_role=""
    )
    if roles is not None:
        qs = qs.filter(agency_membership__complaints_role__in=roles)
    return list(qs.order_by("pk"))


def deciders_of_referrals(agency_id: int) -> list[User]:
    return complaints_users(agency_id, (ComplaintsRole.SUPERVISOR, ComplaintsRole.MANAGER))


def supervisors(agency_id: int) -> list[User]:
    return complaints_users(agency_id, (ComplaintsRole.SUPERVISOR,))
