"""Delivering the outbox.

Invariants:
- A message is claimed by one conditional UPDATE (pending and due -> sending, attempts + 1); only
  the worker whose UPDATE matched sends it, so two workers or a re-run task never send twice.
- Every outcome is written with a conditional UPDATE on status "sending": sent (with sent_at),
  pending again with exponential backoff, or dead after REDRESS_OUTBOX_MAX_ATTEMPTS.
- A claim older than STUCK_AFTER_SECONDS means the worker died mid-send; the row goes back to
  pending (or dead when out of attempts). That is the one case where a message can go out twice.
- Sending happens outside any transaction: a rollback can never undo the record of a sent email.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django_tasks import task

from redress.core import clock

from .constants import BACKOFF_BASE_SECONDS, BACKOFF_CAP_SECONDS, STUCK_AFTER_SECONDS, OutboxStatus
from .models import OutboxMessage

logger = logging.getLogger(__name__)


def backoff_seconds(attempts: int) -> int:
    """Wait before the next try after ``attempts`` failed tries: 1, 2, 4 … minutes, capped at 6 h."""
    return int(min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_CAP_SECONDS))


def _claim(message_id: int) -> OutboxMessage | None:
    now = clock.now()
    claimed = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING, next_attempt_at__lte=now).update(
        status=OutboxStatus.SENDING, attempts=F("attempts") + 1, locked_at=now
    )
    if claimed != 1:
        return None
    return OutboxMessage.objects.get(pk=message_id)


def _build(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        headers={"Message-ID": message.message_id} if message.message_id else None,
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    return email


def deliver(message_id: int) -> str:
    """Try to send one message now; returns the outcome ("sent", "retry", "dead" or "skipped")."""
    message = _claim(message_id)
    if message is None:
        return "skipped"
    try:
        email = _build(message)
        email.send(fail_silently=False)
    except Exception as exc:  # any backend failure is a delivery failure, recorded and retried
        logger.warning("outbox delivery failed", extra={"outbox_id": message_id, "error": repr(exc)})
        return _record_failure(message, exc)
    msgid = str(email.extra_headers.get("Message-ID") or message.message_id)
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING).update(
        status=OutboxStatus.SENT, sent_at=clock.now(), message_id=msgid, last_error="", locked_at=None
    )
    return "sent"


def _record_failure(message: OutboxMessage, exc: Exception) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    fields: dict[str, Any] = {"last_error": error, "locked_at": None}
    if message.attempts >= settings.REDRESS_OUTBOX_MAX_ATTEMPTS:
        fields["status"] = OutboxStatus.DEAD
        outcome = "dead"
    else:
        fields["status"] = OutboxStatus.PENDING
        fields["next_attempt_at"] = clock.now() + dt.timedelta(seconds=backoff_seconds(message.attempts))
        outcome = "retry"
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING).update(**fields)
    return outcome


def recover_stuck_messages() -> int:
    """Return messages whose sender died mid-send to the queue (or give up on them)."""
    cutoff = clock.now() - dt.timedelta(seconds=STUCK_AFTER_SECONDS)
    stuck = OutboxMessage.objects.filter(status=OutboxStatus.SENDING, locked_at__lt=cutoff)
    note = "Delivery interrupted (worker stopped while sending)."
    dead = stuck.filter(attempts__gte=settings.REDRESS_OUTBOX_MAX_ATTEMPTS).update(
        status=OutboxStatus.DEAD, locked_at=None, last_error=note
    )
    requeued = stuck.filter(attempts__lt=settings.REDRESS_OUTBOX_MAX_ATTEMPTS).update(
        status=OutboxStatus.PENDING, locked_at=None, next_attempt_at=clock.now(), last_error=note
    )
    return dead + requeued


def deliver_due_messages(limit: int = 100) -> dict[str, int]:
    """Recover stuck rows, then try every due message (oldest first, at most ``limit``)."""
    counts: dict[str, int] = {"recovered": recover_stuck_messages()}
    due = list(
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=clock.now())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        outcome = deliver(pk)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


@task()
def deliver_outbox_message(message_id: int) -> str:
    return deliver(message_id)


def outbox_retry_job() -> str:
    """Periodic job. The scheduler runs jobs inside a transaction; sending waits for its commit so
    a rollback of the job's run key cannot make a sent email look unsent."""
    transaction.on_commit(lambda: deliver_due_messages(), robust=True)
    return "due messages will be delivered after commit"
