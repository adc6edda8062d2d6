"""Agency side of the IR exchange: draft, edit, remove, bulk due date, send, comment, extend,
cancel, remind, Quick Look, send back, and the complaint's cancel and close hooks.

Invariants:
- Every status change consults the one table ``constants.TRANSITIONS`` (``_common.transition``).
- Every write locks the complaint row first, then the IR row, so concurrent writers on one
  complaint serialise and IR numbers within a complaint never collide.
- ``complaints.services.ensure_mutable`` guards every write: a closed or canceled complaint refuses.
- A sent IR's title and description never change; the original due date is kept through extensions.
- Sending needs a future due date on every IR of the batch, or nothing is sent; a Non-NMLS subject
  refuses IRs altogether. The first send stamps the complaint (N4), later ones notify N5.
- Each call is one transaction with its audit events and notices; refusals change nothing and are
  recorded as security events after the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.audit.services import audit_record
from redress.complaints.constants import Status as ComplaintStatus
from redress.complaints.exchange import mark_first_ir_sent
from redress.complaints.models import Closure, Complaint
from redress.complaints.services import ensure_mutable
from redress.core import clock
from redress.core.errors import ApplicationError, NotFound
from redress.core.references import next_reference

from . import errors, notices, policy
from ._common import (
    check_future_date,
    check_version,
    clean_text,
    clean_title,
    deny,
    locked_complaint,
    locked_ir,
    require_ir_subject,
    save,
    transition,
)
from .constants import OUTSTANDING, UNSENT, IRAction, RequestOutcome, SendBackKind
from .models import DueDateChange, InformationRequest, Reminder, SendBack

_MANAGE_DENIED = "Only Complaint Supervisors and Managers of the owning agency can do that."
SEND_DENIED = (
    "Only the Agency POC and Complaint Supervisors can send information requests"
    " (and Managers, where the agency allows it)."
)
_SENDABLE_COMPLAINT = (ComplaintStatus.OPEN, ComplaintStatus.REOPENED)


def _audit(actor: User | None, action: str, ir: InformationRequest, **kwargs: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=ir,
        agency_id=ir.complaint.agency_id,
        company_id=ir.complaint.company_id,
        **kwargs,
    )


def _fmt(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


# --- drafting -------------------------------------------------------------------------------


def ir_create(
    *,
    actor: User,
    complaint_ref: str,
    title: str,
    description: str,
    due_date: dt.date | None = None,
    ready: bool = True,
) -> InformationRequest:
    """Add an IR: "save and send later" (ready) or a draft. Nothing reaches the company yet."""
    who = actor_for(actor)
    with transaction.atomic():
        complaint = locked_complaint(who, complaint_ref)
        if policy.can_manage(who, complaint):
            ensure_mutable(complaint)
            require_ir_subject(complaint)
            clean = {
                "title": clean_title(title),
                "description": clean_text(description, "description", "request text"),
                "due_date": check_future_date(due_date, required=False),
            }
            status = transition(None, IRAction.SAVE_READY if ready else IRAction.SAVE_DRAFT)
            last = complaint.information_requests.aggregate(n=Max("number"))["n"] or 0
            ir = InformationRequest.objects.create(
                ref=next_reference("IR", year=clock.today().year),
                complaint=complaint,
                number=last + 1,
                status=status,
                created_by=actor,
                **clean,
            )
            _audit(actor, "ir.created", ir, new={"status": status, "title": ir.title, "due_date": _fmt(ir.due_date)})
            return ir
    deny(actor, "ir.create", complaint, _MANAGE_DENIED)


def ir_update(*, actor: User, ref: str, changes: Mapping[str, Any], expected_version: int | None) -> InformationRequest:
    """Change an unsent IR (title, description, due date, ready or draft). A sent IR's text is fixed."""
    allowed = {"title", "description", "due_date", "ready"}
    unknown = set(changes) - allowed
    if unknown:
        raise ApplicationError(
            "validation_error", f"These fields cannot be changed here: {', '.join(sorted(unknown))}."
        )
    who = actor_for(actor)
    with transaction.atomic():
        ir = locked_ir(who, ref)
        if policy.can_manage(who, ir.complaint):
            check_version(ir, expected_version)
            ensure_mutable(ir.complaint)
            if ir.status not in UNSENT:
                raise ApplicationError(
                    errors.LOCKED_AFTER_SEND,
                    f"Information request {ir.ref} was sent; its text and documents cannot change.",
                )
            values: dict[str, Any] = {}
            if "title" in changes:
                values["title"] = clean_title(changes["title"])
            if "description" in changes:
                values["description"] = clean_text(changes["description"], "description", "request text")
            if "due_date" in changes:
                values["due_date"] = check_future_date(changes["due_date"], required=False)
            if "ready" in changes:
                values["status"] = transition(ir, IRAction.SAVE_READY if changes["ready"] else IRAction.SAVE_DRAFT)
            old = {k: getattr(ir, k) for k, v in values.items() if getattr(ir, k) != v}
            if old:
                for key in old:
                    setattr(ir, key, values[key])
                save(ir, list(old))
                _audit(actor, "ir.updated", ir, old=old, new={k: values[k] for k in old})
            return ir
    deny(actor, "ir.update", ir.complaint, _MANAGE_DENIED, ir)


def ir_remove(*, actor: User, ref: str, expected_version: int | None) -> None:
    """Delete an IR that was never sent (the confirmed "Remove Information Requests")."""
    who = actor_for(actor)
    with transaction.atomic():
        ir = locked_ir(who, ref)
        if policy.can_manage(who, ir.complaint):
            check_version(ir, expected_version)
            ensure_mutable(ir.complaint)
            if ir.status not in UNSENT:
                raise ApplicationError(
                    errors.LOCKED_AFTER_SEND, f"Information request {ir.ref} was sent; cancel it instead."
                )
            _audit(actor, "ir.removed", ir, old={"status": ir.status, "title": ir.title})
            ir.delete()
            return
    deny(actor, "ir.remove", ir.complaint, _MANAGE_DENIED, ir)


def ir_bulk_set_due_date(
    *, actor: User, complaint_ref: str, refs: Sequence[str], due_date: dt.date
) -> list[InformationRequest]:
    """Give the selected unsent IRs that have no due date yet this one (the others keep theirs)."""
    who = actor_for(actor)
    with transaction.atomic():
        complaint = locked_complaint(who, complaint_ref)
        if policy.can_manage(who, complaint):
            ensure_mutable(complaint)
            check_future_date(due_date)
            irs = _batch(complaint, refs)
            changed = []
            for ir in irs:
                if ir.status not in UNSENT:
                    raise ApplicationError(errors.LOCKED_AFTER_SEND, f"Information request {ir.ref} was already sent.")
                if ir.due_date is None:
                    ir.due_date = due_date
                    save(ir, ["due_date"])
                    _audit(actor, "ir.updated", ir, old={"due_date": None}, new={"due_date": _fmt(due_date)})
                    changed.append(ir)
            return changed
    deny(actor, "ir.bulk_due_date", complaint, _MANAGE_DENIED)


def _batch(complaint: Complaint, refs: Sequence[str]) -> list[InformationRequest]:
    wanted = list(dict.fromkeys(refs))
    if not wanted:
        raise ApplicationError(errors.REQUIRED, "Choose at least one information request.", field="refs")
    irs = list(
        InformationRequest.objects.select_for_update().filter(complaint=complaint, ref__in=wanted).order_by("number")
    )
    if len(irs) != len(wanted):
        raise NotFound("No such information request on this complaint.")
    for ir in irs:
        ir.complaint = complaint
    return irs


# --- sending --------------------------------------------------------------------------------


def _check_sendable(complaint: Complaint) -> None:
    ensure_mutable(complaint)
    require_ir_subject(complaint)
    if complaint.status not in _SENDABLE_COMPLAINT:
        raise ApplicationError(
            errors.INVALID_TRANSITION,
            f"Information requests can be sent only on an open complaint; {complaint.ref} is "
            f"{complaint.get_status_display().lower()}.",
        )


def _mark_sent(irs: list[InformationRequest], actor: User, comment: str) -> None:
    now = clock.now()
    for ir in irs:
        old_status = ir.status
        ir.status = transition(ir, IRAction.SEND)
        ir.sent_at, ir.sent_by, ir.send_comment = now, actor, comment
        ir.original_due_date = ir.due_date
        save(ir, ["status", "sent_at", "sent_by", "send_comment", "original_due_date"])
        _audit(
            actor,
            "ir.sent",
            ir,
            old={"status": old_status},
            new={"status": ir.status, "due_date": _fmt(ir.due_date), "comment_only": ir.is_comment_only},
        )


def _announce(complaint: Complaint, irs: list[InformationRequest], actor: User) -> None:
    first = mark_first_ir_sent(complaint=complaint, actor=actor)
    batch = f"{irs[0].pk}.{len(irs)}.{irs[0].version}"
    if first:
        notices.first_sent(complaint=complaint, irs=irs, actor=actor, batch=batch)
    else:
        notices.later_sent(complaint=complaint, irs=irs, actor=actor, batch=batch)


def ir_send(*, actor: User, complaint_ref: str, refs: Sequence[str], comment: str = "") -> list[InformationRequest]:
    """Send one or many IRs of a complaint as one batch, with optional commentary."""
    who = actor_for(actor)
    with transaction.atomic():
        complaint = locked_complaint(who, complaint_ref)
        if policy.can_send(who, complaint):
            _check_sendable(complaint)
            text = clean_text(comment, "comment", "commentary", required=False)
            irs = _batch(complaint, refs)
            for ir in irs:
                transition(ir, IRAction.SEND)
                if ir.due_date is None:
                    raise ApplicationError(
                        errors.DUE_DATE_REQUIRED, f"Give {ir.ref} a due date before sending.", field="due_date"
                    )
                if ir.due_date <= clock.today():
                    raise ApplicationError(
                        errors.DUE_DATE_IN_PAST,
                        f"The due date of {ir.ref} must be in the future; nothing was sent.",
                        field="due_date",
                    )
            _mark_sent(irs, actor, text)
            _announce(complaint, irs, actor)
            return irs
    deny(actor, "ir.send", complaint, SEND_DENIED)


def ir_send_comment(*, actor: User, complaint_ref: str, title: str, text: str) -> InformationRequest:
    """A comment with no question, once a first IR was sent; no due date, no response."""
    who = actor_for(actor)
    with transaction.atomic():
        complaint = locked_complaint(who, complaint_ref)
        if policy.can_send(who, complaint):
            _check_sendable(complaint)
            if complaint.first_ir_sent_at is None:
                raise ApplicationError(
                    errors.NO_IR_SENT, "A comment can be sent only after a first information request."
                )
            last = complaint.information_requests.aggregate(n=Max("number"))["n"] or 0
            ir = InformationRequest.objects.create(
                ref=next_reference("IR", year=clock.today().year),
                complaint=complaint,
                number=last + 1,
                title=clean_title(title),
                description=clean_text(text, "text", "comment"),
                status=transition(None, IRAction.SAVE_READY),
                is_comment_only=True,
                created_by=actor,
            )
            _audit(actor, "ir.created", ir, new={"status": ir.status, "comment_only": True})
            _mark_sent([ir], actor, "")
            _announce(complaint, [ir], actor)
            return ir
    deny(actor, "ir.send_comment", complaint, SEND_DENIED)


# --- after sending -----------------------------------------------------------------------------


def _no_comment(ir: InformationRequest) -> None:
    if ir.is_comment_only:
        raise ApplicationError(errors.COMMENT_ONLY, f"{ir.ref} is a comment; it has no due date or response.")


def ir_extend(*, actor: User, ref: str, new_due_date: dt.date, expected_version: int | None) -> InformationRequest:
    """Move the due date of an outstanding IR later; the original due date stays (N7)."""
    who = actor_for(actor)
    with transaction.atomic():
        ir = locked_ir(who, ref)
        if policy.can_manage(who, ir.complaint):
            check_version(ir, expected_version)
            ensure_mutable(ir.complaint)
            _no_comment(ir)
            transition(ir, IRAction.EXTEND)
            check_future_date(new_due_date)
            old_due = ir.due_date
            if old_due is not None and new_due_date <= old_due:
                raise ApplicationError(
                    "ir_not_an_extension", "The new due date must be later than the current one.", field="due_date"
                )
            ir.due_date = new_due_date
            save(ir, ["due_date"])
            DueDateChange.objects.create(
                information_request=ir, old_due_date=old_due, new_due_date=new_due_date, changed_by=actor
            )
            _audit(actor, "ir.extended", ir, old={"due_date": _fmt(old_due)}, new={"due_date": _fmt(new_due_date)})
            notices.extended(ir=ir, old_due=old_due, actor=actor)
            return ir
    deny(actor, "ir.extend", ir.complaint, _MANAGE_DENIED, ir)


def ir_cancel(*, actor: User, ref: str, reason: str = "", expected_version: int | None) -> InformationRequest:
    """Cancel an outstanding IR; the company is told (N8)."""
    who = actor_for(actor)
    with transaction.atomic():
        ir = locked_ir(who, ref)
        if policy.can_manage(who, ir.complaint):
            check_version(ir, expected_version)
            ensure_mutable(ir.complaint)
            why = clean_text(reason, "reason", "reason", required=False)
            _cancel(ir, actor, why)
            notices.canceled(ir=ir, actor=actor)
            return ir
    deny(actor, "ir.cancel", ir.complaint, _MANAGE_DENIED, ir)


def _cancel(ir: InformationRequest, actor: User | None, reason: str) -> None:
    old_status = ir.status
    ir.status = transition(ir, IRAction.CANCEL)
    ir.canceled_at, ir.canceled_by = clock.now(), actor
    save(ir, ["status", "canceled_at", "canceled_by"])
    _audit(actor, "ir.canceled", ir, old={"status": old_status}, new={"status": ir.status}, reason=reason)


def ir_remind(*, actor: User, ref: str) -> Reminder:
    """Remind the company of an outstanding IR (N9); every reminder is kept with its time."""
    who = actor_for(actor)
    with transaction.atomic():
        ir = locked_ir(who, ref)
        if policy.can_manage(who, ir.complaint):
            ensure_mutable(ir.complaint)
            _no_comment(ir)
            transition(ir, IRAction.REMIND)
            recipients = notices.company_recipients(ir.complaint)
            if not recipients:
                raise ApplicationError(
                    "ir_no_company_recipient",
                    "The company has no Company POC, Complaints Contact or notification address to remind yet.",
                )
            reminder = Reminder.objects.create(
                information_request=ir,
                kind="manual",
                sent_by=actor,
                recipients=[r.email if isinstance(r, User) else r for r in recipients],
            )
            _audit(actor, "ir.reminder_sent", ir, new={"kind": "manual", "recipients": reminder.recipients})
            notices.reminder(ir=ir, actor=actor, kind="manual", recipients=recipients, key=f"ir.remind:{reminder.pk}")
            return reminder
    deny(actor, "ir.remind", ir.complaint, _MANAGE_DENIED, ir)


def ir_quick_look(*, actor: User, ref: str, complete: bool, expected_version: int | None) -> InformationRequest:
    """Set or clear the agency-only Quick Look mark on a received response (no company notice, N24)."""
    who = actor_for(actor)
    with transaction.atomic():
        ir = locked_ir(who, ref)
        if policy.can_manage(who, ir.complaint):
            check_version(ir, expected_version)
            ensure_mutable(ir.complaint)
            if ir.response_received_at is None:
                raise ApplicationError(
                    errors.INVALID_TRANSITION, "Quick Look applies once the company's response has arrived."
                )
            if ir.quick_look_complete != complete:
                ir.quick_look_complete = complete
                ir.quick_look_by = actor if complete else None
                ir.quick_look_at = clock.now() if complete else None
                save(ir, ["quick_look_complete", "quick_look_by", "quick_look_at"])
                _audit(
                    actor,
                    "ir.quick_look",
                    ir,
                    old={"quick_look_complete": not complete},
                    new={"quick_look_complete": complete},
                )
            return ir
    deny(actor, "ir.quick_look", ir.complaint, _MANAGE_DENIED, ir)


def ir_send_back(
    *, actor: User, ref: str, new_due_date: dt.date, explanation: str, expected_version: int | None
) -> InformationRequest:
    """Return a received response to the company with a new due date and an explanation (N12).
    Any number of rounds; a pending company request for a send-back is thereby granted."""
    who = actor_for(actor)
    with transaction.atomic():
        ir = locked_ir(who, ref)
        if policy.can_manage(who, ir.complaint):
            check_version(ir, expected_version)
            ensure_mutable(ir.complaint)
            old_status = ir.status
            target = transition(ir, IRAction.SEND_BACK)
            check_future_date(new_due_date)
            text = clean_text(explanation, "explanation", "explanation")
            SendBack.objects.create(
                information_request=ir,
                round=ir.round,
                kind=SendBackKind.AGENCY,
                new_due_date=new_due_date,
                text=text,
                created_by=actor,
            )
            ir.send_backs.filter(kind=SendBackKind.COMPANY_REQUEST, outcome=RequestOutcome.PENDING).update(
                outcome=RequestOutcome.ACCEPTED
            )
            DueDateChange.objects.create(
                information_request=ir,
                old_due_date=ir.due_date,
                new_due_date=new_due_date,
                reason="send_back",
                changed_by=actor,
            )
            old_due = ir.due_date
            ir.status, ir.due_date, ir.round = target, new_due_date, ir.round + 1
            ir.quick_look_complete, ir.quick_look_by, ir.quick_look_at = False, None, None
            save(ir, ["status", "due_date", "round", "quick_look_complete", "quick_look_by", "quick_look_at"])
            _audit(
                actor,
                "ir.sent_back",
                ir,
                old={"status": old_status, "due_date": _fmt(old_due)},
                new={"status": target, "due_date": _fmt(new_due_date), "round": ir.round},
                reason=text,
            )
            notices.sent_back(ir=ir, explanation=text, actor=actor)
            return ir
    deny(actor, "ir.send_back", ir.complaint, _MANAGE_DENIED, ir)


def ir_decline_send_back(*, actor: User, ref: str, expected_version: int | None) -> InformationRequest:
    """Keep the submitted response: the company's send-back request is declined."""
    who = actor_for(actor)
    with transaction.atomic():
        ir = locked_ir(who, ref)
        if policy.can_manage(who, ir.complaint):
            check_version(ir, expected_version)
            ensure_mutable(ir.complaint)
            old_status = ir.status
            ir.status = transition(ir, IRAction.DECLINE_SEND_BACK)
            ir.send_backs.filter(kind=SendBackKind.COMPANY_REQUEST, outcome=RequestOutcome.PENDING).update(
                outcome=RequestOutcome.DECLINED
            )
            save(ir, ["status"])
            _audit(actor, "ir.send_back_declined", ir, old={"status": old_status}, new={"status": ir.status})
            return ir
    deny(actor, "ir.decline_send_back", ir.complaint, _MANAGE_DENIED, ir)


# --- complaint lifecycle hooks (called inside the complaint's own transaction) -----------------


def irs_cancel_for_complaint(*, complaint: Complaint, actor: User | None) -> int:
    """Complaint canceled: every IR still with the company becomes canceled, and the company is
    told (N21) without the reason, if any IR had been sent."""
    irs = list(InformationRequest.objects.select_for_update().filter(complaint=complaint, status__in=OUTSTANDING))
    for ir in irs:
        ir.complaint = complaint
        _cancel(ir, actor, "complaint canceled")
    if complaint.first_ir_sent_at is not None:
        notices.complaint_canceled(complaint=complaint, actor=actor)
    return len(irs)


def irs_on_complaint_closed(*, complaint: Complaint, closure: Closure, actor: User) -> None:
    """Complaint closed: the company hears of it (N22) only if IRs had been sent."""
    if complaint.first_ir_sent_at is not None:
        notices.complaint_closed(complaint=complaint, closure=closure, actor=actor)
