"""Read-only audit history of one record."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from redress.audit.selectors import history_for
from redress.core.errors import NotFound

# A record's history is short; the API pages through longer ones.
MAX_ROWS = 500


@login_required
def history(request: HttpRequest, target_type: str, target_id: str) -> HttpResponse:
    try:
        events = history_for(actor=request.user, target_type=target_type, target_id=target_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    rows = list(events.order_by("-id")[: MAX_ROWS + 1])
    truncated = len(rows) > MAX_ROWS
    rows = rows[:MAX_ROWS]
    changes = [
        {
            "event": event,
            "who": (event.actor.full_name or event.actor.email) if event.actor else event.actor_label,
            "fields": [
                {"name": name, "old": event.old_values.get(name), "new": event.new_values.get(name)}
                for name in sorted({*event.old_values, *event.new_values})
            ],
        }
        for event in rows
    ]
    label = rows[0].target_label if rows else ""
    context = {
        "label": label,
        "rows": changes,
        "truncated": truncated,
        "max_rows": MAX_ROWS,
        "api_url": f"/api/v1/audit/{target_type}/{target_id}",
        "time_zone": settings.TIME_ZONE,
    }
    return render(request, "web/history/history.html", context)
