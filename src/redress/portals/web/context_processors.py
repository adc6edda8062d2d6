"""Role-aware navigation for the shared layout."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from redress.accounts.policy import actor_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    items: list[tuple[str, str]] = []
    actor = None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        actor = actor_for(user)
        items.append(("Home", reverse("home")))
        if actor.is_system_admin:
            items.append(("Agencies", reverse("web:agency_list")))
        if actor.is_agency_user and actor.is_agency_admin:
            items.append(("Agency users", reverse("web:agency_detail", args=[actor.agency_id])))
        if actor.has_complaints_role:
            items.append(("Complaints", reverse("web:complaint_list")))
        if actor.is_system_admin or actor.is_agency_user:
            items.append(("Companies", reverse("web:company_list")))
        if actor.is_company_user:
            if actor.complaints_access in ("view", "manage"):
                items.append(("Complaints", reverse("company:complaint_list")))
                items.append(("Tasks", reverse("company:task_list")))
            items.append(("My company", reverse("web:company_detail", args=[actor.company_id])))
        if actor.is_agency_user:
            items.append(("Documents", reverse("web:document_upload")))
        if actor.has_complaints_role:
            items.append(("Reports", reverse("web:report_ir_activity")))
        if actor.is_agency_user and actor.is_supervisor:
            items.append(("Records", reverse("web:records_holds")))
        if actor.is_agency_user and actor.can_manage_complaints:
            items.append(("Communications", reverse("web:communication_templates")))
        items.append(("Notifications", reverse("web:notification_list")))
        items.append(("Account", reverse("web:account")))
    current = request.path
    return {
        "nav_items": [
            {"label": label, "url": url, "current": current == url or (url != "/" and current.startswith(url))}
            for label, url in items
        ],
        "actor": actor,
        "mfa_required": settings.REDRESS_REQUIRE_MFA,
    }
