"""Shared plumbing of the IR services: scoped loading with row locks, the transition check,
versions, refusals and input checks. Not an entry point; only the service modules use it."""

from __future__ import annotations

import datetime as dt
from typing import NoReturn

from django.db import models

from redress.accounts.models import User
from redress.accounts.policy import Actor
from redress.audit.services import audit_record_security
from redress.complaints.constants import SubjectType
from redress.complaints.models import Complaint
from redress.core import clock
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed

from . import errors, policy
from .constants import MAX_TEXT_LENGTH, MAX_TITLE_LENGTH, TRANSITIONS, IRAction, IRStatus
from .models import InformationRequest


def locked_complaint(who: Actor, ref: str) -> Complaint:
    """The complaint, row-locked for the transaction; out of scope answers like missing."""
    complaint = Complaint.objects.select_for_update().filter(ref=ref).first()
    if complaint is None or not policy.can_view_complaint(who, complaint):
        raise NotFound("No such complaint.")
    return complaint


def locked_ir(who: Actor, ref: str) -> InformationRequest:
    """The IR and its complaint, both row-locked (complaint first, always the same order)."""
    found = InformationRequest.objects.filter(ref=ref).values_list("complaint_id", flat=True).first()
    if found is None:
        raise NotFound("No such information request.")
    complaint = Complaint.objects.select_for_update(of=("self",)).select_related("agency", "company").get(pk=found)
    ir = InformationRequest.objects.select_for_update().get(ref=ref)
    ir.complaint = complaint
    if not policy.can_view_ir(who, ir):
        raise NotFound("No such information request.")
    return ir


def transition(ir: InformationRequest | None, action: str) -> str:
    current = ir.status if ir is not None else None
    target = TRANSITIONS.get((action, current))
    if target is None:
        label = IRStatus(current).label.lower() if current else "new"
        raise ApplicationError(
            errors.INVALID_TRANSITION,
            f"{IRAction(action).label} an information request that is {label} is not possible.",
        )
    return target


def check_version(ir: InformationRequest, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != ir.version:
        raise PreconditionFailed(
            f"Information request {ir.ref} was changed by someone else since you opened it. "
            "Reload it to see their changes, then make yours again."
        )


def save(ir: InformationRequest, fields: list[str]) -> None:
    ir.version += 1
    ir.save(update_fields=[*fields, "version"])


def deny(actor: User, action: str, complaint: Complaint, detail: str, target: models.Model | None = None) -> NoReturn:
    """Record the refusal (outside the rolled-back transaction) and refuse."""
    audit_record_security(
        actor=actor,
        action=f"{action}.denied",
        target=target or complaint,
        agency_id=complaint.agency_id,
        company_id=complaint.company_id,
    )
    raise PermissionDenied(detail)


def require_ir_subject(complaint: Complaint) -> None:
    if complaint.subject_type == SubjectType.NON_NMLS or complaint.company_id is None:
        raise ApplicationError(
            errors.NON_NMLS_SUBJECT,
            "Information requests are not available for a Non-NMLS entity: it cannot take part in the exchange.",
        )


def check_future_date(value: dt.date | None, field: str = "due_date", *, required: bool = True) -> dt.date | None:
    if value is None:
        if required:
            raise ApplicationError(errors.DUE_DATE_REQUIRED, "Enter a due date.", field=field)
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ApplicationError("validation_error", "Enter the due date as a date.", field=field)
    if value <= clock.today():
        raise ApplicationError(errors.DUE_DATE_IN_PAST, "The due date must be in the future.", field=field)
    return value


def clean_text(value: object, field: str, label: str, *, required: bool = True, limit: int = MAX_TEXT_LENGTH) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ApplicationError(errors.REQUIRED, f"Enter the {label}.", field=field)
    if len(text) > limit:
        raise ApplicationError(errors.TOO_LONG, f"Keep the {label} under {limit:,} characters.", field=field)
    if "\x00" in text:
        raise ApplicationError(
            "validation_error", f"The {label} contains a character that is not allowed.", field=field
        )
    return text


def clean_title(value: object) -> str:
    return clean_text(value, "title", "title", limit=MAX_TITLE_LENGTH)
