"""The retention line shown on an agency complaint record."""

from __future__ import annotations

from typing import Any

from django import template

from redress.accounts.policy import actor_for
from redress.complaints.models import Complaint
from redress.records.selectors import retention_for

register = template.Library()


@register.inclusion_tag("web/records/_retention.html", takes_context=True)
def complaint_retention(context: dict[str, Any], complaint: Complaint) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    actor = actor_for(user) if user is not None and user.is_authenticated else None
    own = actor is not None and actor.is_agency_user and actor.agency_id == complaint.agency_id
    return {"retention": retention_for(complaint), "complaint": complaint, "can_export": own}
