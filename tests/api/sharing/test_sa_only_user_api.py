"""Scenario 37 through the API: an agency user with system roles only, added through
``POST /agencies/{code}/users`` with ``complaints_role: ""``, has no way into complaints: the
collections answer 403, every complaint, IR and access request 404, and nothing changes."""

from __future__ import annotations

import pytest

from redress.agencies.models import AgencyMembership
from redress.api.tests.conftest import assert_problem, bearer
from redress.complaints.models import AccessGrant, Complaint
from redress.complaints.tests.conftest import intake_details
from redress.information_requests import services as irs

from .test_sharing_api import URL, get, post, request_and_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def examiner(client, make_user, agency_b, sysadmin):
    user = make_user(full_name="Eve Examiner")
    created = client.post(
        "/api/v1/agencies/TX-DOB/users",
        {"email": user.email, "full_name": user.full_name, "complaints_role": ""},
        content_type="application/json",
        headers=bearer(sysadmin),
    )
    assert created.status_code == 201, created.content
    assert AgencyMembership.objects.get(user=user).complaints_role == ""
    return user


def test_an_sa_only_user_has_no_way_into_complaints(client, make_complaint, alice, mark, bob, examiner, company_x):
    own = make_complaint(bob)  # their own agency's complaint
    granted = make_complaint(mark)
    request_and_grant(client, alice, bob, granted)
    ir = irs.ir_create(actor=bob, complaint_ref=own.ref, title="Payment history", description="Send it.")
    before = Complaint.objects.count()

    me = get(client, "/api/v1/me", examiner).json()
    assert (me["kind"], me["complaints_role"]) == ("agency", None)
    for url in (URL, f"{URL}/export.csv", "/api/v1/all-complaints", "/api/v1/access-requests"):
        assert_problem(get(client, url, examiner), 403, "forbidden")
    intake = {
        "subject": {"type": "company", "id": company_x.pk},
        "details": {**intake_details(), "date_received": intake_details()["date_received"].isoformat()},
    }
    assert_problem(post(client, URL, examiner, intake), 403, "forbidden")
    for complaint in (own, granted):
        for url in (
            f"{URL}/{complaint.ref}",
            f"{URL}/{complaint.ref}/related",
            f"{URL}/{complaint.ref}/information-requests",
            f"{URL}/{complaint.ref}/history",
            f"/api/v1/all-complaints/{complaint.ref}",
        ):
            assert_problem(get(client, url, examiner), 404, "not_found")
        assert_problem(post(client, f"{URL}/{complaint.ref}/access-requests", examiner), 404, "not_found")
    assert_problem(get(client, f"/api/v1/information-requests/{ir.ref}", examiner), 404, "not_found")
    patched = client.patch(
        f"{URL}/{own.ref}",
        {"summary": "Changed."},
        content_type="application/json",
        headers={**bearer(examiner, name="patch"), "If-Match": f'"{own.version}"'},
    )
    assert_problem(patched, 404, "not_found")
    assert Complaint.objects.count() == before and AccessGrant.objects.count() == 1
    own.refresh_from_db()
    assert own.summary != "Changed."
    # A complaints user of the same agency gets the list (the 403 above is about the role).
    assert get(client, URL, bob).status_code == 200
    # Supervisory activities are theirs to read.
    assert get(client, "/api/v1/supervisory-activities", examiner).status_code == 200
