"""The daily disposition job: warn ahead, then dispose what is due."""

from __future__ import annotations

from redress.core import clock

from .disposition import disposition_run, disposition_warn


def disposition_daily() -> str:
    today = clock.today()
    warned = disposition_warn(as_of=today)
    result = disposition_run(as_of=today, dry_run=False)
    return f"warned about {warned} complaint(s); {result.summary()}"
