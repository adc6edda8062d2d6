"""Daily clean-up of stored Idempotency-Key outcomes.

Invariant: a key is honoured for at least ``REDRESS_IDEMPOTENCY_DAYS`` (default 7) days — far
longer than any client retries a request — and then forgotten, so the table stays small.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from redress.core import clock

from .models import IdempotencyRecord


def purge_idempotency_records() -> str:
    days = getattr(settings, "REDRESS_IDEMPOTENCY_DAYS", 7)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=clock.now() - dt.timedelta(days=days)).delete()
    return f"purged {deleted} idempotency records older than {days} days"
