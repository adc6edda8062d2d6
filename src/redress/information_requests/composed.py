"""One user step, one transaction: an IR created with its files, and a batch sent while the
company's first user is invited.

Invariants:
- ``ir_create_with_files``: the IR and every file are stored together or not at all; a refused
  file leaves no IR behind (the documents service deletes stored bytes of a rolled-back upload).
- ``ir_send_inviting_first_user``: the invitation of the company's first user and the send of the
  batch both happen, or neither; the invitation email and the send notices leave through the
  outbox only after the transaction commits.
- A refused send or invitation is recorded as a security event that survives the refusal.
- A refusal of the invitation is re-raised with its field prefixed ``first_user`` (``first_user``
  alone when it concerns no single field), so an interface shows it against the invitation inputs
  and the API points at ``first_user.email`` and the like.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from redress.accounts.models import User
from redress.accounts.policy import actor_for, can_enroll_company
from redress.companies.enrollment import IssuedInvitation, enrollment_start
from redress.companies.models import Company
from redress.complaints.selectors import complaint_get_for
from redress.core.errors import ApplicationError

from . import policy
from ._common import deny
from .attachments import ir_attach_documents
from .models import InformationRequest
from .services import SEND_DENIED, ir_create, ir_send

FIRST_USER_FIELD = "first_user"


@dataclass(frozen=True)
class FirstUser:
    """Who to invite as the company's first user (its account administrator)."""

    email: str
    full_name: str
    phone: str = ""


def ir_create_with_files(
    *,
    actor: User,
    complaint_ref: str,
    title: str,
    description: str,
    due_date: dt.date | None = None,
    ready: bool = True,
    files: Sequence[UploadedFile[bytes]] = (),
) -> InformationRequest:
    with transaction.atomic():
        ir = ir_create(
            actor=actor,
            complaint_ref=complaint_ref,
            title=title,
            description=description,
            due_date=due_date,
            ready=ready,
        )
        if files:
            ir_attach_documents(actor=actor, ref=ir.ref, files=files)
    return ir


def ir_send_inviting_first_user(
    *, actor: User, complaint_ref: str, refs: Sequence[str], comment: str = "", first_user: FirstUser | None
) -> tuple[list[InformationRequest], IssuedInvitation | None]:
    if first_user is None:
        return ir_send(actor=actor, complaint_ref=complaint_ref, refs=refs, comment=comment), None
    who = actor_for(actor)
    complaint = complaint_get_for(actor=actor, ref=complaint_ref)
    # Permission is checked before the shared transaction opens: a refusal is recorded in its own
    # transaction, which a refusal raised inside the shared one would roll back with everything else.
    if not policy.can_send(who, complaint):
        deny(actor, "ir.send", complaint, SEND_DENIED)
    if complaint.company is None:
        raise ApplicationError(
            "no_company", "This complaint's subject has no company to enroll.", field=FIRST_USER_FIELD
        )
    if not can_enroll_company(who):
        _invite(actor, complaint.company, first_user)  # refuses, recording the refusal
    with transaction.atomic():
        invited = _invite(actor, complaint.company, first_user)
        sent = ir_send(actor=actor, complaint_ref=complaint_ref, refs=refs, comment=comment)
    return sent, invited


def _invite(actor: User, company: Company, first_user: FirstUser) -> IssuedInvitation:
    try:
        return enrollment_start(
            actor=actor,
            company=company,
            email=first_user.email,
            full_name=first_user.full_name,
            phone=first_user.phone,
        )
    except ApplicationError as exc:
        exc.field = f"{FIRST_USER_FIELD}.{exc.field}" if exc.field else FIRST_USER_FIELD
        raise
