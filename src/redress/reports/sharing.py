"""The Referrals and Access Requests reports (spec 9.2): columns and rows for the page and the CSV.

Invariants:
- Rows come only from ``complaints.sharing_selectors`` (scoped to the reader's agency, canceled
  complaints left out); nothing here widens what a reader sees, and no complainant data appears.
- The page and the CSV share one set of columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from redress.accounts.models import User
from redress.complaints.models import AccessGrant, Referral
from redress.complaints.sharing_selectors import (
    REFERRAL_VIEWS,
    access_decisions_of,
    access_requests_made_by,
    access_waiting_for,
    referrals_for,
)

ACCESS_VIEWS = {
    "incoming": "Waiting for a decision",
    "decisions": "My Agency's Decisions",
    "history": "Request History",
}
ACCESS_COLUMNS = (
    "Complaint ID",
    "Owning agency",
    "Requesting agency",
    "Requested by",
    "Requested at",
    "Request comment",
    "Status",
    "Decided by",
    "Decided at",
    "Decision comment",
    "Removed at",
)
REFERRAL_COLUMNS = (
    "Complaint ID",
    "From agency",
    "To agency",
    "Referred by",
    "Referred at",
    "Comment",
    "Status",
    "Decided by",
    "Decided at",
    "Decision comment",
)


def _name(user: User | None) -> str:
    return (user.full_name or user.email) if user is not None else ""


def access_rows(*, actor: User, view: str) -> QuerySet[AccessGrant]:
    selector = {
        "incoming": access_waiting_for,
        "decisions": access_decisions_of,
        "history": access_requests_made_by,
    }.get(view, access_waiting_for)
    return selector(actor=actor)


def access_export_rows(rows: QuerySet[AccessGrant]) -> Iterator[list[Any]]:
    for g in rows.iterator(chunk_size=500):
        yield [
            g.complaint.ref,
            g.complaint.agency.code,
            g.grantee_agency.code,
            _name(g.requested_by),
            _local(g.requested_at),
            g.request_comment,
            g.get_status_display(),
            _name(g.decided_by),
            _local(g.decided_at),
            g.decision_comment,
            _local(g.removed_at),
        ]


def referral_rows(*, actor: User, view: str) -> QuerySet[Referral]:
    return referrals_for(actor=actor, view=view if view in REFERRAL_VIEWS else "incoming")


def referral_export_rows(rows: QuerySet[Referral]) -> Iterator[list[Any]]:
    for r in rows.iterator(chunk_size=500):
        yield [
            r.complaint.ref,
            r.from_agency.code,
            r.to_agency.code,
            _name(r.referred_by),
            _local(r.referred_at),
            r.comment,
            r.get_status_display(),
            _name(r.decided_by),
            _local(r.decided_at),
            r.decision_comment,
        ]


def _local(value: dt.datetime | None) -> dt.datetime | None:
    from django.utils import timezone

    return timezone.localtime(value) if value is not None else None
