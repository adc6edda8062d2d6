"""Fixtures shared by every test package: two agencies and two companies with users in every role.

Scopes used by the permission matrices: ``agency_a`` is "own agency" for the ``*_a`` users and
``agency_b`` the "other agency"; ``company_x`` is "own company" for the ``*_x`` users and
``company_y`` the "other company".
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value, yield_hotp_counters_from_time

from redress.accounts.models import User
from redress.agencies.constants import ComplaintsRole
from redress.agencies.models import Agency, AgencyMembership
from redress.companies.constants import ComplaintsAccess
from redress.companies.models import Company, CompanyMembership
from redress.notifications.tests.smtp import smtp_server  # noqa: F401  (real SMTP on loopback)

PASSWORD = "correct horse battery staple 42"
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def give_mfa(user: User) -> str:
    """Activate TOTP for ``user``; returns the secret so a test can compute codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return f"{hotp_value(secret, counter):06d}"


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    def make(email: str | None = None, *, full_name: str = "Test User", mfa: bool = True, **extra) -> User:
        email = email or f"user{next(_seq)}@example.test"
        user = User.objects.create_user(email, PASSWORD, full_name=full_name, **extra)
        if mfa:
            user.totp_secret = give_mfa(user)  # type: ignore[attr-defined]
        return user

    return make


@pytest.fixture
def agency_a(db) -> Agency:
    return Agency.objects.create(code="MD-OFR", name="Maryland Office of Financial Regulation", state="MD")


@pytest.fixture
def agency_b(db) -> Agency:
    return Agency.objects.create(code="TX-DOB", name="Texas Department of Banking", state="TX")


def _agency_user(make_user, agency: Agency, role: str, *, admin: bool = False, name: str) -> User:
    user = make_user(full_name=name)
    AgencyMembership.objects.create(user=user, agency=agency, complaints_role=role, is_account_admin=admin)
    return user


@pytest.fixture
def supervisor_a(make_user, agency_a) -> User:
    return _agency_user(make_user, agency_a, ComplaintsRole.SUPERVISOR, name="Sam Supervisor")


@pytest.fixture
def manager_a(make_user, agency_a) -> User:
    return _agency_user(make_user, agency_a, ComplaintsRole.MANAGER, name="Morgan Manager")


@pytest.fixture
def viewer_a(make_user, agency_a) -> User:
    return _agency_user(make_user, agency_a, ComplaintsRole.VIEWER, name="Vic Viewer")


@pytest.fixture
def agency_admin_a(make_user, agency_a) -> User:
    return _agency_user(make_user, agency_a, ComplaintsRole.VIEWER, admin=True, name="Ada Admin")


@pytest.fixture
def supervisor_b(make_user, agency_b) -> User:
    return _agency_user(make_user, agency_b, ComplaintsRole.SUPERVISOR, name="Blake Supervisor")


@pytest.fixture
def sysadmin(make_user) -> User:
    return make_user(full_name="Sys Admin", is_system_admin=True)


@pytest.fixture
def company_x(db) -> Company:
    return Company.objects.create(company_ref="CO-000001", nmls_id="2739", legal_name="Ocwen Financial Corporation")


@pytest.fixture
def company_y(db) -> Company:
    return Company.objects.create(company_ref="CO-000002", nmls_id="2120", legal_name="Ditech Financial LLC")


def _company_user(make_user, company: Company, access: str, *, admin: bool = False, name: str) -> User:
    user = make_user(full_name=name)
    CompanyMembership.objects.create(user=user, company=company, complaints_access=access, is_account_admin=admin)
    return user


@pytest.fixture
def company_admin_x(make_user, company_x) -> User:
    return _company_user(make_user, company_x, ComplaintsAccess.MANAGE, admin=True, name="Cora Admin")


@pytest.fixture
def company_user_x(make_user, company_x) -> User:
    return _company_user(make_user, company_x, ComplaintsAccess.MANAGE, name="Cal Complaints")


@pytest.fixture
def company_viewer_x(make_user, company_x) -> User:
    return _company_user(make_user, company_x, ComplaintsAccess.VIEW, name="Val Viewer")


@pytest.fixture
def company_admin_y(make_user, company_y) -> User:
    return _company_user(make_user, company_y, ComplaintsAccess.MANAGE, admin=True, name="Yan Admin")
