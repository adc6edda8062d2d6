"""Reading the audit trail, scoped to what the reader may see.

Invariants:
- The audit app never decides who may see a domain object: each domain app registers a
  visibility callback for its target types (``register_history_visibility``) in its
  ``audit_visibility`` module, found by autodiscovery. Audit imports no domain app.
- A target type without a registered callback, or one the callback refuses, answers NotFound,
  exactly like a target that does not exist.
- Only business events are shown; security events (refusals, sign-in failures) stay out of
  object histories.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.module_loading import autodiscover_modules

from redress.core.errors import NotFound

from .models import AuditEvent

# (reader, target_id) -> may the reader see this target's history? ``reader`` is a signed-in user.
VisibilityCheck = Callable[[Any, str], bool]

_checks: dict[str, VisibilityCheck] = {}
_discovered = False


def register_history_visibility(target_type: str, check: VisibilityCheck) -> None:
    """Declare who may read the history of ``target_type`` (``"<app_label>.<model_name>"``)."""
    _checks[target_type] = check


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("audit_visibility")
        _discovered = True


def registered_target_types() -> list[str]:
    _discover()
    return sorted(_checks)


def can_see_history(*, actor: Any, target_type: str, target_id: str) -> bool:
    _discover()
    check = _checks.get(target_type)
    if check is None or actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return bool(check(actor, str(target_id)))


def history_for(*, actor: Any, target_type: str, target_id: str) -> QuerySet[AuditEvent]:
    """The target's business events, oldest first. Raises NotFound when the actor may not see it."""
    if not can_see_history(actor=actor, target_type=target_type, target_id=target_id):
        raise NotFound("No such record.")
    return (
        AuditEvent.objects.filter(target_type=target_type, target_id=str(target_id), is_security=False)
        .select_related("actor")
        .order_by("id")
    )
