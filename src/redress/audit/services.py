"""Writing the audit trail.

Invariants:
- ``audit_record`` must run inside the caller's transaction: the event commits or rolls back
  with the change it describes (never one without the other).
- Appends are serialised by locking the chain head, so ``hash`` of row n is computed over row n's
  content plus ``hash`` of row n-1, with no forks under concurrency.
- ``audit_record_security`` commits on its own, so a refused action is recorded even though the
  refused change itself is rolled back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import models, transaction

from redress.core import clock
from redress.core.context import current_client_ip, current_request_id

from .models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


def _json_default(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def canonical(value: Any) -> Any:
    """Round-trip through JSON so stored and hashed values are the same plain types."""
    return json.loads(json.dumps(value, default=_json_default, sort_keys=True))


def compute_hash(event: AuditEvent) -> str:
    payload = {
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "agency_id": event.agency_id,
        "company_id": event.company_id,
        "old_values": event.old_values,
        "new_values": event.new_values,
        "reason": event.reason,
        "request_id": event.request_id,
        "ip_address": event.ip_address,
        "is_security": event.is_security,
        "prev_hash": event.prev_hash,
    }
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=_json_default)
    return hashlib.sha256(blob.encode()).hexdigest()


def _target_fields(target: models.Model | None) -> dict[str, str]:
    if target is None:
        return {"target_type": "", "target_id": "", "target_label": ""}
    meta = target._meta
    return {
        "target_type": f"{meta.app_label}.{meta.model_name}",
        "target_id": str(target.pk),
        "target_label": str(target)[:300],
    }


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    reason: str = "",
    agency_id: int | None = None,
    company_id: int | None = None,
    security: bool = False,
) -> AuditEvent:
    """Append one event. ``actor`` is a user or ``None`` for the system itself."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the transaction of the change it records")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        singleton=1, defaults={"last_hash": GENESIS_HASH}
    )
    actor_obj = actor if getattr(actor, "pk", None) else None
    event = AuditEvent(
        occurred_at=clock.now(),
        actor=actor_obj,
        actor_label=getattr(actor_obj, "email", "") if actor_obj else "system",
        action=action,
        agency_id=agency_id,
        company_id=company_id,
        old_values=canonical(old or {}),
        new_values=canonical(new or {}),
        reason=reason,
        request_id=current_request_id(),
        ip_address=current_client_ip(),
        is_security=security,
        prev_hash=head.last_hash,
        **_target_fields(target),
    )
    event.hash = compute_hash(event)
    event.save()
    head.last_hash = event.hash
    head.last_event_id = event.pk
    head.save(update_fields=["last_hash", "last_event_id"])
    return event


def audit_record_security(
    *, actor: Any, action: str, target: models.Model | None = None, reason: str = "", **extra: Any
) -> AuditEvent:
    """Record a refused or suspicious action in its own transaction."""
    with transaction.atomic():
        return audit_record(actor=actor, action=action, target=target, reason=reason, security=True, **extra)


def changed_fields(
    instance: models.Model, fields: list[str], values: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (old, new) for the fields whose value actually changes."""
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for name in fields:
        if name in values and getattr(instance, name) != values[name]:
            old[name] = getattr(instance, name)
            new[name] = values[name]
    return old, new
