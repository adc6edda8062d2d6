"""Company users, account administrators and the Complaints Contact.

Invariants:
- Company users are created, changed and deactivated by the company's own account admins or a
  system admin (``can_manage_company_users``); ``actor=None`` is the system (enrollment, demo).
- A user belongs to at most one agency or company: an email already in use is refused.
- A company keeps between MIN and MAX active account admins: the last one can be neither
  demoted nor deactivated, and a fourth is refused. The company row is locked while counting,
  so two concurrent changes cannot both pass the check.
- The Complaints Contact is one active user of that company with "manage" complaints access;
  the contact cannot lose that access or be deactivated until someone else is named.
- A new user gets a set-password email through the outbox in the same transaction.
"""

from __future__ import annotations

from django.db import transaction

from redress.accounts.models import User
from redress.accounts.policy import can_manage_company_users, forget_actor
from redress.accounts.services import user_send_password_setup
from redress.audit.services import audit_record
from redress.core.errors import ApplicationError, Conflict

from .constants import MAX_COMPANY_ACCOUNT_ADMINS, MIN_COMPANY_ACCOUNT_ADMINS, ComplaintsAccess
from .guards import check_version, require
from .models import Company, CompanyMembership
from .validation import clean_email, clean_phone, clean_text


def _active_admin_count(company: Company) -> int:
    return CompanyMembership.objects.filter(company=company, is_account_admin=True, user__is_active=True).count()


def _clean_access(value: str) -> str:
    if value not in ComplaintsAccess.values:
        raise ApplicationError(
            "invalid_complaints_access", "Choose a complaints access level.", field="complaints_access"
        )
    return value


def company_user_create(
    *,
    actor: User | None,
    company: Company,
    email: str,
    full_name: str,
    is_account_admin: bool = False,
    complaints_access: str = ComplaintsAccess.NONE,
    phone: str = "",
) -> User:
    require(actor, "company.user_create", company, lambda a: can_manage_company_users(a, company))
    address = clean_email(email)
    name = clean_text(full_name, field="full_name", max_length=200, required=True, label="Name")
    phone_value = clean_phone(phone)
    access = _clean_access(complaints_access)
    with transaction.atomic():
        Company.objects.select_for_update().filter(pk=company.pk).first()
        if User.objects.filter(email__iexact=address).exists():
            raise Conflict(
                "email_in_use",
                "That email address already has an account; a person belongs to one agency or company only.",
                field="email",
            )
        if is_account_admin and _active_admin_count(company) >= MAX_COMPANY_ACCOUNT_ADMINS:
            raise Conflict(
                "too_many_account_admins",
                f"A company can have at most {MAX_COMPANY_ACCOUNT_ADMINS} account administrators.",
                field="is_account_admin",
            )
        user = User.objects.create_user(address, None, full_name=name, phone=phone_value)
        membership = CompanyMembership.objects.create(
            user=user, company=company, is_account_admin=is_account_admin, complaints_access=access
        )
        audit_record(
            actor=actor,
            action="company.user_created",
            target=membership,
            new={
                "email": address,
                "full_name": name,
                "is_account_admin": is_account_admin,
                "complaints_access": access,
            },
            company_id=company.pk,
        )
        user_send_password_setup(actor=actor, user=user, reason="company_user_created")
    return user


def _membership(company: Company, user: User) -> CompanyMembership:
    return CompanyMembership.objects.select_related("user").get(company=company, user=user)


def company_user_update(
    *,
    actor: User | None,
    company: Company,
    user: User,
    expected_version: int,
    is_account_admin: bool | None = None,
    complaints_access: str | None = None,
    full_name: str | None = None,
) -> CompanyMembership:
    require(actor, "company.user_update", company, lambda a: can_manage_company_users(a, company), target=user)
    access = _clean_access(complaints_access) if complaints_access is not None else None
    name = clean_text(full_name, field="full_name", max_length=200, required=True, label="Name") if full_name else None
    with transaction.atomic():
        locked = Company.objects.select_for_update().get(pk=company.pk)
        try:
            membership = (
                CompanyMembership.objects.select_for_update().select_related("user").get(company=locked, user=user)
            )
        except CompanyMembership.DoesNotExist:
            raise ApplicationError("not_found", "That user is not in this company.", field="user") from None
        check_version(membership.version, expected_version)
        old: dict[str, object] = {}
        new: dict[str, object] = {}
        if is_account_admin is not None and is_account_admin != membership.is_account_admin:
            active = membership.user.is_active
            if is_account_admin and active and _active_admin_count(locked) >= MAX_COMPANY_ACCOUNT_ADMINS:
                raise Conflict(
                    "too_many_account_admins",
                    f"A company can have at most {MAX_COMPANY_ACCOUNT_ADMINS} account administrators.",
                    field="is_account_admin",
                )
            if not is_account_admin and active and _active_admin_count(locked) <= MIN_COMPANY_ACCOUNT_ADMINS:
                raise Conflict(
                    "last_account_admin",
                    "A company needs at least one account administrator. Make someone else an administrator first.",
                    field="is_account_admin",
                )
            old["is_account_admin"], new["is_account_admin"] = membership.is_account_admin, is_account_admin
            membership.is_account_admin = is_account_admin
        if access is not None and access != membership.complaints_access:
            if locked.complaints_contact_id == user.pk and access != ComplaintsAccess.MANAGE:
                raise Conflict(
                    "complaints_contact_needs_manage",
                    "This user is the Complaints Contact, who must keep Manage access. Name another contact first.",
                    field="complaints_access",
                )
            old["complaints_access"], new["complaints_access"] = membership.complaints_access, access
            membership.complaints_access = access
        if name is not None and name != membership.user.full_name:
            old["full_name"], new["full_name"] = membership.user.full_name, name
            membership.user.full_name = name
            membership.user.save(update_fields=["full_name"])
        if new:
            membership.version += 1
            membership.save(update_fields=["is_account_admin", "complaints_access", "version"])
            audit_record(
                actor=actor, action="company.user_updated", target=membership, old=old, new=new, company_id=locked.pk
            )
    forget_actor(user)
    return membership


def company_user_deactivate(*, actor: User | None, company: Company, user: User) -> None:
    """Deactivated users keep their history but cannot sign in; they can be reactivated."""
    require(actor, "company.user_deactivate", company, lambda a: can_manage_company_users(a, company), target=user)
    if actor is not None and actor.pk == user.pk:
        raise ApplicationError("cannot_deactivate_self", "You cannot deactivate your own account.", field="user")
    with transaction.atomic():
        locked = Company.objects.select_for_update().get(pk=company.pk)
        try:
            membership = _membership(locked, user)
        except CompanyMembership.DoesNotExist:
            raise ApplicationError("not_found", "That user is not in this company.", field="user") from None
        target = membership.user
        if not target.is_active:
            return
        if membership.is_account_admin and _active_admin_count(locked) <= MIN_COMPANY_ACCOUNT_ADMINS:
            raise Conflict(
                "last_account_admin",
                "This is the company's only account administrator. Make someone else an administrator first.",
                field="user",
            )
        if locked.complaints_contact_id == target.pk:
            raise Conflict(
                "is_complaints_contact",
                "This user is the Complaints Contact. Name another contact first.",
                field="user",
            )
        target.is_active = False
        target.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="company.user_deactivated",
            target=membership,
            old={"is_active": True},
            new={"is_active": False},
            company_id=locked.pk,
        )


def company_user_reactivate(*, actor: User | None, company: Company, user: User) -> None:
    require(actor, "company.user_reactivate", company, lambda a: can_manage_company_users(a, company), target=user)
    with transaction.atomic():
        locked = Company.objects.select_for_update().get(pk=company.pk)
        try:
            membership = _membership(locked, user)
        except CompanyMembership.DoesNotExist:
            raise ApplicationError("not_found", "That user is not in this company.", field="user") from None
        target = membership.user
        if target.is_active:
            return
        if membership.is_account_admin and _active_admin_count(locked) >= MAX_COMPANY_ACCOUNT_ADMINS:
            raise Conflict(
                "too_many_account_admins",
                f"A company can have at most {MAX_COMPANY_ACCOUNT_ADMINS} account administrators.",
                field="user",
            )
        target.is_active = True
        target.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="company.user_reactivated",
            target=membership,
            old={"is_active": False},
            new={"is_active": True},
            company_id=locked.pk,
        )


def company_complaints_contact_set(
    *, actor: User | None, company: Company, user: User, expected_version: int
) -> Company:
    """Name the company's one Complaints Contact (an active user with Manage access)."""
    require(
        actor, "company.complaints_contact_set", company, lambda a: can_manage_company_users(a, company), target=user
    )
    with transaction.atomic():
        locked = Company.objects.select_for_update().get(pk=company.pk)
        check_version(locked.version, expected_version)
        membership = CompanyMembership.objects.filter(company=locked, user=user).select_related("user").first()
        if membership is None or not membership.user.is_active:
            raise ApplicationError(
                "invalid_complaints_contact", "Choose an active user of this company.", field="complaints_contact"
            )
        if membership.complaints_access != ComplaintsAccess.MANAGE:
            raise ApplicationError(
                "complaints_contact_needs_manage",
                "The Complaints Contact must have Manage complaints access.",
                field="complaints_contact",
            )
        if locked.complaints_contact_id == user.pk:
            return locked
        old_contact = locked.complaints_contact.email if locked.complaints_contact else None
        locked.complaints_contact = user
        locked.version += 1
        locked.save(update_fields=["complaints_contact", "version"])
        audit_record(
            actor=actor,
            action="company.complaints_contact_set",
            target=locked,
            old={"complaints_contact": old_contact},
            new={"complaints_contact": user.email},
            company_id=locked.pk,
        )
    return locked
