"""Placing and lifting legal holds.

Invariants:
- Only Supervisors of the agency place or lift its holds; other users of that agency are refused
  (audited as security events), anyone outside the agency gets NotFound, exactly as for a missing hold.
- A hold names its scope: one complaint of the agency, one company (every complaint of this agency
  about it), or the whole agency. A reason is required to place and to lift.
- Lifting keeps the row (who, when, why); a lifted hold never blocks disposition again.
- Every change writes an audit event in the same transaction; holds carry a ``version``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from redress.accounts.policy import actor_for
from redress.agencies.models import Agency
from redress.audit.services import audit_record, audit_record_security
from redress.companies.models import Company
from redress.complaints.models import Complaint
from redress.core import clock
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed

from .constants import HoldScope
from .models import LegalHold

if TYPE_CHECKING:
    from redress.accounts.models import User


def _agency_for_supervisor(actor: User, action: str) -> Agency:
    who = actor_for(actor)
    if not who.is_agency_user or who.agency_id is None:
        raise NotFound()
    if not who.is_supervisor:
        audit_record_security(actor=actor, action=action, reason="not a Supervisor", agency_id=who.agency_id)
        raise PermissionDenied("Only Supervisors may place or lift legal holds.")
    return Agency.objects.get(pk=who.agency_id)


def legal_hold_place(
    *,
    actor: User,
    scope: str,
    reason: str,
    complaint_ref: str = "",
    company_id: int | None = None,
) -> LegalHold:
    agency = _agency_for_supervisor(actor, "records.hold_place_refused")
    reason = (reason or "").strip()
    if scope not in HoldScope.values:
        raise ApplicationError("invalid_scope", "Choose what the hold covers.", field="scope")
    if not reason:
        raise ApplicationError("required", "Enter why the hold is placed.", field="reason")
    complaint: Complaint | None = None
    company: Company | None = None
    if scope == HoldScope.COMPLAINT:
        complaint = Complaint.objects.filter(agency=agency, ref=(complaint_ref or "").strip().upper()).first()
        if complaint is None:
            raise ApplicationError(
                "complaint_not_found", "No complaint of your agency has that ID.", field="complaint_ref"
            )
    elif scope == HoldScope.COMPANY:
        company = Company.objects.filter(pk=company_id).first() if company_id else None
        if company is None:
            raise ApplicationError("company_not_found", "Choose a company.", field="company_id")
    with transaction.atomic():
        hold = LegalHold.objects.create(
            agency=agency, scope=scope, complaint=complaint, company=company, reason=reason, placed_by=actor
        )
        audit_record(
            actor=actor,
            action="records.hold_placed",
            target=hold,
            new={"scope": scope, "target": hold.target_label},
            reason=reason,
            agency_id=agency.pk,
            company_id=company.pk if company else (complaint.company_id if complaint else None),
        )
        return hold


def legal_hold_lift(*, actor: User, hold_id: int, reason: str, expected_version: int | None) -> LegalHold:
    agency = _agency_for_supervisor(actor, "records.hold_lift_refused")
    reason = (reason or "").strip()
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().filter(pk=hold_id, agency=agency).first()
        if hold is None:
            raise NotFound("Legal hold not found.")
        if expected_version is not None and expected_version != hold.version:
            raise PreconditionFailed()
        if hold.lifted_at is not None:
            raise ApplicationError("hold_already_lifted", "This hold was already lifted.")
        if not reason:
            raise ApplicationError("required", "Enter why the hold is lifted.", field="reason")
        hold.lifted_at = clock.now()
        hold.lifted_by = actor
        hold.lift_reason = reason
        hold.version += 1
        hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason", "version"])
        audit_record(
            actor=actor,
            action="records.hold_lifted",
            target=hold,
            old={"active": True},
            new={"active": False},
            reason=reason,
            agency_id=agency.pk,
        )
        return hold
