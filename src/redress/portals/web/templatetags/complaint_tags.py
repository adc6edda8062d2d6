"""Template helpers of the complaint pages: money in dollars, documents by record, the agency home panels."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from redress.accounts.policy import actor_for
from redress.complaints.constants import OPEN_STATUSES, Status
from redress.complaints.selectors import ComplaintFilters, complaint_list_for

register = template.Library()
HOME_ROWS = 10


@register.filter
def dollars(cents: int | None) -> str:
    """12345 -> "123.45" with thousands separators; None -> ""."""
    if cents is None:
        return ""
    return f"{(Decimal(cents) / 100):,.2f}"


@register.filter
def documents_of(documents: dict[str, list[Any]] | None, pk: int) -> list[Any]:
    """The documents of one record from a {record id: documents} map."""
    return (documents or {}).get(str(pk), [])


@register.inclusion_tag("web/complaints/_home_panels.html", takes_context=True)
def complaint_home_panels(context: dict[str, Any]) -> dict[str, Any]:
    """My open complaints, complaints pending review (Supervisors and Managers), recently closed."""
    request = context["request"]
    user = request.user
    actor = actor_for(user)
    if not actor.has_complaints_role:
        return {"show": False}
    mine = complaint_list_for(
        actor=user, filters=ComplaintFilters(statuses=tuple(OPEN_STATUSES), agency_poc_id=user.pk)
    )
    pending = (
        complaint_list_for(actor=user, filters=ComplaintFilters(statuses=(Status.PENDING,)))
        if actor.can_manage_complaints
        else None
    )
    closed = complaint_list_for(actor=user, filters=ComplaintFilters(statuses=(Status.CLOSED,))).order_by(
        "-closed_on", "-id"
    )
    return {
        "show": True,
        "mine": list(mine[:HOME_ROWS]),
        "pending": list(pending[:HOME_ROWS]) if pending is not None else None,
        "closed": list(closed[:HOME_ROWS]),
        "can_create": actor.can_manage_complaints,
    }
