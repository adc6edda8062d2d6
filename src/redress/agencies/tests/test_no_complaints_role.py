"""An agency user with system roles only (spec 1.1 "SA-only user", scenario 37): created and edited
through the service and the agency's user forms, shown in the user list, and never counted as a
complaints user by the predicates and recipient queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.agencies.constants import NO_COMPLAINTS_ROLE, NO_COMPLAINTS_ROLE_LABEL, ComplaintsRole
from redress.agencies.models import AgencyMembership
from redress.agencies.services import agency_user_create, agency_user_update
from redress.audit.models import AuditEvent
from redress.complaints import policy
from redress.complaints.referrals import referral_targets
from redress.complaints.sharing_common import complaints_users, deciders_of_referrals, supervisors
from redress.core.errors import ApplicationError

pytestmark = pytest.mark.django_db


def _examiner(actor, agency, email: str = "eve.examiner@ofr.md.gov") -> AgencyMembership:
    return agency_user_create(
        actor=actor, agency_id=agency.pk, email=email, full_name="Eve Examiner", complaints_role=NO_COMPLAINTS_ROLE
    )


# --- the service -------------------------------------------------------------------------------


def test_create_a_user_with_no_complaints_role(agency_admin_a, agency_a):
    membership = _examiner(agency_admin_a, agency_a)
    assert membership.complaints_role == "" and membership.get_complaints_role_display() == NO_COMPLAINTS_ROLE_LABEL
    who = actor_for(membership.user)
    assert who.is_agency_user and who.agency_id == agency_a.pk
    assert who.complaints_role is None
    assert not who.has_complaints_role and not who.can_manage_complaints and not who.is_supervisor
    assert not policy.is_complaints_user(who)
    event = AuditEvent.objects.get(action="agency_user.created")
    assert event.new_values["complaints_role"] == ""


def test_no_recipient_query_counts_them_as_a_complaints_user(agency_admin_a, agency_a, agency_b, sysadmin):
    """Notices, referral deciders and referral targets read the role from the database."""
    mine = _examiner(agency_admin_a, agency_a)
    only_examiner = _examiner(sysadmin, agency_b, email="only@dob.texas.gov")
    for users in (complaints_users(agency_a.pk), deciders_of_referrals(agency_a.pk), supervisors(agency_a.pk)):
        assert mine.user not in users
    assert complaints_users(agency_b.pk) == []
    # An agency whose only user has no complaints role cannot be referred complaints.
    assert agency_b not in referral_targets()
    assert only_examiner.agency_id == agency_b.pk


def test_change_to_and_from_no_complaints_role_is_audited(agency_admin_a, agency_a, viewer_a):
    m = agency_user_update(
        actor=agency_admin_a,
        agency_id=agency_a.pk,
        user_id=viewer_a.pk,
        expected_version=1,
        complaints_role=NO_COMPLAINTS_ROLE,
    )
    assert m.complaints_role == "" and m.version == 2
    assert not actor_for(User.objects.get(pk=viewer_a.pk)).has_complaints_role
    event = AuditEvent.objects.get(action="agency_user.updated")
    assert event.old_values == {"complaints_role": "viewer"} and event.new_values == {"complaints_role": ""}
    m = agency_user_update(
        actor=agency_admin_a,
        agency_id=agency_a.pk,
        user_id=viewer_a.pk,
        expected_version=2,
        complaints_role=ComplaintsRole.MANAGER,
    )
    assert m.complaints_role == "manager" and actor_for(User.objects.get(pk=viewer_a.pk)).can_manage_complaints


@pytest.mark.parametrize("role", ["none", "None", " ", "admin", "examiner", "SUPERVISOR"])
def test_other_role_values_are_refused(agency_admin_a, agency_a, viewer_a, role):
    with pytest.raises(ApplicationError) as exc:
        agency_user_create(
            actor=agency_admin_a, agency_id=agency_a.pk, email="x@ofr.md.gov", full_name="X", complaints_role=role
        )
    assert (exc.value.code, exc.value.field) == ("invalid_role", "complaints_role")
    with pytest.raises(ApplicationError):
        agency_user_update(
            actor=agency_admin_a, agency_id=agency_a.pk, user_id=viewer_a.pk, expected_version=1, complaints_role=role
        )
    assert not AgencyMembership.objects.filter(user__email="x@ofr.md.gov").exists()
    assert AgencyMembership.objects.get(user=viewer_a).complaints_role == "viewer"


# --- the agency's user forms -------------------------------------------------------------------


def test_add_form_offers_and_accepts_no_complaints_role(client, agency_admin_a, agency_a):
    client.force_login(agency_admin_a)
    url = reverse("web:agency_detail", args=[agency_a.pk])
    html = client.get(url).content.decode()
    assert 'value="none"' in html and NO_COMPLAINTS_ROLE_LABEL in html
    response = client.post(
        reverse("web:agency_user_add", args=[agency_a.pk]),
        {"newuser-email": "eve@ofr.md.gov", "newuser-full_name": "Eve Examiner", "newuser-complaints_role": "none"},
    )
    assert response.status_code == 302
    membership = AgencyMembership.objects.get(user__email="eve@ofr.md.gov")
    assert membership.complaints_role == "" and membership.agency_id == agency_a.pk
    # The user list shows what they hold.
    row = client.get(url).content.decode().split("eve@ofr.md.gov")[1].split("</tr>")[0]
    assert NO_COMPLAINTS_ROLE_LABEL in row


def test_add_form_still_requires_a_choice(client, agency_admin_a, agency_a):
    client.force_login(agency_admin_a)
    response = client.post(
        reverse("web:agency_user_add", args=[agency_a.pk]),
        {"newuser-email": "eve@ofr.md.gov", "newuser-full_name": "Eve Examiner"},
    )
    assert response.status_code == 422
    assert "Choose a complaints role, or no complaints role." in response.content.decode()
    bad = client.post(
        reverse("web:agency_user_add", args=[agency_a.pk]),
        {"newuser-email": "eve@ofr.md.gov", "newuser-full_name": "Eve Examiner", "newuser-complaints_role": ""},
    )
    assert bad.status_code == 422
    assert not AgencyMembership.objects.filter(user__email="eve@ofr.md.gov").exists()


def test_edit_form_shows_and_changes_no_complaints_role(client, agency_admin_a, agency_a, viewer_a):
    client.force_login(agency_admin_a)
    url = reverse("web:agency_user_edit", args=[agency_a.pk, viewer_a.pk])
    values = {"member-full_name": "Vic Viewer", "member-is_active": "on"}
    response = client.post(url, {**values, "member-complaints_role": "none", "member-version": "1"})
    assert response.status_code == 302
    membership = AgencyMembership.objects.get(user=viewer_a)
    assert (membership.complaints_role, membership.version) == ("", 2)
    form = client.get(url).content.decode()
    checked = form.split('value="none"')[1].split(">")[0]
    assert "checked" in checked
    response = client.post(url, {**values, "member-complaints_role": "viewer", "member-version": "2"})
    assert response.status_code == 302
    assert AgencyMembership.objects.get(user=viewer_a).complaints_role == "viewer"
    assert [e.new_values for e in AuditEvent.objects.filter(action="agency_user.updated").order_by("pk")] == [
        {"complaints_role": ""},
        {"complaints_role": "viewer"},
    ]
