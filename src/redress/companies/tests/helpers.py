"""Snapshots that let a test prove a refused action changed nothing."""

from __future__ import annotations

from typing import Any

from redress.accounts.models import User
from redress.audit.models import AuditEvent
from redress.companies.models import (
    Branch,
    Company,
    CompanyBusinessType,
    CompanyMembership,
    Individual,
    NotificationAddress,
    StateLicense,
    Supervision,
)


def db_state() -> dict[str, Any]:
    return {
        "companies": sorted(
            Company.objects.values_list(
                "id",
                "company_ref",
                "nmls_id",
                "legal_name",
                "other_names",
                "street",
                "city",
                "state",
                "postal_code",
                "phone",
                "website",
                "business_types",
                "complaints_contact_id",
                "version",
            )
        ),
        "btypes": sorted(CompanyBusinessType.objects.values_list("company_id", "business_type")),
        "branches": sorted(Branch.objects.values_list("id", "nmls_id", "name", "city", "state", "version")),
        "individuals": sorted(Individual.objects.values_list("id", "nmls_id", "first_name", "last_name", "version")),
        "licenses": sorted(StateLicense.objects.values_list("id", "agency_id", "license_number", "license_type")),
        "supervision": sorted(Supervision.objects.values_list("agency_id", "company_id")),
        "memberships": sorted(
            CompanyMembership.objects.values_list("user_id", "company_id", "is_account_admin", "complaints_access")
        ),
        "users": sorted(User.objects.values_list("id", "email", "is_active", "full_name")),
        "addresses": sorted(NotificationAddress.objects.values_list("company_id", "email")),
        "business_events": AuditEvent.objects.filter(is_security=False).count(),
    }


def security_events(action: str) -> int:
    return AuditEvent.objects.filter(is_security=True, action=action).count()
