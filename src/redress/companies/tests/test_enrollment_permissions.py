"""Role × action matrix for enrollment and communications; a refusal changes nothing."""

from __future__ import annotations

import pytest

from redress.companies import communications as comms
from redress.companies import enrollment as enroll
from redress.companies.models import CommunicationSend, CommunicationTemplate, Company, EnrollmentInvitation
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
]
# Enrollment start is open to any agency's Supervisors and Managers (the registry is shared);
# reminders, the pending list and communications belong to the inviting / owning agency.
MAY_START = {"supervisor_a", "manager_a", "supervisor_b"}
MAY_ACT_FOR_AGENCY_A = {"supervisor_a", "manager_a"}


@pytest.fixture
def company_z(db) -> Company:
    return Company.objects.create(company_ref="CO-000026", legal_name="Zephyr Lending LLC")


@pytest.mark.parametrize("role", ROLES)
def test_start_matrix(request, role, company_z):
    actor = request.getfixturevalue(role)
    before = db_state()
    if role in MAY_START:
        enroll.enrollment_start(actor=actor, company=company_z, email="zoe@z.example", full_name="Zoe")
        assert EnrollmentInvitation.objects.get().invited_by == actor
    else:
        with pytest.raises((NotFound, PermissionDenied)):
            enroll.enrollment_start(actor=actor, company=company_z, email="zoe@z.example", full_name="Zoe")
        assert db_state() == before and not EnrollmentInvitation.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_remind_and_pending_matrix(request, role, supervisor_a, company_z):
    issued = enroll.enrollment_start(actor=supervisor_a, company=company_z, email="zoe@z.example", full_name="Zoe")
    actor = request.getfixturevalue(role)
    if role in MAY_ACT_FOR_AGENCY_A:
        assert [i.pk for i in enroll.enrollment_pending_for(actor)] == [issued.invitation.pk]
        enroll.enrollment_remind(actor=actor, invitation=issued.invitation)
        assert len(EnrollmentInvitation.objects.get().reminders) == 1
        return
    with pytest.raises((NotFound, PermissionDenied)):
        enroll.enrollment_remind(actor=actor, invitation=issued.invitation)
    invitation = EnrollmentInvitation.objects.get()
    assert invitation.reminders == [] and invitation.token_hash == issued.invitation.token_hash
    if role == "supervisor_b":
        assert list(enroll.enrollment_pending_for(actor)) == []
    else:
        with pytest.raises(NotFound):
            enroll.enrollment_pending_for(actor)


@pytest.mark.parametrize("role", ROLES)
def test_communications_matrix(request, role, supervisor_a, agency_a):
    template = comms.communication_template_create(actor=supervisor_a, name="T", subject="S", body="B")
    actor = request.getfixturevalue(role)
    if role in MAY_ACT_FOR_AGENCY_A:
        comms.communication_template_update(actor=actor, template=template, expected_version=1, body="B2")
        assert CommunicationTemplate.objects.get().body == "B2"
        return
    with pytest.raises(NotFound):
        comms.communication_template_get_for(actor, template.pk)
    with pytest.raises(NotFound):
        comms.communication_template_update(actor=actor, template=template, expected_version=1, body="B2")
    with pytest.raises(NotFound):
        comms.communication_template_delete(actor=actor, template=template)
    with pytest.raises(NotFound):
        comms.communication_send(actor=actor, template=template, mode="all")
    assert CommunicationTemplate.objects.get().body == "B" and not CommunicationSend.objects.exists()
