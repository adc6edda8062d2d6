"""The company task list on the home page."""

from __future__ import annotations

from typing import Any

from django import template

from redress.accounts.policy import actor_for

from ..presenters import is_company_reader, tasks_for

register = template.Library()


@register.inclusion_tag("company/_tasks.html", takes_context=True)
def company_home_tasks(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    if not is_company_reader(actor_for(user)):
        return {"show": False}
    return {"show": True, "tasks": tasks_for(user), "heading_level": 2}
