"""Reading agencies and their users, scoped to the actor.

Invariants:
- System administrators see every agency; an agency user sees only their own; company users and
  users without an organisation see none. An agency out of scope answers NotFound, like a missing one.
- Any user of an agency may list its users (complaint assignment needs the names); managing them
  is decided by ``can_manage_agency`` in the services.
"""

from __future__ import annotations

from django.db.models import QuerySet

from redress.accounts.models import User
from redress.accounts.policy import actor_for, can_view_agency
from redress.core.errors import NotFound

from .models import Agency, AgencyMembership


def agency_list_for(actor: User) -> QuerySet[Agency]:
    who = actor_for(actor)
    if who.is_system_admin:
        return Agency.objects.all()
    if who.is_agency_user and who.agency_id is not None:
        return Agency.objects.filter(pk=who.agency_id)
    return Agency.objects.none()


def agency_get_for(actor: User, pk: int) -> Agency:
    agency = Agency.objects.filter(pk=pk).first()
    if agency is None or not can_view_agency(actor_for(actor), agency):
        raise NotFound("No such agency.")
    return agency


def agency_users_for(actor: User, agency: Agency) -> QuerySet[AgencyMembership]:
    if not can_view_agency(actor_for(actor), agency):
        raise NotFound("No such agency.")
    return (
        AgencyMembership.objects.filter(agency=agency)
        .select_related("user")
        .order_by("-user__is_active", "user__full_name", "user__email")
    )


def agency_membership_get_for(actor: User, agency: Agency, user_id: int) -> AgencyMembership:
    membership = agency_users_for(actor, agency).filter(user_id=user_id).first()
    if membership is None:
        raise NotFound("No such user in this agency.")
    return membership
