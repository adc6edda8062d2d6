"""The agency home task list of Information Requests."""

from __future__ import annotations

from typing import Any

from django import template

from redress.information_requests.selectors import agency_ir_tasks_for

register = template.Library()


@register.inclusion_tag("web/irs/_home_tasks.html", takes_context=True)
def agency_ir_tasks(context: dict[str, Any]) -> dict[str, Any]:
    tasks = agency_ir_tasks_for(actor=context["request"].user)
    return {"to_review": tasks.to_review, "overdue": tasks.overdue}
