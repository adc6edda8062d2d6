"""Notifications of referrals and access requests between agencies (spec §8, N16-N21), always
through the outbox.

Invariants:
- Called inside the service's transaction, so a notice exists only for a change that committed.
- A notice names the complaint (ID and subject) and the agencies; it never carries complainant
  details, and a notice to an agency that cannot open the full record links to its basic view.
- Each notice has a dedupe key built from the row and its new status, so a retried call never
  sends twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from redress.accounts.models import User
from redress.notifications.services import notify

from .models import AccessGrant, Complaint, Referral
from .notices import complaint_path
from .sharing_common import deciders_of_referrals, supervisors


def basic_path(complaint: Complaint) -> str:
    """Where any agency complaints user opens the basic view of a complaint."""
    return f"/all-complaints/{complaint.ref}/"


def _send(
    *,
    event: str,
    recipients: Iterable[User | None],
    subject: str,
    message: str,
    quote: str,
    complaint: Complaint,
    link: str,
    actor: User,
    agency_id: int,
    key: str,
) -> None:
    notify(
        event=event,
        recipients=[r for r in recipients if r is not None],
        subject=subject,
        template="generic",
        context={"message": message, "quote": quote, "details": [("Complaint", complaint.ref)]},
        link=link,
        actor=actor,
        agency_id=agency_id,
        dedupe_key=key,
    )


def _name(user: User | None) -> str:
    return (user.full_name or user.email) if user is not None else "someone"


# --- referrals ----------------------------------------------------------------------------------


def referral_sent(*, referral: Referral, actor: User) -> None:
    """N16: the receiving agency's Supervisors and Managers."""
    c = referral.complaint
    _send(
        event="complaint.referral_sent",
        recipients=deciders_of_referrals(referral.to_agency_id),
        subject=f"Complaint {c.ref} was referred to your agency",
        message=(
            f"{referral.from_agency.name} referred complaint {c.ref} about {c.subject_name} to your agency. "
            "Open it to accept or reject the referral."
        ),
        quote=referral.comment,
        complaint=c,
        link=complaint_path(c),
        actor=actor,
        agency_id=referral.to_agency_id,
        key=f"referral.sent:{referral.pk}",
    )


def referral_decided(*, referral: Referral, old_poc: User | None, actor: User) -> None:
    """N17: the referring agency's Agency POC and Supervisors."""
    c = referral.complaint
    accepted = referral.status == "accepted"
    verb = "accepted" if accepted else "rejected"
    _send(
        event=f"complaint.referral_{verb}",
        recipients=[old_poc, *supervisors(referral.from_agency_id)],
        subject=f"{referral.to_agency.name} {verb} the referral of {c.ref}",
        message=(
            f"{_name(referral.decided_by)} of {referral.to_agency.name} {verb} the referral of complaint {c.ref} "
            f"about {c.subject_name}. "
            + (
                "The complaint now belongs to their agency."
                if accepted
                else "The complaint is open again and stays with your agency."
            )
        ),
        quote=referral.decision_comment,
        complaint=c,
        link=basic_path(c) if accepted else complaint_path(c),
        actor=actor,
        agency_id=referral.from_agency_id,
        key=f"referral.{verb}:{referral.pk}",
    )


def referral_withdrawn(*, referral: Referral, actor: User) -> None:
    """The receiving agency's deciders: the referral they were shown is gone."""
    c = referral.complaint
    _send(
        event="complaint.referral_withdrawn",
        recipients=deciders_of_referrals(referral.to_agency_id),
        subject=f"The referral of {c.ref} was withdrawn",
        message=f"{referral.from_agency.name} withdrew its referral of complaint {c.ref} about {c.subject_name}.",
        quote=referral.decision_comment,
        complaint=c,
        link=basic_path(c),
        actor=actor,
        agency_id=referral.to_agency_id,
        key=f"referral.withdrawn:{referral.pk}",
    )


def referral_canceled(*, referral: Referral, actor: User) -> None:
    """N21: the receiving agency of a pending referral, without the cancellation reason."""
    c = referral.complaint
    _send(
        event="complaint.referral_canceled",
        recipients=deciders_of_referrals(referral.to_agency_id),
        subject=f"Complaint {c.ref} was canceled; its referral to your agency ended",
        message=f"{referral.from_agency.name} canceled complaint {c.ref} about {c.subject_name}, "
        "so its referral to your agency was canceled.",
        quote="",
        complaint=c,
        link=basic_path(c),
        actor=actor,
        agency_id=referral.to_agency_id,
        key=f"referral.canceled:{referral.pk}",
    )


# --- access requests ----------------------------------------------------------------------------


def access_requested(*, grant: AccessGrant, actor: User) -> None:
    """N18: every Complaint Supervisor of the owning agency."""
    c = grant.complaint
    _send(
        event="complaint.access_requested",
        recipients=supervisors(c.agency_id),
        subject=f"{grant.grantee_agency.name} asks for access to {c.ref}",
        message=(
            f"{_name(grant.requested_by)} of {grant.grantee_agency.name} asks for read-only access to complaint "
            f"{c.ref} about {c.subject_name}. Accept or reject it from your home page or the Access Requests report."
        ),
        quote=grant.request_comment,
        complaint=c,
        link=f"/complaints/{c.ref}/access/",
        actor=actor,
        agency_id=c.agency_id,
        key=f"access.requested:{grant.pk}",
    )


def access_decided(*, grant: AccessGrant, actor: User) -> None:
    """N19: the requesting user, and on a grant that agency's Supervisors too."""
    c = grant.complaint
    granted = grant.status == "granted"
    verb = "granted" if granted else "rejected"
    recipients: list[User | None] = [grant.requested_by]
    if granted:
        recipients += supervisors(grant.grantee_agency_id)
    _send(
        event=f"complaint.access_{verb}",
        recipients=recipients,
        subject=f"Access to {c.ref} was {verb}",
        message=(
            f"{c.agency.name} {verb} your agency's request for access to complaint {c.ref} about {c.subject_name}."
            + (" Every complaints user of your agency can now open the full record." if granted else "")
        ),
        quote=grant.decision_comment,
        complaint=c,
        link=complaint_path(c) if granted else basic_path(c),
        actor=actor,
        agency_id=grant.grantee_agency_id,
        key=f"access.{verb}:{grant.pk}",
    )


def access_removed(*, grant: AccessGrant, actor: User) -> None:
    """N20: the grantee agency (the requester and its Supervisors)."""
    c = grant.complaint
    _send(
        event="complaint.access_removed",
        recipients=[grant.requested_by, *supervisors(grant.grantee_agency_id)],
        subject=f"Access to {c.ref} was removed",
        message=f"{c.agency.name} removed your agency's access to complaint {c.ref} about {c.subject_name}. "
        "You now see only its basic information.",
        quote=grant.removal_comment,
        complaint=c,
        link=basic_path(c),
        actor=actor,
        agency_id=grant.grantee_agency_id,
        key=f"access.removed:{grant.pk}",
    )


def access_canceled(*, grant: AccessGrant, actor: User) -> None:
    """N21: the requester of a pending request, without the cancellation reason."""
    c = grant.complaint
    _send(
        event="complaint.access_canceled",
        recipients=[grant.requested_by],
        subject=f"Complaint {c.ref} was canceled; your access request ended",
        message=f"{c.agency.name} canceled complaint {c.ref} about {c.subject_name}, "
        "so your agency's pending request for access to it was canceled.",
        quote="",
        complaint=c,
        link=basic_path(c),
        actor=actor,
        agency_id=grant.grantee_agency_id,
        key=f"access.canceled:{grant.pk}",
    )
