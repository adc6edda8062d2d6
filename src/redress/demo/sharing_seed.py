"""Demo referrals and access requests between the two demo agencies, made through the services.

Invariants:
- Every referral, decision and access request goes through ``complaints.referrals`` and
  ``complaints.access``, so the demo obeys their rules and leaves their audit trail and notices.
- Idempotent: once any referral or access request exists between the two agencies, nothing more
  is created.
- Deterministic: complaints are taken in reference order. Referrals use open complaints that no
  IR has reached (the only ones that can be referred); access requests use complaints with IRs.
"""

from __future__ import annotations

from django.db.models import Q

from redress.accounts.models import User
from redress.agencies.constants import ComplaintsRole
from redress.agencies.models import Agency
from redress.complaints import access, referrals
from redress.complaints.constants import Status
from redress.complaints.models import AccessGrant, Complaint, Referral


def _member(agency: Agency, role: str) -> User:
    return User.objects.filter(
        is_active=True, agency_membership__agency=agency, agency_membership__complaints_role=role
    ).order_by("pk")[0]


def seed_sharing(*, owner: Agency, other: Agency) -> int:
    """A pending and an accepted referral from ``owner`` to ``other``; a granted and a pending
    access request from ``other``. Returns how many referrals and requests were made."""
    between = Q(from_agency__in=[owner, other]) | Q(to_agency__in=[owner, other])
    if Referral.objects.filter(between).exists() or AccessGrant.objects.filter(grantee_agency=other).exists():
        return 0
    owner_supervisor = _member(owner, ComplaintsRole.SUPERVISOR)
    other_supervisor = _member(other, ComplaintsRole.SUPERVISOR)
    other_manager = _member(other, ComplaintsRole.MANAGER)
    mine = Complaint.objects.filter(agency=owner).order_by("ref")
    referable = list(mine.filter(status=Status.OPEN, first_ir_sent_at__isnull=True)[:2])
    exchanged = list(mine.filter(status=Status.OPEN, first_ir_sent_at__isnull=False)[:2])
    made = 0
    for number, complaint in enumerate(referable):
        referrals.referral_create(
            actor=owner_supervisor,
            ref=complaint.ref,
            to_agency_id=other.pk,
            comment="The consumer lives in your state and the lender is licensed there.",
        )
        if number == 1:
            referrals.referral_accept(
                actor=other_supervisor, ref=complaint.ref, comment="Accepted: we supervise this branch."
            )
        made += 1
    for number, complaint in enumerate(exchanged):
        grant = access.access_request(
            actor=other_manager,
            ref=complaint.ref,
            comment="We are examining this company and would like to see how it answered.",
        )
        if number == 0:
            access.access_accept(
                actor=owner_supervisor, ref=complaint.ref, grant_id=grant.pk, comment="Granted for the examination."
            )
        made += 1
    return made
