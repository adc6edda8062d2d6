"""Public references: human-readable, unique, never reused, and never the primary key.

Invariant: a reference is allocated from a per-(kind, year) counter row locked with
SELECT … FOR UPDATE inside the caller's transaction, so concurrent creates on PostgreSQL never
collide, and a rolled-back create does not reuse a number another transaction already took.
"""

from __future__ import annotations

from django.db import transaction

from .models import ReferenceCounter


def next_reference(prefix: str, *, year: int | None = None, width: int = 6) -> str:
    """Return the next reference such as ``CMP-2026-000123`` (or ``C-000042`` without a year)."""
    scope = f"{prefix}-{year}" if year is not None else prefix
    with transaction.atomic():
        counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(scope=scope)
        counter.last_value += 1
        counter.save(update_fields=["last_value"])
        return f"{scope}-{counter.last_value:0{width}d}"
