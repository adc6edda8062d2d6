"""Reading the audit trail, scoped to what the reader may see.

Invariants:
- The audit app never decides who may see a domain object: each domain app registers a
  visibility callback for its target types (``register_history_visibility``) in its
  ``audit_visibility`` module, found by autodiscovery. Audit imports no domain app.
- A target type without a registered callback, or one the callback refuses, answers NotFound,
  exactly like a target that does not exist.
- Reading several targets at once leaves out those the reader may not see; an app may register a
  bulk callback so that costs one visibility query instead of one per target.
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
# (reader, target_ids) -> the ids among them whose history the reader may see.
BulkVisibilityCheck = Callable[[Any, list[str]], set[str]]

_checks: dict[str, VisibilityCheck] = {}
_bulk_checks: dict[str, BulkVisibilityCheck] = {}
_discovered = False


def register_history_visibility(
    target_type: str, check: VisibilityCheck, *, bulk: BulkVisibilityCheck | None = None
) -> None:
    """Declare who may read the history of ``target_type`` (``"<app_label>.<model_name>"``).
    ``bulk`` must answer exactly as ``check`` would for each id."""
    _checks[target_type] = check
    if bulk is not None:
        _bulk_checks[target_type] = bulk


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


def histories_for(*, actor: Any, target_type: str, target_ids: list[str]) -> QuerySet[AuditEvent]:
    """The business events of several targets of one type, oldest first; targets the actor may
    not see are left out (never an error, since the caller asked for a set)."""
    _discover()
    ids = [str(i) for i in target_ids]
    if not ids or actor is None or not getattr(actor, "is_authenticated", False) or target_type not in _checks:
        return AuditEvent.objects.none()
    bulk = _bulk_checks.get(target_type)
    visible = bulk(actor, ids) if bulk is not None else {i for i in ids if _checks[target_type](actor, i)}
    return (
        AuditEvent.objects.filter(target_type=target_type, target_id__in=sorted(visible), is_security=False)
        .select_related("actor")
        .order_by("id")
    )
