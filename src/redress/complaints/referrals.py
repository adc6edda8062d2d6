"""Referring a complaint to another agency (spec 2.2 T5-T7, 7.1).

Invariants:
- Only Supervisors and Managers of the owning agency refer or withdraw; any Supervisor or Manager
  of the receiving agency accepts or rejects. Viewers, grantees and everyone else are refused (a
  complaint they cannot read answers NotFound).
- A complaint is referred only while OPEN, only if no Information Request was ever sent to the
  company (``first_ir_sent_at`` is None), and only to another active agency that has active
  complaints users. Every status change goes through the one transition table.
- A complaint is REFERRAL_IN_PROGRESS exactly while one referral of it is PENDING; the database
  allows at most one pending referral per complaint.
- Accepting moves ownership in one transaction: the complaint's agency, its Agency POC (the
  accepting user, reassignable as usual) and the complaint's own documents go to the receiving
  agency, and the complaint is OPEN. The accepted referral stays as the "referred from" link. The
  referring agency keeps no access; an access grant the new owner held becomes pointless and is
  closed. The referring agency's categories come off the complaint (the audit event keeps their
  names): a complaint carries only its owner's categories. Grants to third agencies stay, now decided by the new owner.
- Rejecting (with a comment) or withdrawing returns the complaint OPEN to the referring agency.
- Every step writes an audit event on the complaint in the same transaction and notifies the
  other agency (N16, N17); canceling the complaint cancels its pending referral (N21).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.agencies.models import Agency, AgencyMembership
from redress.audit.services import audit_record
from redress.core import clock
from redress.core.errors import ApplicationError, Conflict, PreconditionFailed
from redress.documents.transfer import documents_transfer_agency

from . import errors, policy, sharing_notices
from .categories import complaint_release_categories
from .constants import TRANSITIONS, AccessStatus, Action, ReferralStatus, Status
from .models import AccessGrant, Complaint, Referral
from .sharing_common import Denied, lock_complaint, recording_denials

MAX_COMMENT = 10_000


def _comment(value: str, *, required: bool, what: str) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ApplicationError(errors.REQUIRED, f"Enter a comment explaining why you {what}.", field="comment")
    if len(text) > MAX_COMMENT:
        raise ApplicationError("validation_error", "Keep the comment under 10,000 characters.", field="comment")
    return text


def _target(complaint: Complaint, action: str) -> str:
    target = TRANSITIONS.get((action, complaint.status))
    if target is None:
        if action == Action.REFER:
            detail = (
                f"Only an open complaint can be referred; {complaint.ref} is {complaint.get_status_display().lower()}."
            )
        else:
            detail = f"Complaint {complaint.ref} has no referral waiting for a decision."
        raise ApplicationError(errors.INVALID_TRANSITION, detail)
    return target


def _check_version(complaint: Complaint, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != complaint.version:
        raise PreconditionFailed(
            f"Complaint {complaint.ref} was changed by someone else since you opened it. Reload it and try again."
        )


def _save(complaint: Complaint, fields: list[str]) -> None:
    complaint.version += 1
    complaint.save(update_fields=[*fields, "version"])


def _pending(complaint: Complaint) -> Referral:
    referral = (
        Referral.objects.select_for_update()
        .select_related("from_agency", "to_agency", "complaint")
        .filter(complaint=complaint, status=ReferralStatus.PENDING)
        .first()
    )
    if referral is None:
        raise Conflict(errors.NO_PENDING_REFERRAL, f"Complaint {complaint.ref} has no referral waiting for a decision.")
    referral.complaint = complaint  # the locked instance, so what is changed below is what notices read
    return referral


def referral_targets() -> list[Agency]:
    """Agencies a complaint can be referred to: active, with at least one active complaints user."""
    with_users = AgencyMembership.objects.filter(user__is_active=True).exclude(complaints_role="").values("agency_id")
    return list(Agency.objects.filter(is_active=True, pk__in=with_users).order_by("name"))


def _valid_target(complaint: Complaint, to_agency_id: int | None) -> Agency:
    agency = next((a for a in referral_targets() if a.pk == to_agency_id), None)
    if agency is None or agency.pk == complaint.agency_id:
        raise ApplicationError(
            errors.REFERRAL_TARGET_INVALID,
            "Choose another agency that is active and has complaints users.",
            field="to_agency",
        )
    return agency


def referral_create(
    *, actor: User, ref: str, to_agency_id: int | None, comment: str = "", expected_version: int | None = None
) -> Referral:
    """Refer an open complaint, before any IR was sent, to another agency: REFERRAL_IN_PROGRESS."""
    who = actor_for(actor)
    text = _comment(comment, required=False, what="refer it")
    with recording_denials(actor), transaction.atomic():
        complaint = lock_complaint(who, ref)
        if not policy.can_refer(who, complaint):
            raise Denied(
                "complaint.refer.denied",
                complaint,
                "Only Complaint Supervisors and Managers of the owning agency can refer a complaint.",
            )
        _check_version(complaint, expected_version)
        if complaint.first_ir_sent_at is not None:
            raise ApplicationError(
                errors.REFERRAL_AFTER_IR,
                f"An Information Request was already sent on {complaint.ref}, so it can no longer be referred. "
                "Close it with the reason Referred to other State Agency instead.",
            )
        target = _target(complaint, Action.REFER)
        agency = _valid_target(complaint, to_agency_id)
        referral = Referral.objects.create(
            complaint=complaint,
            from_agency_id=complaint.agency_id,
            to_agency=agency,
            referred_by=actor,
            comment=text,
        )
        old = complaint.status
        complaint.status = target
        _save(complaint, ["status"])
        audit_record(
            actor=actor,
            action="complaint.referred",
            target=complaint,
            old={"status": old},
            new={"status": target, "to_agency": agency.code, "comment": text},
            agency_id=complaint.agency_id,
            company_id=complaint.company_id,
        )
        sharing_notices.referral_sent(referral=referral, actor=actor)
        return referral


def referral_withdraw(*, actor: User, ref: str, comment: str = "", expected_version: int | None = None) -> Referral:
    """The referring agency takes its pending referral back: the complaint is OPEN again."""
    who = actor_for(actor)
    text = _comment(comment, required=False, what="withdraw it")
    with recording_denials(actor), transaction.atomic():
        complaint = lock_complaint(who, ref)
        if not policy.can_refer(who, complaint):
            raise Denied(
                "complaint.referral_withdraw.denied",
                complaint,
                "Only Complaint Supervisors and Managers of the referring agency can withdraw a referral.",
            )
        _check_version(complaint, expected_version)
        referral = _pending(complaint)
        return _end(actor, complaint, referral, Action.WITHDRAW_REFERRAL, ReferralStatus.WITHDRAWN, text)


def referral_reject(*, actor: User, ref: str, comment: str, expected_version: int | None = None) -> Referral:
    """The receiving agency declines: the complaint is OPEN again and stays with the referrer."""
    who = actor_for(actor)
    text = _comment(comment, required=True, what="reject the referral")
    with recording_denials(actor), transaction.atomic():
        complaint = lock_complaint(who, ref)
        referral = _pending(complaint)
        if not policy.can_decide_referral(who, referral):
            raise Denied(
                "complaint.referral_reject.denied",
                complaint,
                "Only Complaint Supervisors and Managers of the receiving agency can reject the referral.",
            )
        _check_version(complaint, expected_version)
        return _end(actor, complaint, referral, Action.REJECT_REFERRAL, ReferralStatus.REJECTED, text)


def _end(actor: User, complaint: Complaint, referral: Referral, action: str, status: str, text: str) -> Referral:
    target = _target(complaint, action)
    referral.status = status
    referral.decided_by = actor
    referral.decided_at = clock.now()
    referral.decision_comment = text
    referral.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    complaint.status = target
    _save(complaint, ["status"])
    audit_record(
        actor=actor,
        action=f"complaint.referral_{status}",
        target=complaint,
        old={"status": Status.REFERRAL_IN_PROGRESS},
        new={"status": target, "to_agency": referral.to_agency.code, "comment": text},
        agency_id=complaint.agency_id,
        company_id=complaint.company_id,
    )
    if status == ReferralStatus.REJECTED:
        sharing_notices.referral_decided(referral=referral, old_poc=complaint.agency_poc, actor=actor)
    else:
        sharing_notices.referral_withdrawn(referral=referral, actor=actor)
    return referral


def referral_accept(*, actor: User, ref: str, comment: str = "", expected_version: int | None = None) -> Referral:
    """The receiving agency takes the complaint over: it owns it, OPEN, with the accepting user as
    Agency POC."""
    who = actor_for(actor)
    text = _comment(comment, required=False, what="accept the referral")
    with recording_denials(actor), transaction.atomic():
        complaint = lock_complaint(who, ref)
        referral = _pending(complaint)
        if not policy.can_decide_referral(who, referral):
            raise Denied(
                "complaint.referral_accept.denied",
                complaint,
                "Only Complaint Supervisors and Managers of the receiving agency can accept the referral.",
            )
        _check_version(complaint, expected_version)
        target = _target(complaint, Action.ACCEPT_REFERRAL)
        now = clock.now()
        referral.status = ReferralStatus.ACCEPTED
        referral.decided_by = actor
        referral.decided_at = now
        referral.decision_comment = text
        referral.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        old_agency, old_poc = complaint.agency, complaint.agency_poc
        complaint.agency_id = referral.to_agency_id
        complaint.agency_poc = actor
        complaint.status = target
        _save(complaint, ["agency", "agency_poc", "status"])
        complaint.agency = referral.to_agency
        moved = documents_transfer_agency(
            actor=actor,
            keys=_document_keys(complaint),
            from_agency_id=old_agency.pk,
            to_agency_id=referral.to_agency_id,
        )
        _close_new_owner_grants(actor, complaint, now)
        released = complaint_release_categories(complaint=complaint)
        audit_record(
            actor=actor,
            action="complaint.referral_accepted",
            target=complaint,
            old={
                "status": Status.REFERRAL_IN_PROGRESS,
                "agency": old_agency.code,
                "agency_poc": old_poc.email if old_poc else None,
                **({"categories": released} if released else {}),
            },
            new={
                "status": target,
                "agency": referral.to_agency.code,
                "agency_poc": actor.email,
                "documents_moved": moved,
                "comment": text,
            },
            agency_id=complaint.agency_id,
            company_id=complaint.company_id,
        )
        sharing_notices.referral_decided(referral=referral, old_poc=old_poc, actor=actor)
        return referral


def _document_keys(complaint: Complaint) -> list[tuple[str, list[str]]]:
    """(attached_type, ids) of the records whose documents belong to the complaint's owner."""
    # Imported late: the IR exchange builds on this module.
    from redress.information_requests.models import InformationRequest

    ir_ids = [str(pk) for pk in InformationRequest.objects.filter(complaint=complaint).values_list("pk", flat=True)]
    closure_ids = [str(pk) for pk in complaint.closures.values_list("pk", flat=True)]
    return [
        ("complaints.complaint", [str(complaint.pk)]),
        ("complaints.closure", closure_ids),
        ("information_requests.informationrequest", ir_ids),
    ]


def _close_new_owner_grants(actor: User, complaint: Complaint, now: dt.datetime) -> None:
    """The new owner sees everything now: its own request or grant has nothing left to give."""
    for grant in AccessGrant.objects.select_for_update().filter(
        Q(status=AccessStatus.PENDING) | Q(status=AccessStatus.GRANTED),
        complaint=complaint,
        grantee_agency_id=complaint.agency_id,
    ):
        if grant.status == AccessStatus.GRANTED:
            grant.status = AccessStatus.REMOVED
            grant.removed_by, grant.removed_at = actor, now
            grant.removal_comment = "Your agency took the complaint over through an accepted referral."
            grant.save(update_fields=["status", "removed_by", "removed_at", "removal_comment"])
        else:
            grant.status = AccessStatus.CANCELED
            grant.decided_by, grant.decided_at = actor, now
            grant.decision_comment = "Your agency took the complaint over through an accepted referral."
            grant.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])


def referral_cancel_for_complaint(*, complaint: Complaint, actor: User) -> int:
    """Inside ``complaint_cancel``'s transaction: cancel the pending referral, tell the receiver."""
    count = 0
    for referral in (
        Referral.objects.select_for_update()
        .select_related("from_agency", "to_agency", "complaint")
        .filter(complaint=complaint, status=ReferralStatus.PENDING)
    ):
        referral.status = ReferralStatus.CANCELED
        referral.decided_by = actor
        referral.decided_at = clock.now()
        referral.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            action="complaint.referral_canceled",
            target=complaint,
            new={"to_agency": referral.to_agency.code},
            agency_id=complaint.agency_id,
            company_id=complaint.company_id,
        )
        sharing_notices.referral_canceled(referral=referral, actor=actor)
        count += 1
    return count


def referred_from(complaint: Complaint) -> Referral | None:
    """The accepted referral that brought the complaint to its current owner, if any."""
    return (
        Referral.objects.select_related("from_agency", "referred_by")
        .filter(complaint=complaint, status=ReferralStatus.ACCEPTED, to_agency_id=complaint.agency_id)
        .order_by("-decided_at")
        .first()
    )
