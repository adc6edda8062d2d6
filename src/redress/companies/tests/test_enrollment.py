"""Enrollment services: start, link handling, reminders, the wizard's writes, completion and N1–N3."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail

from redress.accounts.models import User
from redress.audit.models import AuditEvent
from redress.companies import enrollment as enroll
from redress.companies import services
from redress.companies.constants import ComplaintsAccess
from redress.companies.models import Company, CompanyMembership, EnrollmentInvitation
from redress.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from redress.notifications.models import Notification, OutboxMessage

from .helpers import db_state, security_events

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "sturdy lantern orbit 77"


@pytest.fixture
def company_z(db) -> Company:
    return Company.objects.create(company_ref="CO-000026", nmls_id="3030", legal_name="Zephyr Lending LLC")


def _start(actor, company, email="zoe@zephyr.example"):
    return enroll.enrollment_start(actor=actor, company=company, email=email, full_name="Zoe Zephyr")


def _link_token(message: OutboxMessage) -> str:
    match = re.search(r"/enroll/([^/\s]+)/", message.text_body)
    assert match, message.text_body
    return match.group(1)


def test_start_creates_pending_admin_and_emails_link(
    supervisor_a, agency_a, company_z, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issued = _start(supervisor_a, company_z)
    invitation = issued.invitation
    user = invitation.user
    assert not user.is_active and not user.has_usable_password()
    membership = CompanyMembership.objects.get(user=user)
    assert membership.company == company_z and membership.is_account_admin
    assert membership.complaints_access == ComplaintsAccess.MANAGE
    assert invitation.agency == agency_a and invitation.invited_by == supervisor_a
    assert invitation.status == "invited"
    # Only a hash is stored; the secret is in the email.
    secret = issued.token.split(".", 1)[1]
    assert secret not in invitation.token_hash and len(invitation.token_hash) == 64
    [message] = OutboxMessage.objects.filter(event="company.enrollment_invited")
    assert message.to_email == "zoe@zephyr.example"
    assert _link_token(message) == issued.token
    assert "Zephyr Lending LLC" in message.subject
    # Delivered after commit (N1 goes to the new company user).
    assert [m.to for m in mail.outbox] == [["zoe@zephyr.example"]]
    assert AuditEvent.objects.filter(action="company.enrollment_started", company_id=company_z.pk).count() == 1
    assert (invitation.expires_at - invitation.created_at) == dt.timedelta(days=14)


def test_expiry_follows_setting(settings, manager_a, company_z):
    settings.REDRESS_ENROLLMENT_INVITATION_DAYS = 3
    invitation = _start(manager_a, company_z).invitation
    assert (invitation.expires_at - invitation.created_at) == dt.timedelta(days=3)


def test_refused_when_company_already_has_users(supervisor_a, company_x, company_admin_x):
    services.company_user_update(
        actor=None, company=company_x, user=company_admin_x, expected_version=1, complaints_access="manage"
    )
    services.company_complaints_contact_set(actor=None, company=company_x, user=company_admin_x, expected_version=1)
    before = db_state()
    with pytest.raises(Conflict) as exc:
        _start(supervisor_a, company_x)
    assert exc.value.code == "company_already_enrolled"
    assert "Cora Admin" in exc.value.detail and company_admin_x.email in exc.value.detail
    assert db_state() == before
    assert not EnrollmentInvitation.objects.exists() and not OutboxMessage.objects.exists()


def test_refusal_names_account_admin_or_pending_invitee(supervisor_a, company_x, company_admin_x, company_z):
    with pytest.raises(Conflict, match="account administrator is Cora Admin"):
        _start(supervisor_a, company_x)
    _start(supervisor_a, company_z)
    with pytest.raises(Conflict, match="pending; send a reminder"):
        _start(supervisor_a, company_z, email="other@zephyr.example")
    assert EnrollmentInvitation.objects.count() == 1


def test_email_in_use_and_bad_input_refused(supervisor_a, company_z, viewer_a):
    with pytest.raises(Conflict) as exc:
        _start(supervisor_a, company_z, email=viewer_a.email.upper())
    assert exc.value.field == "email"
    with pytest.raises(ApplicationError) as exc:
        enroll.enrollment_start(actor=supervisor_a, company=company_z, email="not an email", full_name="Z")
    assert exc.value.field == "email"
    assert not CompanyMembership.objects.filter(company=company_z).exists()


@pytest.mark.parametrize("who", ["viewer_a", "agency_admin_a", "company_admin_y", "sysadmin"])
def test_who_may_not_start(request, who, company_z):
    actor = request.getfixturevalue(who)
    before = db_state()
    with pytest.raises((PermissionDenied, NotFound)):
        _start(actor, company_z)
    assert db_state() == before
    assert security_events("company.enrollment_start.denied") == 1


def test_other_agency_supervisor_may_start_shared_registry(supervisor_b, agency_b, company_z):
    # The registry is shared: any agency's Supervisor can enroll a company nobody enrolled yet.
    assert _start(supervisor_b, company_z).invitation.agency == agency_b


def test_accept_sets_password_activates_and_is_single_use(supervisor_a, company_z):
    issued = _start(supervisor_a, company_z)
    assert enroll.enrollment_check_link(issued.token).pk == issued.invitation.pk
    user = enroll.enrollment_accept(token=issued.token, password=NEW_PASSWORD)
    user.refresh_from_db()
    assert user.is_active and user.check_password(NEW_PASSWORD)
    invitation = EnrollmentInvitation.objects.get(pk=issued.invitation.pk)
    assert invitation.accepted_at is not None and invitation.token_hash == ""
    assert invitation.status == "accepted"
    with pytest.raises(ApplicationError) as exc:
        enroll.enrollment_accept(token=issued.token, password="another fine password 9")
    assert exc.value.code == "enrollment_link_invalid"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_weak_password_refused_and_link_still_works(supervisor_a, company_z):
    issued = _start(supervisor_a, company_z)
    with pytest.raises(ApplicationError) as exc:
        enroll.enrollment_accept(token=issued.token, password="short")
    assert exc.value.field == "password"
    user = User.objects.get(pk=issued.invitation.user_id)
    assert not user.is_active and not user.has_usable_password()
    enroll.enrollment_accept(token=issued.token, password=NEW_PASSWORD)


def test_expired_link(supervisor_a, company_z):
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        issued = _start(supervisor_a, company_z)
    with time_machine.travel(dt.datetime(2026, 3, 15, 11, 59, tzinfo=dt.UTC), tick=False):
        assert enroll.enrollment_check_link(issued.token)
    with time_machine.travel(dt.datetime(2026, 3, 15, 12, 0, 1, tzinfo=dt.UTC), tick=False):
        with pytest.raises(ApplicationError) as exc:
            enroll.enrollment_accept(token=issued.token, password=NEW_PASSWORD)
        assert exc.value.code == "enrollment_link_expired"
        assert EnrollmentInvitation.objects.get(pk=issued.invitation.pk).status == "expired"
    assert not User.objects.get(pk=issued.invitation.user_id).is_active


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: "999999." + t.split(".", 1)[1],
        lambda t: t.split(".", 1)[1],
        lambda t: "",
        lambda t: "1.short",
        lambda t: "x" * 5000,
        lambda t: t + "\x00",
    ],
)
def test_tampered_links_are_invalid(supervisor_a, company_z, mangle):
    issued = _start(supervisor_a, company_z)
    with pytest.raises(ApplicationError) as exc:
        enroll.enrollment_accept(token=mangle(issued.token), password=NEW_PASSWORD)
    assert exc.value.code == "enrollment_link_invalid"
    assert not User.objects.get(pk=issued.invitation.user_id).is_active


def test_reminder_replaces_link_and_keeps_history(supervisor_a, manager_a, company_z):
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        first = _start(supervisor_a, company_z)
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC), tick=False):
        second = enroll.enrollment_remind(actor=manager_a, invitation=first.invitation)
        third = enroll.enrollment_remind(actor=supervisor_a, invitation=first.invitation)
        invitation = EnrollmentInvitation.objects.get(pk=first.invitation.pk)
        assert [r["by"] for r in invitation.reminders] == [manager_a.pk, supervisor_a.pk]
        assert invitation.expires_at == dt.datetime(2026, 4, 3, 9, tzinfo=dt.UTC)
        reminders = OutboxMessage.objects.filter(event="company.enrollment_reminder").order_by("pk")
        assert [m.to_email for m in reminders] == ["zoe@zephyr.example"] * 2
        assert _link_token(reminders[1]) == third.token
        for old in (first.token, second.token):
            with pytest.raises(ApplicationError) as exc:
                enroll.enrollment_check_link(old)
            assert exc.value.code == "enrollment_link_invalid"
        enroll.enrollment_accept(token=third.token, password=NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="company.enrollment_reminded").count() == 2
    with pytest.raises(Conflict):
        enroll.enrollment_remind(actor=supervisor_a, invitation=invitation)


@pytest.mark.parametrize("who", ["viewer_a", "agency_admin_a", "supervisor_b", "company_admin_x"])
def test_who_may_not_remind(request, who, supervisor_a, company_z):
    issued = _start(supervisor_a, company_z)
    actor = request.getfixturevalue(who)
    with pytest.raises((PermissionDenied, NotFound)):
        enroll.enrollment_remind(actor=actor, invitation=issued.invitation)
    invitation = EnrollmentInvitation.objects.get(pk=issued.invitation.pk)
    assert invitation.reminders == [] and invitation.token_hash == issued.invitation.token_hash
    assert not OutboxMessage.objects.filter(event="company.enrollment_reminder").exists()


def _accepted(supervisor, company):
    issued = _start(supervisor, company)
    user = enroll.enrollment_accept(token=issued.token, password=NEW_PASSWORD)
    return EnrollmentInvitation.objects.get(pk=issued.invitation.pk), User.objects.get(pk=user.pk)


def test_wizard_writes_and_completion_notifies_the_enrolling_agency_user(supervisor_a, manager_a, company_z):
    invitation, zoe = _accepted(manager_a, company_z)
    with pytest.raises(ApplicationError, match="Confirm your company"):
        enroll.enrollment_complete(actor=zoe, invitation=invitation)
    enroll.enrollment_confirm_company(actor=zoe, invitation=invitation)
    with pytest.raises(ApplicationError, match="Complaints Contact"):
        enroll.enrollment_complete(actor=zoe, invitation=invitation)
    # The new account admin uses the ordinary company services for the rest.
    colleague = services.company_user_create(
        actor=zoe, company=company_z, email="zack@zephyr.example", full_name="Zack Z", complaints_access="manage"
    )
    company_z.refresh_from_db()
    services.company_complaints_contact_set(actor=zoe, company=company_z, user=colleague, expected_version=1)
    services.notification_address_add(actor=zoe, company=company_z, email="complaints@zephyr.example")
    done = enroll.enrollment_complete(actor=zoe, invitation=invitation)
    assert done.completed_at is not None and done.status == "complete"
    # N2: the agency user who started it (manager_a), not every supervisor.
    [n2] = OutboxMessage.objects.filter(event="company.enrollment_completed")
    assert n2.to_email == manager_a.email and "Zephyr Lending LLC" in n2.subject
    assert "Zack Z" in n2.text_body
    assert Notification.objects.filter(user=manager_a, event="company.enrollment_completed").count() == 1
    assert not Notification.objects.filter(user=supervisor_a).exists()
    with pytest.raises(Conflict):
        enroll.enrollment_complete(actor=zoe, invitation=invitation)
    assert OutboxMessage.objects.filter(event="company.enrollment_completed").count() == 1


def test_completion_falls_back_to_supervisors_when_inviter_gone(supervisor_a, manager_a, company_z):
    invitation, zoe = _accepted(manager_a, company_z)
    manager_a.is_active = False
    manager_a.save()
    enroll.enrollment_confirm_company(actor=zoe, invitation=invitation)
    company_z.refresh_from_db()
    services.company_complaints_contact_set(actor=zoe, company=company_z, user=zoe, expected_version=1)
    enroll.enrollment_complete(actor=zoe, invitation=invitation)
    assert [m.to_email for m in OutboxMessage.objects.filter(event="company.enrollment_completed")] == [
        supervisor_a.email
    ]


def test_only_the_invitee_drives_the_wizard(supervisor_a, company_z, company_admin_x):
    invitation, _zoe = _accepted(supervisor_a, company_z)
    for outsider in (supervisor_a, company_admin_x):
        with pytest.raises(NotFound):
            enroll.enrollment_confirm_company(actor=outsider, invitation=invitation)
    assert EnrollmentInvitation.objects.get(pk=invitation.pk).company_confirmed_at is None


def test_pending_list_is_per_agency_and_role(supervisor_a, manager_a, viewer_a, supervisor_b, company_z, company_y):
    _start(supervisor_a, company_z)
    _start(supervisor_b, company_y, email="yolanda@ditech.example")
    assert [i.company for i in enroll.enrollment_pending_for(manager_a)] == [company_z]
    assert [i.company for i in enroll.enrollment_pending_for(supervisor_b)] == [company_y]
    with pytest.raises(NotFound):
        enroll.enrollment_pending_for(viewer_a)
