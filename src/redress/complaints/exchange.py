"""What the Information Request exchange changes on a complaint: the first-send stamp and the
Company POC.

Invariants:
- ``first_ir_sent_at`` is set once, by the first send, and never cleared: it is what makes the
  complaint visible to the company and what locks the subject and referral.
- The Company POC is chosen by the company's Complaints Contact or one of its account
  administrators, among active users of that company with Manage complaints access; a closed or
  canceled complaint refuses the change (``ensure_mutable``). The new POC is notified (N6).
- Every change is audited in its own transaction (or the caller's) and bumps the version.
"""

from __future__ import annotations

from django.db import transaction

from redress.accounts.models import User
from redress.accounts.policy import Actor, actor_for
from redress.audit.services import audit_record, audit_record_security
from redress.companies.constants import ComplaintsAccess
from redress.core import clock
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed
from redress.notifications.services import notify

from . import policy
from .models import Complaint
from .notices import company_complaint_path
from .services import ensure_mutable

INVALID_COMPANY_POC = "invalid_company_poc"


def mark_first_ir_sent(*, complaint: Complaint, actor: User | None) -> bool:
    """Stamp the first send; the caller holds the complaint's row lock. True if this was the first."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("mark_first_ir_sent must run inside the sending transaction")
    if complaint.first_ir_sent_at is not None:
        return False
    complaint.first_ir_sent_at = clock.now()
    complaint.version += 1
    complaint.save(update_fields=["first_ir_sent_at", "version"])
    audit_record(
        actor=actor,
        action="complaint.first_ir_sent",
        target=complaint,
        new={"first_ir_sent_at": complaint.first_ir_sent_at},
        agency_id=complaint.agency_id,
        company_id=complaint.company_id,
    )
    return True


def can_assign_company_poc(actor: Actor, complaint: Complaint) -> bool:
    if not (actor.is_company_user and policy.can_view(actor, complaint)):
        return False
    assert complaint.company is not None  # visible to a company user implies a company subject
    return actor.is_company_admin or complaint.company.complaints_contact_id == actor.user.pk


def company_poc_candidates(complaint: Complaint) -> list[User]:
    """Active users of the complaint's company holding the Manage complaints permission."""
    company_id = complaint.company_id
    if company_id is None:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            company_membership__company_id=company_id,
            company_membership__complaints_access=ComplaintsAccess.MANAGE,
        ).order_by("full_name", "pk")
    )


def company_poc_assign(*, actor: User, ref: str, poc: User, expected_version: int | None) -> Complaint:
    who = actor_for(actor)
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().filter(ref=ref).first()
        if complaint is None or not policy.can_view(who, complaint):
            raise NotFound("No such complaint.")
        if can_assign_company_poc(who, complaint):
            if expected_version is not None and expected_version != complaint.version:
                raise PreconditionFailed(
                    f"Complaint {complaint.ref} changed since you opened it. Reload it and choose again."
                )
            ensure_mutable(complaint)
            eligible = poc.is_active and any(u.pk == poc.pk for u in company_poc_candidates(complaint))
            if not eligible:
                raise ApplicationError(
                    INVALID_COMPANY_POC,
                    "The Company POC must be an active user of this company with the Manage complaints permission.",
                    field="company_poc",
                )
            old = complaint.company_poc
            if old != poc:
                complaint.company_poc = poc
                complaint.version += 1
                complaint.save(update_fields=["company_poc", "version"])
                audit_record(
                    actor=actor,
                    action="complaint.company_poc_assigned",
                    target=complaint,
                    old={"company_poc": old.email if old else None},
                    new={"company_poc": poc.email},
                    agency_id=complaint.agency_id,
                    company_id=complaint.company_id,
                )
                notify(
                    event="complaint.company_poc_assigned",
                    recipients=[poc],
                    subject=f"You are the Company Point of Contact for complaint {complaint.ref}",
                    template="ir_notice",
                    context={
                        "message": (
                            f"You were assigned as the Company Point of Contact for complaint {complaint.ref} "
                            f"from {complaint.agency.name}. Only you can submit the company's responses."
                        ),
                        "details": [("Complaint", complaint.ref)],
                    },
                    link=company_complaint_path(complaint),
                    actor=actor,
                    agency_id=complaint.agency_id,
                    company_id=complaint.company_id,
                    dedupe_key=f"complaint.company_poc_assigned:{complaint.pk}:{complaint.version}",
                )
            return complaint
    audit_record_security(
        actor=actor,
        action="complaint.company_poc_assign.denied",
        target=complaint,
        agency_id=complaint.agency_id,
        company_id=complaint.company_id,
    )
    raise PermissionDenied("Only the Complaints Contact or a company account administrator assigns the Company POC.")
