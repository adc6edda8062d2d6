"""Alleged violations recorded on a complaint.

Invariants:
- A description is required; the citation and jurisdiction are optional.
- Supervisors and Managers of the owning agency add them while the complaint is open (locked
  after closure, like the rest of the intake data).
- A user may delete a violation they added; only the complaint's Agency POC may delete one
  someone else added.
"""

from __future__ import annotations

from django.db import transaction

from redress.accounts.models import User
from redress.audit.services import audit_record, audit_record_security
from redress.core.errors import NotFound, PermissionDenied

from .constants import Jurisdiction
from .models import AllegedViolation, Complaint
from .services import authorize_manage, ensure_mutable
from .validation import FieldErrors


def _complaint(user: User, ref: str, action: str) -> Complaint:
    """Inside the transaction: lock the row and re-check that it can still be written."""
    complaint = Complaint.objects.select_for_update().filter(ref=ref).first()
    if complaint is None:
        raise NotFound("No such complaint.")
    ensure_mutable(complaint)
    return complaint


def violation_add(
    *, actor: User, ref: str, description: str, citation: str = "", jurisdiction: str = ""
) -> AllegedViolation:
    errs = FieldErrors()
    description = (description or "").strip()
    if not description:
        errs.add("description", "Describe the alleged violation.")
    if jurisdiction and jurisdiction not in Jurisdiction.values:
        errs.add("jurisdiction", "Choose Federal or State.")
    if len(citation or "") > 300:
        errs.add("citation", "Keep the citation under 300 characters.")
    errs.raise_if_any()
    authorize_manage(actor, ref, "violation_add")
    with transaction.atomic():
        complaint = _complaint(actor, ref, "violation_add")
        violation = AllegedViolation.objects.create(
            complaint=complaint,
            description=description,
            citation=(citation or "").strip(),
            jurisdiction=jurisdiction or "",
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="complaint.violation_added",
            target=complaint,
            new={"violation": violation.pk, "citation": violation.citation, "description": description},
            agency_id=complaint.agency_id,
            company_id=complaint.company_id,
        )
    return violation


def violation_delete(*, actor: User, ref: str, violation_id: int) -> None:
    denied = False
    authorize_manage(actor, ref, "violation_delete")
    with transaction.atomic():
        complaint = _complaint(actor, ref, "violation_delete")
        violation = AllegedViolation.objects.filter(pk=violation_id, complaint=complaint).first()
        if violation is None:
            raise NotFound("No such alleged violation.")
        if violation.created_by_id != actor.pk and complaint.agency_poc_id != actor.pk:
            denied = True
        else:
            audit_record(
                actor=actor,
                action="complaint.violation_deleted",
                target=complaint,
                old={"violation": violation.pk, "citation": violation.citation, "description": violation.description},
                agency_id=complaint.agency_id,
                company_id=complaint.company_id,
            )
            violation.delete()
    if denied:
        audit_record_security(
            actor=actor, action="complaint.violation_delete.denied", target=complaint, agency_id=complaint.agency_id
        )
        raise PermissionDenied("Only the Agency POC can delete an alleged violation someone else added.")
