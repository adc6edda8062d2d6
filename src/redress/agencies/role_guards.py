"""Checks other parts of the system place on a change of an agency user's complaints role.

Invariants:
- The agencies app knows nothing of complaints; the app that gives a role its duties registers a
  guard here (in its ``ready``), and ``agency_user_update`` asks every guard, under its lock,
  before it saves a role change. A guard refuses by returning an ``ApplicationError``.
- Guards only read: they never write, so a refusal leaves everything as it was.
"""

from __future__ import annotations

from collections.abc import Callable

from redress.core.errors import ApplicationError

from .models import AgencyMembership

# (membership as it is, the complaints role it would get) -> a refusal, or None
RoleChangeGuard = Callable[[AgencyMembership, str], ApplicationError | None]
_GUARDS: dict[str, RoleChangeGuard] = {}


def register_role_change_guard(name: str, guard: RoleChangeGuard) -> None:
    """Register (or replace, by name: ``ready`` may run more than once) a guard."""
    _GUARDS[name] = guard


def role_change_refusal(membership: AgencyMembership, new_role: str) -> ApplicationError | None:
    for guard in _GUARDS.values():
        refusal = guard(membership, new_role)
        if refusal is not None:
            return refusal
    return None
