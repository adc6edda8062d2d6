"""Audit history of a record, for readers allowed to see it (the audit selector decides)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.params import functions as params

from redress.accounts.models import User
from redress.audit.models import AuditEvent
from redress.audit.selectors import history_for

from ..errors import responses
from ..pagination import PageParams, page_response, paginate
from ..schemas.audit import HistoryEventOut, HistoryPage
from ._common import caller

router = Router(tags=["Audit history"])


def event_out(event: AuditEvent) -> HistoryEventOut:
    actor = event.actor
    return HistoryEventOut(
        id=event.pk,
        occurred_at=event.occurred_at,
        actor=(actor.full_name or actor.email) if actor is not None else event.actor_label,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        target_label=event.target_label,
        old_values=event.old_values,
        new_values=event.new_values,
        reason=event.reason,
    )


def history_page(user: User, target_type: str, target_id: str, page: PageParams) -> dict[str, Any]:
    events = history_for(actor=user, target_type=target_type, target_id=target_id)
    return page_response(paginate(events, keys=("id",), cursor=page.cursor, limit=page.limit), event_out)


@router.get(
    "/audit/{target_type}/{target_id}",
    response=responses({200: HistoryPage}, 404),
    summary="History of a record",
    description="Business events for one record, oldest first. `target_type` is `<app>.<model>`, "
    "e.g. `agencies.agency`; company users have no access to the audit trail.",
)
def record_history(
    request: HttpRequest,
    page: Query[PageParams],
    target_type: str = params.Path(..., max_length=80, pattern=r"^[a-z_]+\.[a-z_]+$"),
    target_id: str = params.Path(..., max_length=64),
) -> dict[str, Any]:
    return history_page(caller(request), target_type, target_id, page)
