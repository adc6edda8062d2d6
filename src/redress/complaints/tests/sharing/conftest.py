"""People and helpers for the referral and access-request tests (spec §12: Alice, Mark and Vera at
A; Bob and Bill at B), plus a third agency C and an agency user with no complaints role."""

from __future__ import annotations

import pytest

from redress.agencies.constants import NO_COMPLAINTS_ROLE, ComplaintsRole
from redress.agencies.models import Agency, AgencyMembership
from redress.agencies.services import agency_user_create
from redress.complaints import access
from redress.complaints.models import AccessGrant
from redress.complaints.tests.test_scenarios import xander, xavi  # noqa: F401  (Company X's people)


@pytest.fixture
def alice(supervisor_a):
    return supervisor_a


@pytest.fixture
def mark(manager_a):
    return manager_a


@pytest.fixture
def vera(viewer_a):
    return viewer_a


@pytest.fixture
def bob(supervisor_b):
    return supervisor_b


def member(make_user, agency: Agency, role: str, name: str):
    user = make_user(full_name=name)
    AgencyMembership.objects.create(user=user, agency=agency, complaints_role=role)
    return user


@pytest.fixture
def bill(make_user, agency_b):
    return member(make_user, agency_b, ComplaintsRole.MANAGER, "Bill Manager")


@pytest.fixture
def betty(make_user, agency_b):
    """A Complaint Viewer at B."""
    return member(make_user, agency_b, ComplaintsRole.VIEWER, "Betty Viewer")


@pytest.fixture
def examiner_b(make_user, agency_b, sysadmin):
    """An agency user with system roles only: no complaints role (scenario 37), added the way an
    administrator adds one, by choosing "No complaints role" on the agency's user form."""
    user = make_user(full_name="Eve Examiner")
    agency_user_create(
        actor=sysadmin,
        agency_id=agency_b.pk,
        email=user.email,
        full_name=user.full_name,
        complaints_role=NO_COMPLAINTS_ROLE,
    )
    return user


@pytest.fixture
def agency_c(db) -> Agency:
    return Agency.objects.create(code="NY-DFS", name="New York Department of Financial Services", state="NY")


@pytest.fixture
def carl(make_user, agency_c):
    """A Supervisor at C, an agency with no grant."""
    return member(make_user, agency_c, ComplaintsRole.SUPERVISOR, "Carl Supervisor")


def grant(owner_supervisor, requester, complaint, comment: str = "For a related investigation.") -> AccessGrant:
    """A request by ``requester``'s agency, accepted by ``owner_supervisor``."""
    row = access.access_request(actor=requester, ref=complaint.ref, comment=comment)
    return access.access_accept(actor=owner_supervisor, ref=complaint.ref, grant_id=row.pk, comment="Granted.")
