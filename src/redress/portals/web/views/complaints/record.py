"""The complaint record: one page per tab, each a real URL that works without JavaScript."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from redress.accounts.policy import actor_for
from redress.audit.selectors import history_for
from redress.companies.constants import BusinessType
from redress.complaints import policy
from redress.complaints.document_access import complaint_documents_for
from redress.complaints.models import Complaint
from redress.complaints.ui_selectors import closures_for, research_entries_for, violations_for
from redress.core.errors import NotFound
from redress.documents.selectors import documents_attached_to_each

from .common import abilities, load_complaint, user_of
from .related_tab import related_tab_context

TABS = (
    ("", "Summary"),
    ("details", "Details"),
    ("information-requests", "Information Requests"),
    ("research", "Research & Communication"),
    ("violations", "Alleged Violations"),
    ("related", "Related items"),
    ("history", "History"),
    ("closures", "All Closures"),
    ("access", "View Access"),
)
MAX_HISTORY_ROWS = 200


def can_see_restricted(request: HttpRequest, complaint: Complaint) -> bool:
    """Restricted complainant details: only complaints users of the owning agency (the complaint
    was loaded through the reader's scope, so they may view it)."""
    return policy.can_see_complainant(actor_for(user_of(request)), complaint)


def _history(request: HttpRequest, complaint: Complaint) -> dict[str, Any]:
    try:
        events = history_for(actor=user_of(request), target_type="complaints.complaint", target_id=str(complaint.pk))
    except NotFound as exc:
        raise Http404 from exc
    rows = list(events.order_by("-id")[: MAX_HISTORY_ROWS + 1])
    return {
        "history_rows": [
            {
                "event": e,
                "who": (e.actor.full_name or e.actor.email) if e.actor else e.actor_label,
                "fields": [
                    {"name": n, "old": e.old_values.get(n), "new": e.new_values.get(n)}
                    for n in sorted({*e.old_values, *e.new_values})
                ],
            }
            for e in rows[:MAX_HISTORY_ROWS]
        ],
        "history_truncated": len(rows) > MAX_HISTORY_ROWS,
        "time_zone": settings.TIME_ZONE,
    }


def record_context(request: HttpRequest, complaint: Complaint, tab: str) -> dict[str, Any]:
    user = user_of(request)
    context: dict[str, Any] = {
        "complaint": complaint,
        "tab": tab,
        # The history holds every earlier complainant value: with restricted details it is the owner's.
        "tabs": [t for t in TABS if t[0] != "history" or can_see_restricted(request, complaint)],
        "can": abilities(request, complaint),
        "show_restricted": can_see_restricted(request, complaint),
        "business_type_label": dict(BusinessType.choices).get(complaint.business_type, complaint.business_type),
        "closures": list(closures_for(actor=user, complaint=complaint)) if tab in ("", "closures") else [],
    }
    if context["closures"]:
        context["closure_documents"] = documents_attached_to_each(
            actor=user, attached_type="complaints.closure", attached_ids=[str(c.pk) for c in context["closures"]]
        )
    if tab == "":
        context["documents"] = complaint_documents_for(actor=user, complaint=complaint)
    if tab == "research":
        context["entries"] = list(research_entries_for(actor=user, complaint=complaint))
    elif tab == "violations":
        context["violations"] = [
            (v, v.created_by_id == user.pk or complaint.agency_poc_id == user.pk)
            for v in violations_for(actor=user, complaint=complaint)
        ]
    elif tab == "history":
        context.update(_history(request, complaint))
    elif tab == "related":
        context.update(related_tab_context(request, complaint))
    return context


@login_required
def complaint_detail(request: HttpRequest, ref: str, tab: str = "") -> HttpResponse:
    if tab not in dict(TABS):
        raise Http404
    complaint = load_complaint(request, ref)
    return render(request, "web/complaints/record.html", record_context(request, complaint, tab))
