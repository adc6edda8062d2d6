"""Who may do what to which agency: every role fixture against its own and another agency."""

from __future__ import annotations

import pytest

from redress.agencies.constants import ComplaintsRole
from redress.agencies.models import Agency, AgencyMembership
from redress.agencies.selectors import agency_get_for, agency_list_for, agency_users_for
from redress.agencies.services import agency_update, agency_user_create
from redress.core.errors import ApplicationError

ROLES = [
    "sysadmin",
    "supervisor_a",
    "manager_a",
    "viewer_a",
    "agency_admin_a",
    "supervisor_b",
    "company_admin_x",
    "company_user_x",
]
# For agency users "own" is their agency; for everyone else agency_a stands in.
OWN = {"supervisor_b": "agency_b"}
OTHER = {"supervisor_b": "agency_a"}

MAY_VIEW = {("sysadmin", "own"), ("sysadmin", "other")} | {
    (r, "own") for r in ["supervisor_a", "manager_a", "viewer_a", "agency_admin_a", "supervisor_b"]
}
MAY_MANAGE = {("sysadmin", "own"), ("sysadmin", "other"), ("agency_admin_a", "own")}

CASES = [(role, scope) for role in ROLES for scope in ("own", "other")]


def _setup(request, role, scope):
    # Create both agencies before resolving the actor so ids are stable.
    request.getfixturevalue("agency_a")
    request.getfixturevalue("agency_b")
    actor = request.getfixturevalue(role)
    name = (OWN if scope == "own" else OTHER).get(role, "agency_a" if scope == "own" else "agency_b")
    return actor, request.getfixturevalue(name)


@pytest.mark.parametrize(("role", "scope"), CASES)
def test_view_agency(request, role, scope):
    actor, agency = _setup(request, role, scope)
    allowed = (role, scope) in MAY_VIEW
    assert (agency in agency_list_for(actor)) is allowed
    if allowed:
        assert agency_get_for(actor, agency.pk) == agency
    else:
        with pytest.raises(ApplicationError) as exc:
            agency_get_for(actor, agency.pk)
        assert exc.value.code == "not_found"


@pytest.mark.parametrize(("role", "scope"), CASES)
def test_list_agency_users(request, role, scope):
    actor, agency = _setup(request, role, scope)
    if (role, scope) in MAY_VIEW:
        listed = set(agency_users_for(actor, agency).values_list("user_id", flat=True))
        assert listed == set(AgencyMembership.objects.filter(agency=agency).values_list("user_id", flat=True))
    else:
        with pytest.raises(ApplicationError) as exc:
            agency_users_for(actor, agency)
        assert exc.value.code == "not_found"


@pytest.mark.parametrize(("role", "scope"), CASES)
def test_update_agency(request, role, scope):
    actor, agency = _setup(request, role, scope)
    if (role, scope) in MAY_MANAGE:
        updated = agency_update(actor=actor, agency_id=agency.pk, expected_version=1, document_retention_years=9)
        assert updated.document_retention_years == 9
    else:
        with pytest.raises(ApplicationError) as exc:
            agency_update(actor=actor, agency_id=agency.pk, expected_version=1, document_retention_years=9)
        assert exc.value.code == ("forbidden" if (role, scope) in MAY_VIEW else "not_found")
        assert Agency.objects.get(pk=agency.pk).document_retention_years == 6


@pytest.mark.parametrize(("role", "scope"), CASES)
def test_create_agency_user(request, role, scope):
    actor, agency = _setup(request, role, scope)
    kwargs = {
        "agency_id": agency.pk,
        "email": "matrix@example.gov",
        "full_name": "Matrix",
        "complaints_role": ComplaintsRole.VIEWER,
    }
    if (role, scope) in MAY_MANAGE:
        membership = agency_user_create(actor=actor, **kwargs)
        assert membership.agency_id == agency.pk
    else:
        with pytest.raises(ApplicationError) as exc:
            agency_user_create(actor=actor, **kwargs)
        assert exc.value.code == ("forbidden" if (role, scope) in MAY_VIEW else "not_found")
        assert not AgencyMembership.objects.filter(user__email="matrix@example.gov").exists()
