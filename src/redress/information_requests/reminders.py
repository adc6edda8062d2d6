"""Automatic IR reminders (N10), run once a day by the scheduler.

Invariants:
- An outstanding IR (not a comment) that is due within the agency's ``ir_reminder_days_before``
  days, or overdue, gets at most one automatic reminder per day: the ``Reminder`` row is unique
  per IR and day and the notices carry a per-IR, per-day dedupe key, so a rerun sends nothing twice.
- Reminders go to the Company POC (else the Complaints Contact and additional addresses) and to
  the Agency POC; nothing is sent on closed or canceled complaints.
- Each reminder is audited as a system action in the same transaction as its row and notices.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from redress.accounts.models import User
from redress.agencies.models import Agency
from redress.audit.services import audit_record
from redress.complaints.constants import LOCKED_STATUSES
from redress.core import clock

from . import notices
from .constants import OUTSTANDING, ReminderKind
from .models import InformationRequest, Reminder


def _due_irs(agency: Agency, today: dt.date) -> list[InformationRequest]:
    horizon = today + dt.timedelta(days=agency.ir_reminder_days_before)
    return list(
        InformationRequest.objects.filter(
            complaint__agency=agency,
            status__in=OUTSTANDING,
            is_comment_only=False,
            due_date__isnull=False,
            due_date__lte=horizon,
        )
        .exclude(complaint__status__in=LOCKED_STATUSES)
        .select_related("complaint", "complaint__agency", "complaint__company", "complaint__agency_poc")
        .order_by("pk")
    )


def _remind(ir: InformationRequest, today: dt.date) -> bool:
    assert ir.due_date is not None
    kind = ReminderKind.OVERDUE if ir.due_date < today else ReminderKind.DUE_SOON
    recipients = notices.company_recipients(ir.complaint)
    if ir.complaint.agency_poc is not None:
        recipients.append(ir.complaint.agency_poc)
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                information_request=ir,
                kind=kind,
                sent_on=today,
                recipients=[r.email if isinstance(r, User) else r for r in recipients],
            )
            audit_record(
                actor=None,
                action="ir.reminder_sent",
                target=ir,
                new={"kind": kind, "recipients": reminder.recipients},
                agency_id=ir.complaint.agency_id,
                company_id=ir.complaint.company_id,
            )
            notices.reminder(
                ir=ir, actor=None, kind=kind, recipients=recipients, key=f"ir.reminder.auto:{ir.pk}:{today}"
            )
    except IntegrityError:
        return False  # already reminded today
    return True


def ir_send_due_reminders(*, today: dt.date | None = None) -> int:
    """Send today's automatic reminders; returns how many IRs were reminded."""
    day = today or clock.today()
    sent = 0
    for agency in Agency.objects.filter(is_active=True).order_by("pk"):
        for ir in _due_irs(agency, day):
            sent += _remind(ir, day)
    return sent


def ir_reminders_job() -> str:
    with transaction.atomic():
        return f"{ir_send_due_reminders()} IR reminder(s) sent"
