"""A user who is the Agency POC of open complaints keeps a role that can hold them: the service,
the agency's user form and the API refuse a change to Viewer or to no complaints role, and the
change goes through once the complaints are reassigned (or closed)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from redress.agencies.models import AgencyMembership
from redress.agencies.services import agency_user_update
from redress.api.tests.conftest import assert_problem, bearer
from redress.audit.models import AuditEvent
from redress.complaints import services
from redress.complaints.agency_roles import POC_HAS_OPEN_COMPLAINTS
from redress.complaints.models import Complaint
from redress.complaints.tests.conftest import intake_details
from redress.core.errors import Conflict

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_complaint(company_x):
    def make(actor) -> Complaint:
        return services.complaint_create(
            actor=actor,
            subject_type="company",
            subject_id=company_x.pk,
            details=intake_details(),
            submit_for_review=False,
        )

    return make


def _membership(user) -> AgencyMembership:
    return AgencyMembership.objects.get(user=user)


@pytest.mark.parametrize("new_role", ["viewer", ""])
def test_poc_of_open_complaints_keeps_a_poc_role_until_they_are_reassigned(
    new_role, make_complaint, agency_admin_a, agency_a, manager_a, supervisor_a
):
    first = make_complaint(manager_a)
    make_complaint(manager_a)
    assert first.agency_poc == manager_a
    with pytest.raises(Conflict) as refused:
        agency_user_update(
            actor=agency_admin_a,
            agency_id=agency_a.pk,
            user_id=manager_a.pk,
            expected_version=1,
            complaints_role=new_role,
        )
    assert refused.value.code == POC_HAS_OPEN_COMPLAINTS and refused.value.field == "complaints_role"
    assert refused.value.extra["open_complaints"] == 2 and "2 open complaints" in refused.value.detail
    membership = _membership(manager_a)
    assert (membership.complaints_role, membership.version) == ("manager", 1)
    assert not AuditEvent.objects.filter(action="agency_user.updated").exists()

    # Still fine: a change between the two roles that can hold complaints.
    agency_user_update(
        actor=agency_admin_a,
        agency_id=agency_a.pk,
        user_id=manager_a.pk,
        expected_version=1,
        complaints_role="supervisor",
    )
    for complaint in Complaint.objects.filter(agency_poc=manager_a):
        services.complaint_assign_poc(actor=supervisor_a, ref=complaint.ref, poc=supervisor_a, expected_version=None)
    agency_user_update(
        actor=agency_admin_a, agency_id=agency_a.pk, user_id=manager_a.pk, expected_version=2, complaints_role=new_role
    )
    assert _membership(manager_a).complaints_role == new_role


def test_closed_complaints_do_not_hold_the_role(make_complaint, agency_admin_a, agency_a, manager_a):
    complaint = make_complaint(manager_a)
    services.complaint_close(
        actor=manager_a, ref=complaint.ref, closure={"reason": "invalid"}, expected_version=complaint.version
    )
    agency_user_update(
        actor=agency_admin_a, agency_id=agency_a.pk, user_id=manager_a.pk, expected_version=1, complaints_role="viewer"
    )
    assert _membership(manager_a).complaints_role == "viewer"


def test_the_form_and_the_api_say_why(client, make_complaint, agency_admin_a, agency_a, manager_a):
    make_complaint(manager_a)
    client.force_login(agency_admin_a)
    url = reverse("web:agency_user_edit", args=[agency_a.pk, manager_a.pk])
    # The edit page says so before anyone tries, with the way to the complaints to reassign.
    page = client.get(url).content.decode()
    warning = page.split('id="open-as-poc"')[1].split("</div></div>")[0]
    assert "is the Agency POC of 1 open complaint." in warning
    assert f"/complaints/?agency_poc={manager_a.pk}&amp;status=any_open" in warning
    values = {"member-full_name": manager_a.full_name, "member-is_active": "on", "member-version": "1"}
    response = client.post(url, {**values, "member-complaints_role": "viewer"})
    assert response.status_code in (400, 409, 422)
    assert "is the Agency POC of 1 open complaint." in response.content.decode()
    assert _membership(manager_a).complaints_role == "manager"

    api = client.patch(
        f"/api/v1/agencies/{agency_a.code}/users/{manager_a.pk}",
        {"complaints_role": ""},
        content_type="application/json",
        headers={**bearer(agency_admin_a), "If-Match": '"1"'},
    )
    assert assert_problem(api, 409, POC_HAS_OPEN_COMPLAINTS)["open_complaints"] == 1
    assert _membership(manager_a).complaints_role == "manager"


def test_no_warning_for_a_user_holding_no_open_complaint(client, agency_admin_a, agency_a, manager_a):
    client.force_login(agency_admin_a)
    page = client.get(reverse("web:agency_user_edit", args=[agency_a.pk, manager_a.pk])).content.decode()
    assert 'id="open-as-poc"' not in page
