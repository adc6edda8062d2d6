"""The retention line shown on an agency complaint record."""

from __future__ import annotations

from typing import Any

from django import template

from redress.complaints.models import Complaint
from redress.records.selectors import retention_for

register = template.Library()


@register.inclusion_tag("web/records/_retention.html")
def complaint_retention(complaint: Complaint) -> dict[str, Any]:
    return {"retention": retention_for(complaint)}
