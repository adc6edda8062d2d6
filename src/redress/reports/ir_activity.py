"""IR Response Activity report (spec §9.2): one row per submitted response in a date range.

Invariants:
- Rows, per-IR counts and counts come from ``information_requests.selectors.ir_response_activity``,
  which scopes them to the caller's agency, leaves canceled complaints out and annotates each row
  in SQL, so the page and the exports cost the same few queries whatever the number of rows.
- The screen, the CSV and the XLSX use the same columns (``COLUMNS`` and ``row_values``).
- Quick Look is agency-only; this report is for agency users only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from redress.accounts.models import User
from redress.information_requests.constants import IRStatus
from redress.information_requests.models import IRResponse
from redress.information_requests.selectors import ActivityFilters, ir_response_activity

TITLE = "IR Response Activity"
COLUMNS = (
    "Complaint ID",
    "Company",
    "Agency POC",
    "IR ID",
    "IR title",
    "Round",
    "Round opened",
    "Original due date",
    "Due date at submission",
    "Response date",
    "Days to respond",
    "Timely",
    "Current due date",
    "Extensions",
    "Reminders",
    "Send-backs",
    "IR status",
    "Quick Look complete",
)
EXPORT_CHUNK = 500


@dataclass(frozen=True)
class ActivityResult:
    rows: QuerySet[IRResponse]
    total: int
    timely: int
    late: int


def ir_activity(*, actor: User, filters: ActivityFilters) -> ActivityResult:
    report = ir_response_activity(actor=actor, filters=filters)
    return ActivityResult(rows=report.rows, total=report.total, timely=report.timely, late=report.late)


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


def round_opened_on(response: IRResponse) -> dt.date | None:
    opened = getattr(response, "round_opened_at", None) or response.information_request.sent_at
    return _local_date(opened)


def days_to_respond(response: IRResponse) -> int | None:
    opened = round_opened_on(response)
    if opened is None or response.submitted_on is None:
        return None
    return (response.submitted_on - opened).days


def row_values(response: IRResponse) -> list[Any]:
    ir = response.information_request
    complaint = ir.complaint
    poc = complaint.agency_poc
    return [
        complaint.ref,
        complaint.company.legal_name if complaint.company else complaint.subject_name,
        (poc.full_name or poc.email) if poc else "",
        ir.ref,
        ir.title,
        response.round,
        round_opened_on(response),
        ir.original_due_date,
        response.due_date_at_submission,
        response.submitted_on,
        days_to_respond(response),
        response.is_timely,
        ir.due_date,
        getattr(response, "extension_count", 0),
        getattr(response, "reminder_count", 0),
        getattr(response, "send_back_count", 0),
        IRStatus(ir.status).label,
        ir.quick_look_complete,
    ]


def export_rows(rows: QuerySet[IRResponse]) -> Iterator[list[Any]]:
    """Every row, fetched in chunks so an export runs in constant memory."""
    for response in rows.iterator(chunk_size=EXPORT_CHUNK):
        yield row_values(response)
