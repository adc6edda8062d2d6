from __future__ import annotations

import pytest

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.agencies.constants import MAX_AGENCY_ACCOUNT_ADMINS, ComplaintsRole
from redress.agencies.models import Agency, AgencyMembership
from redress.agencies.services import agency_create, agency_update, agency_user_create, agency_user_update
from redress.audit.models import AuditEvent
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed
from redress.notifications.models import OutboxMessage


def snapshot() -> tuple:
    """Everything a refused call must leave untouched (security events are allowed to appear)."""
    return (
        list(Agency.objects.order_by("pk").values()),
        list(AgencyMembership.objects.order_by("pk").values()),
        list(User.objects.order_by("pk").values("pk", "email", "full_name", "is_active", "password")),
        AuditEvent.objects.filter(is_security=False).count(),
        OutboxMessage.objects.count(),
    )


def security_events(action: str) -> int:
    return AuditEvent.objects.filter(action=action, is_security=True).count()


# --- agency_create ------------------------------------------------------------------------------


def test_sysadmin_creates_agency_with_audit(sysadmin):
    agency = agency_create(
        actor=sysadmin, code="ny-dfs", name="  New York DFS ", state="ny", contact_email="Help@DFS.ny.gov"
    )
    assert (agency.code, agency.name, agency.state, agency.contact_email) == (
        "NY-DFS",
        "New York DFS",
        "NY",
        "help@dfs.ny.gov",
    )
    assert agency.version == 1
    event = AuditEvent.objects.get(action="agency.created")
    assert event.actor_id == sysadmin.pk and event.agency_id == agency.pk
    assert event.new_values["code"] == "NY-DFS"


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("code", {"code": "x"}),
        ("code", {"code": "MD-OFR"}),
        ("name", {"name": "maryland office of financial regulation"}),
        ("name", {"name": "   "}),
        ("state", {"state": "Texas"}),
        ("contact_email", {"contact_email": "not-an-email"}),
        ("document_retention_years", {"document_retention_years": 0}),
        ("document_retention_years", {"document_retention_years": 101}),
    ],
)
def test_agency_create_rejects_bad_input_without_change(sysadmin, agency_a, field, kwargs):
    values = {"code": "NY-DFS", "name": "New York DFS", "state": "NY", **kwargs}
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        agency_create(actor=sysadmin, **values)
    assert exc.value.field == field
    assert snapshot() == before


@pytest.mark.parametrize("who", ["agency_admin_a", "supervisor_a", "company_admin_x"])
def test_only_sysadmin_creates_agencies(request, who):
    actor = request.getfixturevalue(who)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        agency_create(actor=actor, code="NY-DFS", name="New York DFS", state="NY")
    assert snapshot() == before
    assert security_events("agency.create_denied") == 1


# --- agency_update ------------------------------------------------------------------------------


def test_agency_admin_updates_own_settings(agency_admin_a, agency_a):
    agency = agency_update(
        actor=agency_admin_a,
        agency_id=agency_a.pk,
        expected_version=1,
        managers_can_send_irs=True,
        document_retention_years=10,
        contact_email="complaints@ofr.md.gov",
    )
    assert agency.version == 2
    agency.refresh_from_db()
    assert agency.managers_can_send_irs is True and agency.document_retention_years == 10
    event = AuditEvent.objects.get(action="agency.updated")
    assert event.old_values == {"managers_can_send_irs": False, "document_retention_years": 6, "contact_email": ""}
    assert event.new_values["document_retention_years"] == 10


def test_agency_update_without_change_keeps_version(agency_admin_a, agency_a):
    agency = agency_update(actor=agency_admin_a, agency_id=agency_a.pk, expected_version=1, name=agency_a.name)
    assert agency.version == 1
    assert not AuditEvent.objects.filter(action="agency.updated").exists()


def test_agency_update_stale_version_refused(agency_admin_a, agency_a):
    agency_update(actor=agency_admin_a, agency_id=agency_a.pk, expected_version=1, document_retention_years=7)
    before = snapshot()
    with pytest.raises(PreconditionFailed):
        agency_update(actor=agency_admin_a, agency_id=agency_a.pk, expected_version=1, document_retention_years=9)
    assert snapshot() == before


def test_agency_admin_cannot_change_code_or_state(agency_admin_a, agency_a):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        agency_update(actor=agency_admin_a, agency_id=agency_a.pk, expected_version=1, code="MD-X")
    assert snapshot() == before


def test_sysadmin_may_change_code_state_and_status(sysadmin, agency_a):
    agency = agency_update(
        actor=sysadmin, agency_id=agency_a.pk, expected_version=1, code="MD-OCFR", state="md", is_active=False
    )
    assert (agency.code, agency.state, agency.is_active, agency.version) == ("MD-OCFR", "MD", False, 2)


def test_agency_update_rejects_duplicate_name(sysadmin, agency_a, agency_b):
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        agency_update(actor=sysadmin, agency_id=agency_a.pk, expected_version=1, name=agency_b.name.upper())
    assert exc.value.code == "agency_name_taken"
    assert snapshot() == before


def test_other_agency_is_not_found(agency_admin_a, agency_b):
    before = snapshot()
    with pytest.raises(NotFound):
        agency_update(actor=agency_admin_a, agency_id=agency_b.pk, expected_version=1, name="Hijacked")
    assert snapshot() == before
    assert security_events("agency.update_denied") == 1


def test_missing_agency_is_not_found(sysadmin):
    with pytest.raises(NotFound):
        agency_update(actor=sysadmin, agency_id=999999, expected_version=1, name="Nope")


# --- agency_user_create -------------------------------------------------------------------------


def test_agency_admin_adds_user_who_gets_password_link(agency_admin_a, agency_a):
    membership = agency_user_create(
        actor=agency_admin_a,
        agency_id=agency_a.pk,
        email=" New.Person@OFR.md.gov ",
        full_name="New Person",
        complaints_role=ComplaintsRole.MANAGER,
    )
    user = membership.user
    assert user.email == "new.person@ofr.md.gov" and not user.has_usable_password()
    assert actor_for(user).complaints_role == ComplaintsRole.MANAGER
    assert actor_for(user).agency_id == agency_a.pk
    event = AuditEvent.objects.get(action="agency_user.created")
    assert event.agency_id == agency_a.pk and event.new_values["email"] == "new.person@ofr.md.gov"
    mail = OutboxMessage.objects.get(to_email="new.person@ofr.md.gov")
    assert mail.event == "account.invitation" and mail.user_id == user.pk
    assert "/accounts/password/reset/key/" in mail.text_body
    assert AuditEvent.objects.filter(action="account.password_setup_sent", target_id=str(user.pk)).exists()


def test_password_link_lets_new_user_choose_password(client, agency_admin_a, agency_a):
    membership = agency_user_create(
        actor=agency_admin_a,
        agency_id=agency_a.pk,
        email="np@ofr.md.gov",
        full_name="N P",
        complaints_role=ComplaintsRole.VIEWER,
    )
    body = OutboxMessage.objects.get(to_email="np@ofr.md.gov").text_body
    link = next(line for line in body.splitlines() if "/password/reset/key/" in line)
    path = link[link.index("/accounts/") :].strip()
    response = client.get(path, follow=True)
    assert response.status_code == 200
    action = response.redirect_chain[-1][0] if response.redirect_chain else path
    new_password = "a brand new long passphrase 9"
    response = client.post(action, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    membership.user.refresh_from_db()
    assert membership.user.check_password(new_password)


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("email", {"email": "nope"}),
        ("email", {"email": ""}),
        ("full_name", {"full_name": " "}),
        ("complaints_role", {"complaints_role": "admin"}),
    ],
)
def test_agency_user_create_rejects_bad_input(agency_admin_a, agency_a, field, kwargs):
    values = {"email": "ok@ofr.md.gov", "full_name": "Ok", "complaints_role": ComplaintsRole.VIEWER, **kwargs}
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        agency_user_create(actor=agency_admin_a, agency_id=agency_a.pk, **values)
    assert exc.value.field == field
    assert snapshot() == before


@pytest.mark.parametrize("existing", ["supervisor_b", "company_user_x", "sysadmin", "manager_a"])
def test_user_belongs_to_one_organisation(request, agency_admin_a, agency_a, existing):
    other = request.getfixturevalue(existing)
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        agency_user_create(
            actor=agency_admin_a,
            agency_id=agency_a.pk,
            email=other.email.upper(),
            full_name="X",
            complaints_role=ComplaintsRole.VIEWER,
        )
    assert exc.value.code == "user_has_organisation"
    assert snapshot() == before


def test_existing_user_without_organisation_is_linked(agency_admin_a, agency_a, make_user):
    loose = make_user("loose@example.test")
    membership = agency_user_create(
        actor=agency_admin_a,
        agency_id=agency_a.pk,
        email="loose@example.test",
        full_name="Loose",
        complaints_role=ComplaintsRole.VIEWER,
    )
    assert membership.user_id == loose.pk
    assert User.objects.filter(email="loose@example.test").count() == 1
    # They already have a password, so no set-up link is sent.
    assert not OutboxMessage.objects.filter(to_email="loose@example.test").exists()


def _add_admins(actor, agency, count):
    for i in range(count):
        agency_user_create(
            actor=actor,
            agency_id=agency.pk,
            email=f"admin{i}@ofr.md.gov",
            full_name=f"Admin {i}",
            complaints_role=ComplaintsRole.VIEWER,
            is_account_admin=True,
        )


def test_at_most_five_account_admins(agency_admin_a, agency_a):
    _add_admins(agency_admin_a, agency_a, MAX_AGENCY_ACCOUNT_ADMINS - 1)
    assert AgencyMembership.objects.filter(agency=agency_a, is_account_admin=True).count() == MAX_AGENCY_ACCOUNT_ADMINS
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        agency_user_create(
            actor=agency_admin_a,
            agency_id=agency_a.pk,
            email="sixth@ofr.md.gov",
            full_name="Sixth",
            complaints_role=ComplaintsRole.VIEWER,
            is_account_admin=True,
        )
    assert exc.value.code == "agency_admin_limit"
    assert snapshot() == before


def test_admin_limit_on_promotion_and_reactivation(sysadmin, agency_admin_a, agency_a, viewer_a):
    _add_admins(sysadmin, agency_a, MAX_AGENCY_ACCOUNT_ADMINS - 1)
    viewer_m = AgencyMembership.objects.get(user=viewer_a)
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        agency_user_update(
            actor=sysadmin,
            agency_id=agency_a.pk,
            user_id=viewer_a.pk,
            expected_version=viewer_m.version,
            is_account_admin=True,
        )
    assert exc.value.code == "agency_admin_limit"
    assert snapshot() == before
    # Deactivating one admin frees a seat; reactivating them while full is refused.
    admin0 = User.objects.get(email="admin0@ofr.md.gov")
    m0 = AgencyMembership.objects.get(user=admin0)
    m0 = agency_user_update(
        actor=sysadmin, agency_id=agency_a.pk, user_id=admin0.pk, expected_version=m0.version, is_active=False
    )
    agency_user_update(
        actor=sysadmin,
        agency_id=agency_a.pk,
        user_id=viewer_a.pk,
        expected_version=viewer_m.version,
        is_account_admin=True,
    )
    with pytest.raises(ApplicationError) as exc:
        agency_user_update(
            actor=sysadmin, agency_id=agency_a.pk, user_id=admin0.pk, expected_version=m0.version, is_active=True
        )
    assert exc.value.code == "agency_admin_limit"


# --- agency_user_update -------------------------------------------------------------------------


def test_change_role_and_deactivate_are_audited(agency_admin_a, agency_a, viewer_a):
    m = AgencyMembership.objects.get(user=viewer_a)
    m = agency_user_update(
        actor=agency_admin_a,
        agency_id=agency_a.pk,
        user_id=viewer_a.pk,
        expected_version=1,
        complaints_role=ComplaintsRole.SUPERVISOR,
    )
    assert m.version == 2 and m.complaints_role == ComplaintsRole.SUPERVISOR
    event = AuditEvent.objects.get(action="agency_user.updated")
    assert event.old_values == {"complaints_role": "viewer"} and event.new_values == {"complaints_role": "supervisor"}
    m = agency_user_update(
        actor=agency_admin_a, agency_id=agency_a.pk, user_id=viewer_a.pk, expected_version=2, is_active=False
    )
    viewer_a.refresh_from_db()
    assert viewer_a.is_active is False
    assert AuditEvent.objects.get(action="agency_user.deactivated").old_values == {"is_active": True}
    agency_user_update(
        actor=agency_admin_a, agency_id=agency_a.pk, user_id=viewer_a.pk, expected_version=3, is_active=True
    )
    viewer_a.refresh_from_db()
    assert viewer_a.is_active is True
    assert AuditEvent.objects.filter(action="agency_user.reactivated").count() == 1


def test_user_update_stale_version(agency_admin_a, agency_a, viewer_a):
    agency_user_update(
        actor=agency_admin_a, agency_id=agency_a.pk, user_id=viewer_a.pk, expected_version=1, title="Examiner"
    )
    before = snapshot()
    with pytest.raises(PreconditionFailed):
        agency_user_update(
            actor=agency_admin_a,
            agency_id=agency_a.pk,
            user_id=viewer_a.pk,
            expected_version=1,
            complaints_role=ComplaintsRole.MANAGER,
        )
    assert snapshot() == before


@pytest.mark.parametrize("change", [{"is_account_admin": False}, {"is_active": False}])
def test_last_admin_cannot_remove_themself(agency_admin_a, agency_a, change):
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        agency_user_update(
            actor=agency_admin_a, agency_id=agency_a.pk, user_id=agency_admin_a.pk, expected_version=1, **change
        )
    assert exc.value.code == "last_account_admin"
    assert snapshot() == before


def test_admin_may_step_down_when_another_admin_exists(agency_admin_a, agency_a, viewer_a):
    agency_user_update(
        actor=agency_admin_a, agency_id=agency_a.pk, user_id=viewer_a.pk, expected_version=1, is_account_admin=True
    )
    m = agency_user_update(
        actor=agency_admin_a,
        agency_id=agency_a.pk,
        user_id=agency_admin_a.pk,
        expected_version=1,
        is_account_admin=False,
    )
    assert m.is_account_admin is False
    assert actor_for(agency_admin_a).is_agency_admin is False


def test_user_of_other_agency_is_not_found(agency_admin_a, agency_a, supervisor_b):
    before = snapshot()
    with pytest.raises(NotFound):
        agency_user_update(
            actor=agency_admin_a, agency_id=agency_a.pk, user_id=supervisor_b.pk, expected_version=1, is_active=False
        )
    assert snapshot() == before


def test_non_admin_cannot_update_users(supervisor_a, agency_a, viewer_a):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        agency_user_update(
            actor=supervisor_a,
            agency_id=agency_a.pk,
            user_id=viewer_a.pk,
            expected_version=1,
            complaints_role=ComplaintsRole.SUPERVISOR,
        )
    assert snapshot() == before
    assert security_events("agency_user.update_denied") == 1


def test_admin_resets_mfa_of_another_user(agency_admin_a, agency_a, viewer_a):
    from allauth.mfa.models import Authenticator

    from redress.agencies.services import agency_user_reset_mfa

    agency_user_reset_mfa(actor=agency_admin_a, agency_id=agency_a.pk, user_id=viewer_a.pk)
    assert not Authenticator.objects.filter(user=viewer_a).exists()
    assert AuditEvent.objects.get(action="agency_user.mfa_reset").old_values == {"authenticators": ["totp"]}
    before = snapshot()
    with pytest.raises(ApplicationError) as exc:
        agency_user_reset_mfa(actor=agency_admin_a, agency_id=agency_a.pk, user_id=agency_admin_a.pk)
    assert exc.value.code == "cannot_reset_own_mfa"
    assert Authenticator.objects.filter(user=agency_admin_a).exists()
    assert snapshot() == before


@pytest.mark.parametrize("who", ["supervisor_a", "supervisor_b", "company_admin_x"])
def test_only_agency_admins_reset_mfa_or_send_links(request, agency_a, viewer_a, who):
    from allauth.mfa.models import Authenticator

    from redress.agencies.services import agency_user_reset_mfa, agency_user_send_password_link

    actor = request.getfixturevalue(who)
    before = snapshot()
    for service in (agency_user_reset_mfa, agency_user_send_password_link):
        with pytest.raises((NotFound, PermissionDenied)):
            service(actor=actor, agency_id=agency_a.pk, user_id=viewer_a.pk)
    assert Authenticator.objects.filter(user=viewer_a).exists()
    assert snapshot() == before


def test_admin_sends_password_link(agency_admin_a, agency_a, viewer_a, supervisor_b):
    from redress.agencies.services import agency_user_send_password_link

    agency_user_send_password_link(actor=agency_admin_a, agency_id=agency_a.pk, user_id=viewer_a.pk)
    mail = OutboxMessage.objects.get(to_email=viewer_a.email)
    assert "/accounts/password/reset/key/" in mail.text_body
    with pytest.raises(NotFound):
        agency_user_send_password_link(actor=agency_admin_a, agency_id=agency_a.pk, user_id=supervisor_b.pk)


def test_agency_admin_sets_the_ir_reminder_lead_time(agency_a, agency_admin_a):
    from redress.agencies.services import agency_update

    agency = agency_update(
        actor=agency_admin_a, agency_id=agency_a.pk, expected_version=agency_a.version, ir_reminder_days_before=5
    )
    assert agency.ir_reminder_days_before == 5
    with pytest.raises(ApplicationError) as exc:
        agency_update(
            actor=agency_admin_a, agency_id=agency_a.pk, expected_version=agency.version, ir_reminder_days_before=61
        )
    assert exc.value.field == "ir_reminder_days_before"
    agency.refresh_from_db()
    assert agency.ir_reminder_days_before == 5
