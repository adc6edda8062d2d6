"""Notifications of the IR exchange (spec §8, N4–N13, N21, N22), always through the outbox.

Invariants:
- Called inside the service's transaction, so a notice exists only for a change that committed.
- Company-bound notices go to the Company POC when one is assigned, otherwise to the Complaints
  Contact plus the company's additional addresses (``company_recipients``). A company with no
  users and no addresses simply receives nothing.
- Agency-bound notices go to the Agency POC and every Complaint Supervisor of the owning agency.
- Company notices never carry agency-only data: no Quick Look, no cancellation reason, no
  internal closure notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from redress.accounts.models import User
from redress.companies.constants import ComplaintsAccess
from redress.companies.models import CompanyMembership, NotificationAddress
from redress.complaints.models import Closure, Complaint
from redress.complaints.notices import agency_supervisors, path_for_recipients
from redress.notifications.services import notify

from .models import InformationRequest

TEMPLATE = "ir_notice"


def _member(user: User | None, complaint: Complaint) -> User | None:
    """The user, if still an active company member with complaints access."""
    company_id = complaint.company_id
    if user is None or not user.is_active or company_id is None:
        return None
    ok = CompanyMembership.objects.filter(
        user=user,
        company_id=company_id,
        complaints_access__in=(ComplaintsAccess.VIEW, ComplaintsAccess.MANAGE),
    ).exists()
    return user if ok else None


def contact_and_addresses(complaint: Complaint) -> list[User | str]:
    company_id = complaint.company_id
    if complaint.company is None or company_id is None:
        return []
    out: list[User | str] = []
    contact = _member(complaint.company.complaints_contact, complaint)
    if contact is not None:
        out.append(contact)
    out.extend(NotificationAddress.objects.filter(company_id=company_id).order_by("pk").values_list("email", flat=True))
    return out


def company_recipients(complaint: Complaint) -> list[User | str]:
    """The Company POC, else the Complaints Contact and the company's additional addresses."""
    poc = _member(complaint.company_poc, complaint)
    if poc is not None:
        return [poc]
    return contact_and_addresses(complaint)


def company_admins(complaint: Complaint) -> list[User]:
    company_id = complaint.company_id
    if company_id is None:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            company_membership__company_id=company_id,
            company_membership__is_account_admin=True,
        ).order_by("pk")
    )


def agency_recipients(complaint: Complaint) -> list[User]:
    users = [complaint.agency_poc, *agency_supervisors(complaint.agency_id)]
    return [u for u in users if u is not None]


def _requests(n: int) -> str:
    return "1 information request" if n == 1 else f"{n} information requests"


def _details(irs: Sequence[InformationRequest]) -> list[tuple[str, str]]:
    rows = []
    for ir in irs:
        due = f", due {ir.due_date:%B %-d, %Y}" if ir.due_date else ""
        rows.append((ir.ref, f"{ir.title}{due}"))
    return rows


def _send(
    *,
    event: str,
    recipients: Sequence[User | str],
    subject: str,
    message: str,
    complaint: Complaint,
    actor: User | None,
    dedupe_key: str,
    irs: Sequence[InformationRequest] = (),
    quote: str = "",
    extra: Sequence[tuple[str, str]] = (),
) -> None:
    context: dict[str, Any] = {
        "message": message,
        "quote": quote,
        "details": [("Complaint", complaint.ref), *_details(irs), *extra],
    }
    notify(
        event=event,
        recipients=recipients,
        subject=subject,
        template=TEMPLATE,
        context=context,
        link=path_for_recipients(complaint, recipients),
        actor=actor,
        agency_id=complaint.agency_id,
        company_id=complaint.company_id,
        dedupe_key=dedupe_key,
    )


def first_sent(*, complaint: Complaint, irs: Sequence[InformationRequest], actor: User, batch: str) -> None:
    """N4: notice to the Contact and extra addresses; "Assign Point of Contact" task to the
    Contact and the company account administrators."""
    agency = complaint.agency.name
    contact_list = contact_and_addresses(complaint)
    _send(
        event="ir.first_sent",
        recipients=contact_list,
        subject=f"New complaint {complaint.ref} from {agency}: information requested",
        message=(
            f"{agency} has a complaint about {complaint.subject_name} and sent "
            f"{_requests(len(irs))}. Please assign a Company Point of Contact, "
            "who will submit the company's responses."
        ),
        complaint=complaint,
        actor=actor,
        irs=irs,
        dedupe_key=f"ir.first_sent:{complaint.pk}:{batch}",
    )
    task_users: list[User | str] = [u for u in contact_list if isinstance(u, User)]
    task_users += [u for u in company_admins(complaint) if u not in task_users]
    _send(
        event="complaint.assign_company_poc",
        recipients=task_users,
        subject=f"Task: assign a Company Point of Contact for complaint {complaint.ref}",
        message=f"Assign a Company Point of Contact for complaint {complaint.ref} from {agency}.",
        complaint=complaint,
        actor=actor,
        dedupe_key=f"complaint.assign_company_poc:{complaint.pk}:{batch}",
    )


def later_sent(*, complaint: Complaint, irs: Sequence[InformationRequest], actor: User, batch: str) -> None:
    """N5: a later batch, or a comment only."""
    comment_only = all(ir.is_comment_only for ir in irs)
    if comment_only:
        what = "a comment"
    elif len(irs) == 1:
        what = "a new information request"
    else:
        what = f"{len(irs)} new information requests"
    _send(
        event="ir.sent",
        recipients=company_recipients(complaint),
        subject=f"Complaint {complaint.ref}: {what} from {complaint.agency.name}",
        message=f"{complaint.agency.name} sent {what} on complaint {complaint.ref}.",
        complaint=complaint,
        actor=actor,
        irs=irs,
        dedupe_key=f"ir.sent:{complaint.pk}:{batch}",
    )


def extended(*, ir: InformationRequest, old_due: object, actor: User) -> None:
    """N7."""
    complaint = ir.complaint
    _send(
        event="ir.extended",
        recipients=company_recipients(complaint),
        subject=f"Due date extended: {ir.ref} on complaint {complaint.ref}",
        message=f"The due date of information request {ir.ref} was extended.",
        complaint=complaint,
        actor=actor,
        irs=[ir],
        extra=[("Previous due date", f"{old_due:%B %-d, %Y}" if old_due else "none")],
        dedupe_key=f"ir.extended:{ir.pk}:{ir.version}",
    )


def canceled(*, ir: InformationRequest, actor: User) -> None:
    """N8."""
    complaint = ir.complaint
    _send(
        event="ir.canceled",
        recipients=company_recipients(complaint),
        subject=f"Information request {ir.ref} canceled",
        message=f"{complaint.agency.name} canceled information request {ir.ref}; no response is needed.",
        complaint=complaint,
        actor=actor,
        irs=[ir],
        dedupe_key=f"ir.canceled:{ir.pk}:{ir.version}",
    )


def reminder(
    *, ir: InformationRequest, actor: User | None, kind: str, recipients: Sequence[User | str], key: str
) -> None:
    """N9 (manual) and N10 (automatic)."""
    complaint = ir.complaint
    state = "is overdue" if kind == "overdue" else "is due"
    due = f" on {ir.due_date:%B %-d, %Y}" if ir.due_date and kind != "overdue" else ""
    _send(
        event=f"ir.reminder.{kind}",
        recipients=recipients,
        subject=f"Reminder: information request {ir.ref} {state}{due}",
        message=f"Information request {ir.ref} on complaint {complaint.ref} {state}{due} and has no response yet.",
        complaint=complaint,
        actor=actor,
        irs=[ir],
        dedupe_key=key,
    )


def submitted(*, ir: InformationRequest, actor: User) -> None:
    """N11."""
    complaint = ir.complaint
    _send(
        event="ir.response_submitted",
        recipients=agency_recipients(complaint),
        subject=f"Response received: {ir.ref} on complaint {complaint.ref}",
        message=f"{complaint.subject_name} submitted its response to information request {ir.ref}.",
        complaint=complaint,
        actor=actor,
        irs=[ir],
        dedupe_key=f"ir.response_submitted:{ir.pk}:{ir.version}",
    )


def sent_back(*, ir: InformationRequest, explanation: str, actor: User) -> None:
    """N12."""
    complaint = ir.complaint
    _send(
        event="ir.sent_back",
        recipients=company_recipients(complaint),
        subject=f"Response sent back: {ir.ref} on complaint {complaint.ref}",
        message=f"{complaint.agency.name} sent the response to {ir.ref} back for more information.",
        quote=explanation,
        complaint=complaint,
        actor=actor,
        irs=[ir],
        dedupe_key=f"ir.sent_back:{ir.pk}:{ir.version}",
    )


def send_back_requested(*, ir: InformationRequest, reason: str, actor: User) -> None:
    """N13: the reason is quoted."""
    complaint = ir.complaint
    _send(
        event="ir.send_back_requested",
        recipients=agency_recipients(complaint),
        subject=f"Send-back requested: {ir.ref} on complaint {complaint.ref}",
        message=f"{complaint.subject_name} asks to revise its response to information request {ir.ref}.",
        quote=reason,
        complaint=complaint,
        actor=actor,
        irs=[ir],
        dedupe_key=f"ir.send_back_requested:{ir.pk}:{ir.version}",
    )


def complaint_canceled(*, complaint: Complaint, actor: User | None) -> None:
    """N21 (company part): no reason, no details."""
    _send(
        event="complaint.canceled.company",
        recipients=company_recipients(complaint),
        subject=f"Complaint {complaint.ref} was canceled",
        message=f"{complaint.agency.name} canceled complaint {complaint.ref}. No further responses are needed.",
        complaint=complaint,
        actor=actor,
        dedupe_key=f"complaint.canceled.company:{complaint.pk}:{complaint.version}",
    )


def complaint_closed(*, complaint: Complaint, closure: Closure, actor: User) -> None:
    """N22: points to Closure Materials only when something was shared; never internal notes."""
    shared = " Closure materials were shared with you." if closure.share_with_company else ""
    _send(
        event="complaint.closed.company",
        recipients=company_recipients(complaint),
        subject=f"Complaint {complaint.ref} was closed",
        message=(
            f"{complaint.agency.name} closed complaint {complaint.ref}.{shared} "
            "The agency may reopen it within one year."
        ),
        complaint=complaint,
        actor=actor,
        dedupe_key=f"complaint.closed.company:{closure.pk}",
    )
