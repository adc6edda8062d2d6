"""Refusal and concurrency helpers shared by the company services.

Invariants:
- A refusal is recorded as a security audit event in its own transaction, before anything is
  written, and then raised: NotFound when the company is outside what the actor may see (so it
  answers like a missing one), PermissionDenied when it is visible but not changeable.
- ``actor=None`` is the system itself (management commands, demo data) and is never refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from django.db import models

from redress.accounts.policy import Actor, actor_for, can_view_company
from redress.audit.services import audit_record_security
from redress.core.errors import NotFound, PermissionDenied, PreconditionFailed

if TYPE_CHECKING:
    from collections.abc import Callable

    from redress.accounts.models import User

    from .models import Company


def refuse(
    user: User | None, action: str, target: models.Model | None, *, company_id: int | None, not_found: bool = False
) -> NoReturn:
    audit_record_security(
        actor=user,
        action=f"{action}.denied",
        target=target,
        reason="out of scope" if not_found else "not permitted",
        company_id=company_id,
    )
    if not_found:
        raise NotFound()
    raise PermissionDenied()


def require(
    user: User | None,
    action: str,
    company: Company | None,
    allowed: Callable[[Actor], bool],
    *,
    target: models.Model | None = None,
) -> None:
    """Refuse unless ``allowed(actor)``; out-of-view companies answer NotFound."""
    if user is None:
        return
    actor = actor_for(user)
    company_id = company.pk if company is not None else None
    if company is not None and not can_view_company(actor, company):
        refuse(user, action, target or company, company_id=company_id, not_found=True)
    if not allowed(actor):
        refuse(user, action, target or company, company_id=company_id)


def check_version(current: int, expected: int | None) -> None:
    if expected is not None and current != expected:
        raise PreconditionFailed()
