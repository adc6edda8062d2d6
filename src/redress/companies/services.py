"""Writes to the shared company registry: companies, branches, individuals, state licences,
supervision and notification addresses. Company users live in ``user_services`` and are
re-exported here.

Invariants:
- Every write is atomic and appends its audit event in the same transaction; refusals are
  recorded as security events and change nothing.
- A company's system ID (``CO-000123``) comes from ``next_reference("CO")`` and never changes.
- NMLS IDs are digits only and unique per table (companies, branches, individuals); a licence
  number is unique within one agency. Duplicates answer ``Conflict`` naming the holder.
- Registry fields (names, NMLS ID, business types) are edited by system admins and agency
  Supervisors, Managers and account admins; contact fields (address, phone, website) and
  notification addresses also by the company's own account admins.
- Updates take ``expected_version``, raise PreconditionFailed when stale, and bump the version.
- ``Company.business_types`` (display) and ``CompanyBusinessType`` rows (filtering) are always
  written together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction
from django.db.models import QuerySet

from redress.accounts.policy import (
    can_edit_company_profile,
    can_edit_company_registry,
    can_mark_supervised,
)
from redress.audit.services import audit_record, changed_fields
from redress.core.errors import ApplicationError, Conflict
from redress.core.references import next_reference

from .constants import MAX_NOTIFICATION_ADDRESSES
from .guards import check_version, require
from .models import Branch, Company, CompanyBusinessType, Individual, NotificationAddress, StateLicense, Supervision
from .user_services import (
    company_complaints_contact_set,
    company_user_create,
    company_user_deactivate,
    company_user_reactivate,
    company_user_update,
)
from .validation import (
    clean_business_types,
    clean_email,
    clean_nmls_id,
    clean_other_names,
    clean_phone,
    clean_postal_code,
    clean_state,
    clean_text,
    clean_website,
)

if TYPE_CHECKING:
    from redress.accounts.models import User
    from redress.agencies.models import Agency

__all__ = [
    "branch_add",
    "branch_remove",
    "branch_update",
    "company_complaints_contact_set",
    "company_create",
    "company_update",
    "company_user_create",
    "company_user_deactivate",
    "company_user_reactivate",
    "company_user_update",
    "individual_add",
    "individual_remove",
    "individual_update",
    "license_add",
    "license_remove",
    "license_update",
    "notification_address_add",
    "notification_address_remove",
    "supervision_mark",
    "supervision_unmark",
]

M = TypeVar("M", bound=models.Model)

REGISTRY_FIELDS = ("legal_name", "nmls_id", "other_names", "business_types")
PROFILE_FIELDS = ("street", "city", "state", "postal_code", "phone", "website")
COMPANY_FIELDS = REGISTRY_FIELDS + PROFILE_FIELDS


# --- companies ---------------------------------------------------------------------------------


def clean_company_fields(values: dict[str, Any], *, legal_name_fallback: str = "") -> dict[str, Any]:
    """Validate and normalise whichever company fields are present in ``values``."""
    unknown = set(values) - set(COMPANY_FIELDS)
    if unknown:
        raise ApplicationError("unknown_field", f"Unknown field: {sorted(unknown)[0]}.", field=sorted(unknown)[0])
    out: dict[str, Any] = {}
    if "legal_name" in values:
        out["legal_name"] = clean_text(values["legal_name"], field="legal_name", max_length=300, required=True)
    legal_name = out.get("legal_name", legal_name_fallback)
    if "nmls_id" in values:
        out["nmls_id"] = clean_nmls_id(values["nmls_id"])
    if "other_names" in values:
        out["other_names"] = clean_other_names(values["other_names"], legal_name=legal_name)
    if "business_types" in values:
        out["business_types"] = clean_business_types(values["business_types"])
    if "street" in values:
        out["street"] = clean_text(values["street"], field="street", max_length=200)
    if "city" in values:
        out["city"] = clean_text(values["city"], field="city", max_length=100)
    if "state" in values:
        out["state"] = clean_state(values["state"])
    if "postal_code" in values:
        out["postal_code"] = clean_postal_code(values["postal_code"])
    if "phone" in values:
        out["phone"] = clean_phone(values["phone"])
    if "website" in values:
        out["website"] = clean_website(values["website"])
    return out


def _others(qs: QuerySet[M], exclude_pk: int | None) -> QuerySet[M]:
    return qs if exclude_pk is None else qs.exclude(pk=exclude_pk)


def ensure_company_nmls_free(nmls_id: str | None, *, exclude_pk: int | None = None) -> None:
    if nmls_id is None:
        return
    holder = _others(Company.objects.filter(nmls_id=nmls_id), exclude_pk).first()
    if holder is not None:
        raise Conflict(
            "duplicate_nmls_id",
            f"NMLS ID {nmls_id} already belongs to {holder.legal_name} ({holder.company_ref}).",
            field="nmls_id",
        )


def _new_company_ref() -> str:
    # Records loaded with a pre-assigned ID may already hold the next counter value; skip those.
    while True:
        ref = next_reference("CO")
        if not Company.objects.filter(company_ref=ref).exists():
            return ref


def set_business_type_rows(company: Company, codes: list[str]) -> None:
    CompanyBusinessType.objects.filter(company=company).exclude(business_type__in=codes).delete()
    existing = set(CompanyBusinessType.objects.filter(company=company).values_list("business_type", flat=True))
    CompanyBusinessType.objects.bulk_create(
        [CompanyBusinessType(company=company, business_type=code) for code in codes if code not in existing]
    )


def create_company_row(*, actor: User | None, fields: dict[str, Any], action: str = "company.created") -> Company:
    """Insert an already-cleaned company inside the caller's transaction (also used by the importer)."""
    ensure_company_nmls_free(fields.get("nmls_id"))
    company = Company(company_ref=_new_company_ref(), **fields)
    company.save()
    set_business_type_rows(company, company.business_types)
    audit_record(
        actor=actor,
        action=action,
        target=company,
        new={"company_ref": company.company_ref, **fields},
        company_id=company.pk,
    )
    return company


def update_company_row(
    *, actor: User | None, company: Company, fields: dict[str, Any], action: str = "company.updated"
) -> Company:
    """Apply cleaned fields to a locked, current row inside the caller's transaction."""
    if "nmls_id" in fields:
        ensure_company_nmls_free(fields["nmls_id"], exclude_pk=company.pk)
    old, new = changed_fields(company, list(fields), fields)
    if not new:
        return company
    for name, value in new.items():
        setattr(company, name, value)
    company.version += 1
    company.save(update_fields=[*new, "version"])
    if "business_types" in new:
        set_business_type_rows(company, company.business_types)
    audit_record(actor=actor, action=action, target=company, old=old, new=new, company_id=company.pk)
    return company


def company_create(*, actor: User | None, **values: Any) -> Company:
    """Create a registry entry. Needs ``legal_name``; any other company field is optional."""
    require(actor, "company.create", None, lambda a: can_edit_company_registry(a))
    values.setdefault("legal_name", "")
    fields = clean_company_fields(values)
    with transaction.atomic():
        return create_company_row(actor=actor, fields=fields)


def company_update(*, actor: User | None, company: Company, expected_version: int, **values: Any) -> Company:
    """Change company fields. Registry fields need registry rights; contact fields profile rights."""
    touches_registry = any(name in values for name in REGISTRY_FIELDS)
    if touches_registry:
        require(actor, "company.update", company, lambda a: can_edit_company_registry(a, company))
    else:
        require(actor, "company.update", company, lambda a: can_edit_company_profile(a, company))
    fields = clean_company_fields(values, legal_name_fallback=company.legal_name)
    with transaction.atomic():
        current = Company.objects.select_for_update().get(pk=company.pk)
        check_version(current.version, expected_version)
        return update_company_row(actor=actor, company=current, fields=fields)


# --- branches and individuals --------------------------------------------------------------------


def _ensure_branch_nmls_free(nmls_id: str | None, *, exclude_pk: int | None = None) -> None:
    if nmls_id is not None and _others(Branch.objects.filter(nmls_id=nmls_id), exclude_pk).exists():
        raise Conflict("duplicate_nmls_id", f"A branch with NMLS ID {nmls_id} already exists.", field="nmls_id")


def _clean_branch(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" in values:
        out["name"] = clean_text(values["name"], field="name", max_length=300, required=True)
    if "nmls_id" in values:
        out["nmls_id"] = clean_nmls_id(values["nmls_id"])
    if "city" in values:
        out["city"] = clean_text(values["city"], field="city", max_length=100)
    if "state" in values:
        out["state"] = clean_state(values["state"])
    return out


def branch_add(
    *, actor: User | None, company: Company, name: str, nmls_id: str | None = None, city: str = "", state: str = ""
) -> Branch:
    require(actor, "branch.create", company, lambda a: can_edit_company_registry(a, company))
    fields = _clean_branch({"name": name, "nmls_id": nmls_id, "city": city, "state": state})
    with transaction.atomic():
        _ensure_branch_nmls_free(fields["nmls_id"])
        branch = Branch.objects.create(company=company, **fields)
        audit_record(actor=actor, action="branch.created", target=branch, new=fields, company_id=company.pk)
    return branch


def branch_update(*, actor: User | None, branch: Branch, expected_version: int, **values: Any) -> Branch:
    company = branch.company
    require(actor, "branch.update", company, lambda a: can_edit_company_registry(a, company), target=branch)
    unknown = set(values) - {"name", "nmls_id", "city", "state"}
    if unknown:
        raise ApplicationError("unknown_field", "Unknown branch field.", field=sorted(unknown)[0])
    fields = _clean_branch(values)
    with transaction.atomic():
        current = Branch.objects.select_for_update().get(pk=branch.pk)
        check_version(current.version, expected_version)
        if "nmls_id" in fields:
            _ensure_branch_nmls_free(fields["nmls_id"], exclude_pk=current.pk)
        old, new = changed_fields(current, list(fields), fields)
        if new:
            for name, value in new.items():
                setattr(current, name, value)
            current.version += 1
            current.save(update_fields=[*new, "version"])
            audit_record(actor=actor, action="branch.updated", target=current, old=old, new=new, company_id=company.pk)
    return current


def branch_remove(*, actor: User | None, branch: Branch) -> None:
    company = branch.company
    require(actor, "branch.delete", company, lambda a: can_edit_company_registry(a, company), target=branch)
    with transaction.atomic():
        old = {"name": branch.name, "nmls_id": branch.nmls_id, "city": branch.city, "state": branch.state}
        audit_record(actor=actor, action="branch.deleted", target=branch, old=old, company_id=company.pk)
        Branch.objects.filter(pk=branch.pk).delete()


def _ensure_individual_nmls_free(nmls_id: str | None, *, exclude_pk: int | None = None) -> None:
    if nmls_id is not None and _others(Individual.objects.filter(nmls_id=nmls_id), exclude_pk).exists():
        raise Conflict("duplicate_nmls_id", f"An individual with NMLS ID {nmls_id} already exists.", field="nmls_id")


def _clean_individual(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "first_name" in values:
        out["first_name"] = clean_text(values["first_name"], field="first_name", max_length=100, required=True)
    if "last_name" in values:
        out["last_name"] = clean_text(values["last_name"], field="last_name", max_length=100, required=True)
    if "nmls_id" in values:
        out["nmls_id"] = clean_nmls_id(values["nmls_id"])
    return out


def individual_add(
    *, actor: User | None, company: Company, first_name: str, last_name: str, nmls_id: str | None = None
) -> Individual:
    require(actor, "individual.create", company, lambda a: can_edit_company_registry(a, company))
    fields = _clean_individual({"first_name": first_name, "last_name": last_name, "nmls_id": nmls_id})
    with transaction.atomic():
        _ensure_individual_nmls_free(fields["nmls_id"])
        person = Individual.objects.create(company=company, **fields)
        audit_record(actor=actor, action="individual.created", target=person, new=fields, company_id=company.pk)
    return person


def individual_update(
    *, actor: User | None, individual: Individual, expected_version: int, **values: Any
) -> Individual:
    company = individual.company
    require(actor, "individual.update", company, lambda a: can_edit_company_registry(a, company), target=individual)
    unknown = set(values) - {"first_name", "last_name", "nmls_id"}
    if unknown:
        raise ApplicationError("unknown_field", "Unknown individual field.", field=sorted(unknown)[0])
    fields = _clean_individual(values)
    with transaction.atomic():
        current = Individual.objects.select_for_update().get(pk=individual.pk)
        check_version(current.version, expected_version)
        if "nmls_id" in fields:
            _ensure_individual_nmls_free(fields["nmls_id"], exclude_pk=current.pk)
        old, new = changed_fields(current, list(fields), fields)
        if new:
            for name, value in new.items():
                setattr(current, name, value)
            current.version += 1
            current.save(update_fields=[*new, "version"])
            audit_record(
                actor=actor, action="individual.updated", target=current, old=old, new=new, company_id=company.pk
            )
    return current


def individual_remove(*, actor: User | None, individual: Individual) -> None:
    company = individual.company
    require(actor, "individual.delete", company, lambda a: can_edit_company_registry(a, company), target=individual)
    with transaction.atomic():
        old = {"first_name": individual.first_name, "last_name": individual.last_name, "nmls_id": individual.nmls_id}
        audit_record(actor=actor, action="individual.deleted", target=individual, old=old, company_id=company.pk)
        Individual.objects.filter(pk=individual.pk).delete()


# --- state licences and supervision (per agency) -------------------------------------------------


def ensure_license_free(agency: Agency, number: str, *, exclude_pk: int | None = None) -> None:
    holder = _others(StateLicense.objects.filter(agency=agency, license_number=number), exclude_pk).first()
    if holder is not None:
        raise Conflict(
            "duplicate_license_number",
            f"Licence number {number} is already recorded for {holder.company.legal_name}.",
            field="license_number",
        )


def license_add(
    *, actor: User | None, company: Company, agency: Agency, license_number: str, license_type: str = ""
) -> StateLicense:
    require(actor, "license.create", company, lambda a: can_mark_supervised(a, agency))
    number = clean_text(license_number, field="license_number", max_length=60, required=True, label="Licence number")
    kind = clean_text(license_type, field="license_type", max_length=120, label="Licence type")
    with transaction.atomic():
        ensure_license_free(agency, number)
        lic = StateLicense.objects.create(agency=agency, company=company, license_number=number, license_type=kind)
        audit_record(
            actor=actor,
            action="license.created",
            target=lic,
            new={"license_number": number, "license_type": kind},
            agency_id=agency.pk,
            company_id=company.pk,
        )
    return lic


def license_update(
    *, actor: User | None, license: StateLicense, expected_version: int, license_number: str, license_type: str = ""
) -> StateLicense:
    company, agency = license.company, license.agency
    require(actor, "license.update", company, lambda a: can_mark_supervised(a, agency), target=license)
    number = clean_text(license_number, field="license_number", max_length=60, required=True, label="Licence number")
    kind = clean_text(license_type, field="license_type", max_length=120, label="Licence type")
    with transaction.atomic():
        current = StateLicense.objects.select_for_update().get(pk=license.pk)
        check_version(current.version, expected_version)
        ensure_license_free(agency, number, exclude_pk=current.pk)
        values = {"license_number": number, "license_type": kind}
        old, new = changed_fields(current, list(values), values)
        if new:
            for name, value in new.items():
                setattr(current, name, value)
            current.version += 1
            current.save(update_fields=[*new, "version"])
            audit_record(
                actor=actor,
                action="license.updated",
                target=current,
                old=old,
                new=new,
                agency_id=agency.pk,
                company_id=company.pk,
            )
    return current


def license_remove(*, actor: User | None, license: StateLicense) -> None:
    company, agency = license.company, license.agency
    require(actor, "license.delete", company, lambda a: can_mark_supervised(a, agency), target=license)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="license.deleted",
            target=license,
            old={"license_number": license.license_number, "license_type": license.license_type},
            agency_id=agency.pk,
            company_id=company.pk,
        )
        StateLicense.objects.filter(pk=license.pk).delete()


def supervision_mark(*, actor: User | None, company: Company, agency: Agency) -> Supervision:
    """Idempotent: marking an already supervised company returns the existing row."""
    require(actor, "company.supervise", company, lambda a: can_mark_supervised(a, agency))
    with transaction.atomic():
        row, created = Supervision.objects.get_or_create(agency=agency, company=company)
        if created:
            audit_record(
                actor=actor,
                action="company.supervision_marked",
                target=company,
                new={"supervised_by": agency.code},
                agency_id=agency.pk,
                company_id=company.pk,
            )
    return row


def supervision_unmark(*, actor: User | None, company: Company, agency: Agency) -> None:
    require(actor, "company.unsupervise", company, lambda a: can_mark_supervised(a, agency))
    with transaction.atomic():
        deleted, _ = Supervision.objects.filter(agency=agency, company=company).delete()
        if deleted:
            audit_record(
                actor=actor,
                action="company.supervision_unmarked",
                target=company,
                old={"supervised_by": agency.code},
                agency_id=agency.pk,
                company_id=company.pk,
            )


# --- notification addresses ----------------------------------------------------------------------


def notification_address_add(*, actor: User | None, company: Company, email: str) -> NotificationAddress:
    """Idempotent per address (case-insensitive)."""
    require(actor, "company.notification_address_add", company, lambda a: can_edit_company_profile(a, company))
    address = clean_email(email)
    with transaction.atomic():
        Company.objects.select_for_update().filter(pk=company.pk).first()
        existing = NotificationAddress.objects.filter(company=company, email=address).first()
        if existing is not None:
            return existing
        if NotificationAddress.objects.filter(company=company).count() >= MAX_NOTIFICATION_ADDRESSES:
            raise ApplicationError(
                "too_many_notification_addresses",
                f"A company can have at most {MAX_NOTIFICATION_ADDRESSES} extra notification addresses.",
                field="email",
            )
        row = NotificationAddress.objects.create(company=company, email=address)
        audit_record(
            actor=actor,
            action="company.notification_address_added",
            target=company,
            new={"email": address},
            company_id=company.pk,
        )
    return row


def notification_address_remove(*, actor: User | None, company: Company, email: str) -> None:
    require(actor, "company.notification_address_remove", company, lambda a: can_edit_company_profile(a, company))
    address = (email or "").strip().lower()
    with transaction.atomic():
        deleted, _ = NotificationAddress.objects.filter(company=company, email=address).delete()
        if not deleted:
            raise ApplicationError("not_found", "That address is not on the list.", field="email")
        audit_record(
            actor=actor,
            action="company.notification_address_removed",
            target=company,
            old={"email": address},
            company_id=company.pk,
        )
