"""Shared plumbing of the sharing pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from redress.accounts.policy import actor_for
from redress.agencies.models import Agency
from redress.complaints import policy

from ..complaints.common import user_of


def require_complaints_user(request: HttpRequest) -> None:
    """Agency users with a complaints role only; anyone else is answered as for a missing page."""
    if not policy.is_complaints_user(actor_for(user_of(request))):
        raise Http404


def agency_choices() -> list[tuple[int, str]]:
    return [(a.pk, f"{a.name} ({a.code})") for a in Agency.objects.order_by("name")]
