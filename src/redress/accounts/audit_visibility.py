"""Who may read the audit history of organisations and their people.

Found by ``redress.audit.selectors`` autodiscovery. Rules: agency users see the history of their
own agency, its users, and the shared company registry; company users see no audit trail;
system administrators see agencies, companies and users.
"""

from __future__ import annotations

from typing import Any

from redress.audit.selectors import register_history_visibility

from .policy import actor_for


def _pk(target_id: str) -> int | None:
    return int(target_id) if target_id.isdigit() and len(target_id) < 19 else None


def _agency_of_member(user_id: int) -> int | None:
    from redress.agencies.models import AgencyMembership

    return AgencyMembership.objects.filter(user_id=user_id).values_list("agency_id", flat=True).first()


def _agency(reader: Any, target_id: str) -> bool:
    actor, pk = actor_for(reader), _pk(target_id)
    return pk is not None and (actor.is_system_admin or (actor.is_agency_user and actor.agency_id == pk))


def _agency_membership(reader: Any, target_id: str) -> bool:
    from redress.agencies.models import AgencyMembership

    actor, pk = actor_for(reader), _pk(target_id)
    if pk is None:
        return False
    agency_id = AgencyMembership.objects.filter(pk=pk).values_list("agency_id", flat=True).first()
    if agency_id is None:
        return False
    return actor.is_system_admin or (actor.is_agency_user and actor.agency_id == agency_id)


def _user(reader: Any, target_id: str) -> bool:
    actor, pk = actor_for(reader), _pk(target_id)
    if pk is None:
        return False
    if actor.is_system_admin:
        return True
    return actor.is_agency_user and _agency_of_member(pk) == actor.agency_id


def _registry(reader: Any, target_id: str) -> bool:
    """Companies and their memberships: the shared registry, read by agencies, not by companies."""
    actor = actor_for(reader)
    return _pk(target_id) is not None and (actor.is_system_admin or actor.is_agency_user)


register_history_visibility("agencies.agency", _agency)
register_history_visibility("agencies.agencymembership", _agency_membership)
register_history_visibility("accounts.user", _user)
register_history_visibility("companies.company", _registry)
register_history_visibility("companies.companymembership", _registry)
