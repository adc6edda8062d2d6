"""Access requests between agencies: view-only sharing of a complaint (spec 7.2).

Invariants:
- Any complaints user of another agency may ask for access to a complaint it can see at basic
  level; an agency user without a complaints role, a company user or a system administrator
  cannot (NotFound, as for a missing complaint). The owning agency never asks for its own.
- A request is refused while the complaint waits for a referral decision, on a canceled
  complaint, and while the same agency already has a request pending or a grant in force (the
  database allows at most one pending-or-granted row per complaint and agency).
- Only a Complaint Supervisor of the owning agency accepts, rejects or removes; anyone else who
  can read the complaint is refused (a security audit event records it).
- A grant lets every complaints user of the grantee agency read the full record and every
  document, read-only and without restricted complainant details (``policy``); it never expires;
  removing it drops the agency back to the basic view. Decided rows stay as the Access History.
- Every step writes an audit event on the complaint in the same transaction and notifies the other
  agency (N18-N20); canceling the complaint cancels pending requests and tells each requester (N21),
  while grants in force stay (their holders keep detail access).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.audit.services import audit_record
from redress.core import clock
from redress.core.errors import ApplicationError, Conflict, NotFound

from . import errors, policy, sharing_notices
from .constants import AccessStatus, Status
from .models import AccessGrant, Complaint
from .sharing_common import Denied, lock_complaint, recording_denials

MAX_COMMENT = 10_000


def _comment(value: str) -> str:
    text = (value or "").strip()
    if len(text) > MAX_COMMENT:
        raise ApplicationError("validation_error", "Keep the comment under 10,000 characters.", field="comment")
    return text


def _audit(actor: User, complaint: Complaint, action: str, grant: AccessGrant, **values: object) -> None:
    audit_record(
        actor=actor,
        action=f"complaint.{action}",
        target=complaint,
        new={"grantee_agency": grant.grantee_agency.code, **values},
        agency_id=complaint.agency_id,
        company_id=complaint.company_id,
    )


def access_request(*, actor: User, ref: str, comment: str = "") -> AccessGrant:
    """Ask the owning agency for read-only access to its complaint."""
    who = actor_for(actor)
    text = _comment(comment)
    with transaction.atomic():
        complaint = lock_complaint(who, ref, basic=True)
        if complaint.agency_id == who.agency_id:
            raise Conflict(errors.ACCESS_OWN_AGENCY, f"Complaint {complaint.ref} belongs to your agency already.")
        if not policy.can_request_access(who, complaint) or who.agency_id is None:
            raise NotFound("No such complaint.")
        if complaint.status == Status.REFERRAL_IN_PROGRESS:
            raise Conflict(
                errors.ACCESS_DURING_REFERRAL,
                f"Complaint {complaint.ref} is being referred to another agency; access cannot be requested "
                "until the referral is decided.",
            )
        if complaint.status == Status.CANCELED:
            raise ApplicationError(
                errors.COMPLAINT_LOCKED, f"Complaint {complaint.ref} is canceled; nothing more can be done on it."
            )
        existing = AccessGrant.objects.filter(
            complaint=complaint,
            grantee_agency_id=who.agency_id,
            status__in=(AccessStatus.PENDING, AccessStatus.GRANTED),
        ).first()
        if existing is not None:
            raise Conflict(
                errors.ACCESS_ALREADY_REQUESTED,
                f"Your agency already has {_what(existing)} {complaint.ref}.",
            )
        try:
            with transaction.atomic():
                grant = AccessGrant.objects.create(
                    complaint=complaint, grantee_agency_id=who.agency_id, requested_by=actor, request_comment=text
                )
        except IntegrityError as exc:  # a colleague's request won the race
            raise Conflict(
                errors.ACCESS_ALREADY_REQUESTED, f"Your agency already has a pending request for {complaint.ref}."
            ) from exc
        grant = AccessGrant.objects.select_related("grantee_agency", "requested_by").get(pk=grant.pk)
        grant.complaint = complaint
        _audit(actor, complaint, "access_requested", grant, comment=text)
        sharing_notices.access_requested(grant=grant, actor=actor)
        return grant


def _what(grant: AccessGrant) -> str:
    return "access to" if grant.status == AccessStatus.GRANTED else "a pending request for"


def _lock_grant(complaint: Complaint, grant_id: int) -> AccessGrant:
    grant = (
        AccessGrant.objects.select_for_update()
        .select_related("grantee_agency", "requested_by")
        .filter(pk=grant_id, complaint=complaint)
        .first()
    )
    if grant is None:
        raise NotFound("No such access request.")
    grant.complaint = complaint
    return grant


def _decider(who_actor: User, ref: str, grant_id: int, action: str) -> tuple[Complaint, AccessGrant]:
    who = actor_for(who_actor)
    complaint = lock_complaint(who, ref)
    grant = _lock_grant(complaint, grant_id)
    if not policy.can_decide_access(who, complaint):
        raise Denied(
            f"complaint.{action}.denied",
            complaint,
            "Only Complaint Supervisors of the owning agency can decide or remove access.",
        )
    if complaint.status == Status.CANCELED:
        raise ApplicationError(
            errors.COMPLAINT_LOCKED, f"Complaint {complaint.ref} is canceled; nothing more can be done on it."
        )
    return complaint, grant


def _decide(*, actor: User, ref: str, grant_id: int, comment: str, status: str) -> AccessGrant:
    text = _comment(comment)
    action = "access_grant" if status == AccessStatus.GRANTED else "access_reject"
    with recording_denials(actor), transaction.atomic():
        complaint, grant = _decider(actor, ref, grant_id, action)
        if grant.status != AccessStatus.PENDING:
            raise Conflict(errors.ACCESS_NOT_PENDING, f"This request was already {grant.get_status_display().lower()}.")
        grant.status = status
        grant.decided_by = actor
        grant.decided_at = clock.now()
        grant.decision_comment = text
        grant.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        _audit(actor, complaint, f"access_{status}", grant, comment=text)
        sharing_notices.access_decided(grant=grant, actor=actor)
        return grant


def access_accept(*, actor: User, ref: str, grant_id: int, comment: str = "") -> AccessGrant:
    """Grant the requesting agency read-only detail access (no expiry)."""
    return _decide(actor=actor, ref=ref, grant_id=grant_id, comment=comment, status=AccessStatus.GRANTED)


def access_reject(*, actor: User, ref: str, grant_id: int, comment: str = "") -> AccessGrant:
    return _decide(actor=actor, ref=ref, grant_id=grant_id, comment=comment, status=AccessStatus.REJECTED)


def access_remove(*, actor: User, ref: str, grant_id: int, comment: str = "") -> AccessGrant:
    """End a grant: the agency drops back to the basic view."""
    text = _comment(comment)
    with recording_denials(actor), transaction.atomic():
        complaint, grant = _decider(actor, ref, grant_id, "access_remove")
        if grant.status != AccessStatus.GRANTED:
            raise Conflict(errors.ACCESS_NOT_GRANTED, "Only access that was granted can be removed.")
        grant.status = AccessStatus.REMOVED
        grant.removed_by = actor
        grant.removed_at = clock.now()
        grant.removal_comment = text
        grant.save(update_fields=["status", "removed_by", "removed_at", "removal_comment"])
        _audit(actor, complaint, "access_removed", grant, comment=text)
        sharing_notices.access_removed(grant=grant, actor=actor)
        return grant


def access_cancel_for_complaint(*, complaint: Complaint, actor: User) -> int:
    """Inside ``complaint_cancel``'s transaction: cancel pending requests and tell each requester.
    Grants in force stay: users with detail access keep it."""
    count = 0
    for grant in (
        AccessGrant.objects.select_for_update()
        .select_related("grantee_agency", "requested_by")
        .filter(complaint=complaint, status=AccessStatus.PENDING)
        .order_by("pk")
    ):
        grant.complaint = complaint
        grant.status = AccessStatus.CANCELED
        grant.decided_by = actor
        grant.decided_at = clock.now()
        grant.save(update_fields=["status", "decided_by", "decided_at"])
        _audit(actor, complaint, "access_canceled", grant)
        sharing_notices.access_canceled(grant=grant, actor=actor)
        count += 1
    return count
