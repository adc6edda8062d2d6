"""Writing agencies and their users.

Invariants:
- Only system administrators create agencies or change an agency's code, state or active flag;
  an agency's own account administrators may change its name, contact address and settings.
- An agency out of the actor's scope is refused exactly like a missing one (NotFound); an agency
  the actor may see but not manage is refused with PermissionDenied. Both refusals are recorded
  as security events after the (unchanged) transaction.
- Every agency and membership update takes ``expected_version`` and bumps ``version``.
- A user belongs to at most one organisation: an agency, a company, or the system administrators.
- An agency never has more than ``MAX_AGENCY_ACCOUNT_ADMINS`` active account administrators; the
  count is taken under a lock on the agency row, so two concurrent grants cannot both pass.
- An agency administrator cannot leave their agency without an active administrator (they can
  neither drop their own admin flag nor deactivate themselves when they are the last one).
- A user holds at most one complaints role. An agency user with system roles only (supervisory
  activities) holds none, stored as ``NO_COMPLAINTS_ROLE`` (""); nothing else is accepted.
- A role change that other parts of the system refuse (``role_guards``; e.g. the user is still
  the Agency POC of open complaints that role could not hold) is refused and changes nothing.
- Every change writes an audit event with old and new values in the same transaction.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from redress.accounts.models import User
from redress.accounts.policy import Actor, actor_for, can_manage_agency, can_view_agency, forget_actor
from redress.accounts.services import user_send_password_setup
from redress.audit.services import audit_record, audit_record_security, changed_fields
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed

from .constants import MAX_AGENCY_ACCOUNT_ADMINS, NO_COMPLAINTS_ROLE, ComplaintsRole
from .models import Agency, AgencyMembership
from .role_guards import role_change_refusal

_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")
_STATE_RE = re.compile(r"^[A-Z]{2}$")

# Fields an agency's own account administrators may change; system admins may change all.
AGENCY_SELF_SERVICE_FIELDS = (
    "name",
    "contact_email",
    "managers_can_send_irs",
    "document_retention_years",
    "ir_reminder_days_before",
)
AGENCY_ADMIN_ONLY_FIELDS = ("code", "state", "is_active")


# --- helpers ------------------------------------------------------------------------------------


def _refuse(actor: User, action: str, agency: Agency | None, error: ApplicationError) -> ApplicationError:
    audit_record_security(
        actor=actor,
        action=action,
        target=agency,
        reason=error.detail,
        agency_id=agency.pk if agency is not None else None,
    )
    return error


def _manageable_agency(actor: User, agency_id: int, action: str) -> tuple[Actor, Agency]:
    """Resolve the agency for a write, or raise (and record) the refusal."""
    who = actor_for(actor)
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise NotFound("No such agency.")
    if not can_view_agency(who, agency):
        raise _refuse(actor, f"{action}_denied", agency, NotFound("No such agency."))
    if not can_manage_agency(who, agency):
        raise _refuse(
            actor, f"{action}_denied", agency, PermissionDenied("Only the agency's account administrators may do that.")
        )
    return who, agency


def _clean_text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ApplicationError("required", f"Enter the {label}.", field=field)
    if len(value) > max_length:
        raise ApplicationError("too_long", f"The {label} can be at most {max_length} characters.", field=field)
    return value


def _clean_email(value: str, *, field: str = "email", required: bool = True) -> str:
    value = (value or "").strip().lower()
    if not value:
        if required:
            raise ApplicationError("required", "Enter an email address.", field=field)
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise ApplicationError("invalid_email", "Enter an email address like name@example.gov.", field=field) from None
    return value


def _clean_retention(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        raise ApplicationError(
            "invalid_retention_years", "Document retention must be 1 to 100 years.", field="document_retention_years"
        )
    return value


def _clean_reminder_days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 60:
        raise ApplicationError(
            "invalid_reminder_days",
            "Reminders can go out 0 to 60 days before the due date.",
            field="ir_reminder_days_before",
        )
    return value


def _clean_role(value: str) -> str:
    if value != NO_COMPLAINTS_ROLE and value not in ComplaintsRole.values:
        raise ApplicationError(
            "invalid_role",
            "Choose a complaints role (Supervisor, Manager or Viewer) or no complaints role.",
            field="complaints_role",
        )
    return value


def _clean_agency_values(values: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "code" in values:
        code = (values["code"] or "").strip().upper()
        if not _CODE_RE.match(code):
            raise ApplicationError("invalid_agency_code", "Use 2–20 capital letters, digits or hyphens.", field="code")
        clean["code"] = code
    if "name" in values:
        clean["name"] = _clean_text(values["name"], field="name", label="agency name", max_length=200)
    if "state" in values:
        state = (values["state"] or "").strip().upper()
        if not _STATE_RE.match(state):
            raise ApplicationError("invalid_state", "Enter the two-letter postal code of the state.", field="state")
        clean["state"] = state
    if "contact_email" in values:
        clean["contact_email"] = _clean_email(values["contact_email"], field="contact_email", required=False)
    if "managers_can_send_irs" in values:
        clean["managers_can_send_irs"] = bool(values["managers_can_send_irs"])
    if "document_retention_years" in values:
        clean["document_retention_years"] = _clean_retention(values["document_retention_years"])
    if "ir_reminder_days_before" in values:
        clean["ir_reminder_days_before"] = _clean_reminder_days(values["ir_reminder_days_before"])
    if "is_active" in values:
        clean["is_active"] = bool(values["is_active"])
    return clean


def _ensure_unique_agency(*, code: str | None, name: str | None, exclude_pk: int | None = None) -> None:
    others = Agency.objects.exclude(pk=exclude_pk) if exclude_pk else Agency.objects.all()
    if code is not None and others.filter(code=code).exists():
        raise ApplicationError("agency_code_taken", "Another agency already uses this code.", field="code")
    if name is not None and others.filter(name__iexact=name).exists():
        raise ApplicationError("agency_name_taken", "Another agency already has this name.", field="name")


def _active_admin_count(agency: Agency, *, exclude_user_id: int | None = None) -> int:
    qs = AgencyMembership.objects.filter(agency=agency, is_account_admin=True, user__is_active=True)
    if exclude_user_id is not None:
        qs = qs.exclude(user_id=exclude_user_id)
    return qs.count()


def _admin_limit_error() -> ApplicationError:
    return ApplicationError(
        "agency_admin_limit",
        f"An agency can have at most {MAX_AGENCY_ACCOUNT_ADMINS} account administrators. "
        "Remove the administrator role from someone else first.",
        field="is_account_admin",
    )


def _forget(actor: User, user: User) -> None:
    forget_actor(user)
    if actor.pk == user.pk:
        # The caller's own object carries a cached resolution too (e.g. request.user).
        forget_actor(actor)


# --- agencies -----------------------------------------------------------------------------------


def agency_create(
    *,
    actor: User,
    code: str,
    name: str,
    state: str,
    contact_email: str = "",
    managers_can_send_irs: bool = False,
    document_retention_years: int = 6,
) -> Agency:
    if not actor_for(actor).is_system_admin:
        raise _refuse(actor, "agency.create_denied", None, PermissionDenied("Only system administrators add agencies."))
    values = _clean_agency_values(
        {
            "code": code,
            "name": name,
            "state": state,
            "contact_email": contact_email,
            "managers_can_send_irs": managers_can_send_irs,
            "document_retention_years": document_retention_years,
        }
    )
    with transaction.atomic():
        _ensure_unique_agency(code=values["code"], name=values["name"])
        agency = Agency.objects.create(**values)
        audit_record(actor=actor, action="agency.created", target=agency, new=values, agency_id=agency.pk)
    return agency


def agency_update(*, actor: User, agency_id: int, expected_version: int, **changes: Any) -> Agency:
    """Change agency fields; unknown field names are a programming error, not user input."""
    unknown = set(changes) - set(AGENCY_SELF_SERVICE_FIELDS) - set(AGENCY_ADMIN_ONLY_FIELDS)
    if unknown:
        raise TypeError(f"agency_update() got unexpected fields: {sorted(unknown)}")
    who, agency = _manageable_agency(actor, agency_id, "agency.update")
    if not who.is_system_admin and set(changes) & set(AGENCY_ADMIN_ONLY_FIELDS):
        raise _refuse(
            actor,
            "agency.update_denied",
            agency,
            PermissionDenied("Only system administrators change an agency's code, state or status."),
        )
    values = _clean_agency_values(changes)
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        if agency.version != expected_version:
            raise PreconditionFailed()
        old, new = changed_fields(agency, list(values), values)
        if not new:
            return agency
        _ensure_unique_agency(code=new.get("code"), name=new.get("name"), exclude_pk=agency.pk)
        for field, value in new.items():
            setattr(agency, field, value)
        agency.version += 1
        agency.save(update_fields=[*new, "version"])
        audit_record(actor=actor, action="agency.updated", target=agency, old=old, new=new, agency_id=agency.pk)
    return agency


# --- agency users -------------------------------------------------------------------------------


def agency_user_create(
    *,
    actor: User,
    agency_id: int,
    email: str,
    full_name: str,
    complaints_role: str,
    is_account_admin: bool = False,
    title: str = "",
) -> AgencyMembership:
    """Add a person to an agency and send them a link to set their password.

    An address that already signs in is linked only if it belongs to no organisation yet.
    """
    _who, agency = _manageable_agency(actor, agency_id, "agency_user.create")
    email = _clean_email(email)
    full_name = _clean_text(full_name, field="full_name", label="full name", max_length=200)
    title = _clean_text(title, field="title", label="title", max_length=120, required=False)
    complaints_role = _clean_role(complaints_role)
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is not None and (
            user.is_system_admin
            or AgencyMembership.objects.filter(user=user).exists()
            or hasattr(user, "company_membership")
        ):
            raise ApplicationError(
                "user_has_organisation",
                "This person already belongs to an agency, a company or the system administrators.",
                field="email",
            )
        if is_account_admin and _active_admin_count(agency) >= MAX_AGENCY_ACCOUNT_ADMINS:
            raise _admin_limit_error()
        created = user is None
        if user is None:
            user = User.objects.create_user(email, full_name=full_name)
        membership = AgencyMembership.objects.create(
            user=user, agency=agency, complaints_role=complaints_role, is_account_admin=is_account_admin, title=title
        )
        audit_record(
            actor=actor,
            action="agency_user.created",
            target=membership,
            new={
                "email": user.email,
                "full_name": user.full_name,
                "complaints_role": complaints_role,
                "is_account_admin": is_account_admin,
                "title": title,
                "new_account": created,
            },
            agency_id=agency.pk,
        )
        if not user.has_usable_password():
            user_send_password_setup(actor=actor, user=user, reason="invitation")
    _forget(actor, user)
    return membership


def agency_user_update(
    *,
    actor: User,
    agency_id: int,
    user_id: int,
    expected_version: int,
    complaints_role: str | None = None,
    is_account_admin: bool | None = None,
    is_active: bool | None = None,
    full_name: str | None = None,
    title: str | None = None,
) -> AgencyMembership:
    who, agency = _manageable_agency(actor, agency_id, "agency_user.update")
    membership_values: dict[str, Any] = {}
    user_values: dict[str, Any] = {}
    if complaints_role is not None:
        membership_values["complaints_role"] = _clean_role(complaints_role)
    if is_account_admin is not None:
        membership_values["is_account_admin"] = bool(is_account_admin)
    if title is not None:
        membership_values["title"] = _clean_text(title, field="title", label="title", max_length=120, required=False)
    if is_active is not None:
        user_values["is_active"] = bool(is_active)
    if full_name is not None:
        user_values["full_name"] = _clean_text(full_name, field="full_name", label="full name", max_length=200)
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        membership = (
            AgencyMembership.objects.select_for_update().select_related("user").filter(agency=agency, user_id=user_id)
        ).first()
        if membership is None:
            raise NotFound("No such user in this agency.")
        if membership.version != expected_version:
            raise PreconditionFailed()
        user = membership.user
        m_old, m_new = changed_fields(membership, list(membership_values), membership_values)
        u_old, u_new = changed_fields(user, list(user_values), user_values)
        if not m_new and not u_new:
            return membership
        admin_after = m_new.get("is_account_admin", membership.is_account_admin)
        active_after = u_new.get("is_active", user.is_active)
        counts_as_admin_after = admin_after and active_after
        counted_before = membership.is_account_admin and user.is_active
        if (
            counts_as_admin_after
            and not counted_before
            and _active_admin_count(agency, exclude_user_id=user.pk) >= MAX_AGENCY_ACCOUNT_ADMINS
        ):
            raise _admin_limit_error()
        if (
            counted_before
            and not counts_as_admin_after
            and not who.is_system_admin
            and _active_admin_count(agency, exclude_user_id=user.pk) == 0
        ):
            raise ApplicationError(
                "last_account_admin",
                "You are the agency's last account administrator. Make someone else an administrator first.",
                field="is_account_admin" if "is_account_admin" in m_new else "is_active",
            )
        if "complaints_role" in m_new:
            refusal = role_change_refusal(membership, m_new["complaints_role"])
            if refusal is not None:
                raise refusal
        if u_new:
            for field, value in u_new.items():
                setattr(user, field, value)
            user.save(update_fields=list(u_new))
        for field, value in m_new.items():
            setattr(membership, field, value)
        membership.version += 1
        membership.save(update_fields=[*m_new, "version"])
        old = {**m_old, **u_old}
        new = {**m_new, **u_new}
        action = "agency_user.updated"
        if set(new) == {"is_active"}:
            action = "agency_user.reactivated" if new["is_active"] else "agency_user.deactivated"
        audit_record(actor=actor, action=action, target=membership, old=old, new=new, agency_id=agency.pk)
    _forget(actor, user)
    return membership


def _member_for_admin_action(actor: User, agency_id: int, user_id: int, action: str) -> AgencyMembership:
    _who, agency = _manageable_agency(actor, agency_id, action)
    membership = AgencyMembership.objects.select_related("user").filter(agency=agency, user_id=user_id).first()
    if membership is None:
        raise NotFound("No such user in this agency.")
    return membership


def agency_user_send_password_link(*, actor: User, agency_id: int, user_id: int) -> AgencyMembership:
    """Email an agency user a fresh link to choose a password (lost password, expired invitation)."""
    membership = _member_for_admin_action(actor, agency_id, user_id, "agency_user.password_link")
    if not membership.user.is_active:
        raise ApplicationError("user_inactive", "Reactivate this user before sending them a password link.")
    with transaction.atomic():
        user_send_password_setup(actor=actor, user=membership.user, reason="administrator")
    return membership


def agency_user_reset_mfa(*, actor: User, agency_id: int, user_id: int) -> AgencyMembership:
    """Remove a user's authenticator app and recovery codes (lost device); they set up a new one
    at their next sign-in."""
    from allauth.mfa.models import Authenticator

    membership = _member_for_admin_action(actor, agency_id, user_id, "agency_user.mfa_reset")
    if membership.user_id == actor.pk:
        raise ApplicationError(
            "cannot_reset_own_mfa", "Ask another account administrator to reset your two-step sign-in."
        )
    with transaction.atomic():
        removed = sorted(
            Authenticator.objects.filter(user_id=membership.user_id).values_list("type", flat=True).distinct()
        )
        Authenticator.objects.filter(user_id=membership.user_id).delete()
        audit_record(
            actor=actor,
            action="agency_user.mfa_reset",
            target=membership,
            old={"authenticators": removed},
            new={"authenticators": []},
            agency_id=membership.agency_id,
        )
    return membership
