"""Who a signed-in user is, organisationally, and the predicates every service and selector uses.

Invariants:
- A user is at most one of: system administrator, agency user (one agency, at most one
  complaints role; none for a user with system roles only), company user (one company).
  ``actor_for`` resolves that once per request.
- Every "may X do Y to Z" question in the system is answered here or in a selector built on
  these predicates; views and API operations never decide permissions themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from redress.agencies.constants import ComplaintsRole
from redress.companies.constants import ComplaintsAccess

if TYPE_CHECKING:
    from redress.accounts.models import User
    from redress.agencies.models import Agency
    from redress.companies.models import Company

ActorKind = Literal["system_admin", "agency", "company", "none"]


@dataclass(frozen=True)
class Actor:
    user: User
    kind: ActorKind
    agency_id: int | None = None
    complaints_role: str | None = None
    is_agency_admin: bool = False
    company_id: int | None = None
    is_company_admin: bool = False
    complaints_access: str = ComplaintsAccess.NONE

    @property
    def is_system_admin(self) -> bool:
        return self.kind == "system_admin"

    @property
    def is_agency_user(self) -> bool:
        return self.kind == "agency"

    @property
    def is_company_user(self) -> bool:
        return self.kind == "company"

    @property
    def has_complaints_role(self) -> bool:
        """An agency user with a complaints role; one with system roles only has none."""
        return self.kind == "agency" and bool(self.complaints_role)

    @property
    def can_manage_complaints(self) -> bool:
        """Agency Supervisors and Managers (Viewers read only)."""
        return self.kind == "agency" and self.complaints_role in (ComplaintsRole.SUPERVISOR, ComplaintsRole.MANAGER)

    @property
    def is_supervisor(self) -> bool:
        return self.kind == "agency" and self.complaints_role == ComplaintsRole.SUPERVISOR


def actor_for(user: User | None) -> Actor:
    """Resolve (and cache on the user object) what this user is."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        raise ValueError("actor_for needs an active, signed-in user")
    cached = getattr(user, "_redress_actor", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    actor = _resolve(user)
    user._redress_actor = actor  # type: ignore[attr-defined]
    return actor


def forget_actor(user: User) -> None:
    """Drop the cached resolution after a membership change."""
    if hasattr(user, "_redress_actor"):
        del user._redress_actor


def _resolve(user: User) -> Actor:
    if user.is_system_admin:
        return Actor(user=user, kind="system_admin")
    from redress.agencies.models import AgencyMembership
    from redress.companies.models import CompanyMembership

    agency_m = AgencyMembership.objects.filter(user=user).first()
    if agency_m is not None:
        return Actor(
            user=user,
            kind="agency",
            agency_id=agency_m.agency_id,
            complaints_role=agency_m.complaints_role or None,
            is_agency_admin=agency_m.is_account_admin,
        )
    company_m = CompanyMembership.objects.filter(user=user).first()
    if company_m is not None:
        return Actor(
            user=user,
            kind="company",
            company_id=company_m.company_id,
            is_company_admin=company_m.is_account_admin,
            complaints_access=company_m.complaints_access,
        )
    return Actor(user=user, kind="none")


# --- predicates over organisations -------------------------------------------------------------


def can_view_agency(actor: Actor, agency: Agency) -> bool:
    return actor.is_system_admin or (actor.is_agency_user and actor.agency_id == agency.pk)


def can_manage_agency(actor: Actor, agency: Agency) -> bool:
    """Edit the agency profile and settings, and manage its users."""
    return actor.is_system_admin or (actor.is_agency_user and actor.is_agency_admin and actor.agency_id == agency.pk)


def can_view_company(actor: Actor, company: Company) -> bool:
    """The registry is shared: every agency user and system admin sees it; a company only itself."""
    if actor.is_system_admin or actor.is_agency_user:
        return True
    return actor.is_company_user and actor.company_id == company.pk


def can_edit_company_registry(actor: Actor, company: Company | None = None) -> bool:
    """Registry data (names, NMLS IDs, licences, branches) is maintained by system admins and by
    agency Supervisors, Managers and account administrators."""
    if actor.is_system_admin:
        return True
    return actor.is_agency_user and (actor.can_manage_complaints or actor.is_agency_admin)


def can_edit_company_profile(actor: Actor, company: Company) -> bool:
    """Contact details and notification addresses: the company's own account administrators too."""
    if can_edit_company_registry(actor, company):
        return True
    return actor.is_company_user and actor.is_company_admin and actor.company_id == company.pk


def can_manage_company_users(actor: Actor, company: Company) -> bool:
    if actor.is_system_admin:
        return True
    return actor.is_company_user and actor.is_company_admin and actor.company_id == company.pk


def can_mark_supervised(actor: Actor, agency: Agency) -> bool:
    return actor.is_system_admin or (
        actor.is_agency_user and actor.agency_id == agency.pk and (actor.can_manage_complaints or actor.is_agency_admin)
    )


def can_enroll_company(actor: Actor) -> bool:
    """Start company enrollment or remind the invitee: agency Supervisors and Managers only; an
    account administrator without one of those complaints roles may not."""
    return actor.can_manage_complaints


def can_manage_communications(actor: Actor, agency: Agency) -> bool:
    """Edit the agency's communication templates and send them to supervised companies."""
    return actor.can_manage_complaints and actor.agency_id == agency.pk
