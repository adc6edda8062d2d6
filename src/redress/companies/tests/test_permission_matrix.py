"""Role × scope matrix: every role fixture against its own company (company_x) and another (company_y)."""

from __future__ import annotations

import pytest

from redress.companies import selectors, services
from redress.core.errors import NotFound, PermissionDenied

from .helpers import db_state

pytestmark = pytest.mark.django_db

ROLES = [
    "supervisor_a",
    "manager_a",
    "viewer_a",
    "agency_admin_a",
    "supervisor_b",
    "sysadmin",
    "company_admin_x",
    "company_user_x",
    "company_viewer_x",
    "company_admin_y",
]
COMPANY_ROLES = {"company_admin_x", "company_user_x", "company_viewer_x", "company_admin_y"}
# Agency users and sysadmins see the whole registry; a company user only its own company.
VIEW = {role: {"own": True, "other": role not in COMPANY_ROLES} for role in ROLES}
REGISTRY = {"supervisor_a", "manager_a", "agency_admin_a", "supervisor_b", "sysadmin"}
PROFILE_OWN_ONLY = {"company_admin_x", "company_admin_y"}
USERS_OWN_ONLY = {"company_admin_x", "company_admin_y"}


def _targets(request, role):
    """ "own" is the user's company (company_y for company_admin_y, company_x for everyone else)."""
    x, y = request.getfixturevalue("company_x"), request.getfixturevalue("company_y")
    return {"own": y, "other": x} if role == "company_admin_y" else {"own": x, "other": y}


@pytest.fixture
def contact_candidates(make_user, company_x, company_y):
    """A Manage-access user in each company, keyed by company id."""
    from redress.companies.models import CompanyMembership

    found = {}
    for company in (company_x, company_y):
        user = make_user()
        CompanyMembership.objects.create(user=user, company=company, complaints_access="manage")
        found[company.pk] = user
    return found


def _expect(allowed: bool, visible: bool, call):
    before = db_state()
    if allowed:
        call()
        return
    with pytest.raises(PermissionDenied if visible else NotFound):
        call()
    after = db_state()
    assert after == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scope", ["own", "other"])
def test_view_company(request, role, scope):
    user, company = request.getfixturevalue(role), _targets(request, role)[scope]
    if VIEW[role][scope]:
        assert selectors.company_get_for(user, pk=company.pk) == company
    else:
        with pytest.raises(NotFound):
            selectors.company_get_for(user, pk=company.pk)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scope", ["own", "other"])
def test_edit_profile(request, role, scope):
    user, company = request.getfixturevalue(role), _targets(request, role)[scope]
    allowed = role in REGISTRY or (role in PROFILE_OWN_ONLY and scope == "own")
    _expect(
        allowed,
        VIEW[role][scope],
        lambda: services.company_update(actor=user, company=company, expected_version=1, phone="410-555-0199"),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scope", ["own", "other"])
def test_edit_registry(request, role, scope):
    user, company = request.getfixturevalue(role), _targets(request, role)[scope]
    _expect(
        role in REGISTRY,
        VIEW[role][scope],
        lambda: services.company_update(actor=user, company=company, expected_version=1, other_names=["Alias"]),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scope", ["own", "other"])
def test_manage_users(request, role, scope):
    user, company = request.getfixturevalue(role), _targets(request, role)[scope]
    allowed = role == "sysadmin" or (role in USERS_OWN_ONLY and scope == "own")
    _expect(
        allowed,
        VIEW[role][scope],
        lambda: services.company_user_create(
            actor=user, company=company, email=f"new-{role}-{scope}@example.test", full_name="New"
        ),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scope", ["own", "other"])
def test_set_complaints_contact(request, contact_candidates, role, scope):
    user, company = request.getfixturevalue(role), _targets(request, role)[scope]
    allowed = role == "sysadmin" or (role in USERS_OWN_ONLY and scope == "own")
    _expect(
        allowed,
        VIEW[role][scope],
        lambda: services.company_complaints_contact_set(
            actor=user, company=company, user=contact_candidates[company.pk], expected_version=1
        ),
    )
