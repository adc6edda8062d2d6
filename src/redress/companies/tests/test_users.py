from __future__ import annotations

import pytest
from django.test import Client

from redress.accounts.models import User
from redress.audit.models import AuditEvent
from redress.companies import services
from redress.companies.constants import ComplaintsAccess
from redress.companies.models import CompanyMembership
from redress.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied, PreconditionFailed
from redress.notifications.models import OutboxMessage

from .helpers import db_state

pytestmark = pytest.mark.django_db


def _create(actor, company, email, **kw):
    return services.company_user_create(actor=actor, company=company, email=email, full_name="New Person", **kw)


def test_admin_creates_user_with_set_password_email(company_admin_x, company_x):
    user = _create(company_admin_x, company_x, "New.Person@Ocwen.example", complaints_access=ComplaintsAccess.VIEW)
    assert user.email == "new.person@ocwen.example" and not user.has_usable_password()
    membership = CompanyMembership.objects.get(user=user)
    assert membership.company == company_x and membership.complaints_access == "view"
    assert AuditEvent.objects.filter(action="company.user_created", company_id=company_x.pk).exists()
    message = OutboxMessage.objects.get(to_email="new.person@ocwen.example")
    assert "/accounts/password/reset/key/" in message.text_body
    assert message.user == user


def test_set_password_link_works(company_admin_x, company_x):
    user = _create(company_admin_x, company_x, "linked@ocwen.example")
    body = OutboxMessage.objects.get(user=user).text_body
    link = next(line for line in body.splitlines() if "/password/reset/key/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = Client().get("/" + path, follow=True)
    assert response.status_code == 200
    assert b"password1" in response.content


def test_email_already_used_is_refused(company_admin_x, company_x, supervisor_a):
    before = db_state()
    with pytest.raises(Conflict) as exc:
        _create(company_admin_x, company_x, supervisor_a.email.upper())
    assert exc.value.code == "email_in_use"
    assert db_state() == before
    assert not OutboxMessage.objects.exists()


def test_non_admins_cannot_create_users(company_user_x, company_admin_y, supervisor_a, company_x):
    before = db_state()
    with pytest.raises(PermissionDenied):
        _create(company_user_x, company_x, "a@x.example")
    with pytest.raises(PermissionDenied):
        _create(supervisor_a, company_x, "b@x.example")
    with pytest.raises(NotFound):
        _create(company_admin_y, company_x, "c@x.example")
    assert db_state() == before


def test_sysadmin_creates_company_users(sysadmin, company_x):
    user = _create(sysadmin, company_x, "admin2@ocwen.example", is_account_admin=True)
    assert CompanyMembership.objects.get(user=user).is_account_admin


def test_at_most_three_admins(company_admin_x, company_x):
    _create(company_admin_x, company_x, "a2@ocwen.example", is_account_admin=True)
    third = _create(company_admin_x, company_x, "a3@ocwen.example", is_account_admin=True)
    before = db_state()
    with pytest.raises(Conflict) as exc:
        _create(company_admin_x, company_x, "a4@ocwen.example", is_account_admin=True)
    assert exc.value.code == "too_many_account_admins"
    assert db_state() == before
    plain = _create(company_admin_x, company_x, "p@ocwen.example")
    with pytest.raises(Conflict):
        services.company_user_update(
            actor=company_admin_x, company=company_x, user=plain, expected_version=1, is_account_admin=True
        )
    # Deactivating one frees a seat.
    services.company_user_deactivate(actor=company_admin_x, company=company_x, user=third)
    services.company_user_update(
        actor=company_admin_x, company=company_x, user=plain, expected_version=1, is_account_admin=True
    )
    before = db_state()
    with pytest.raises(Conflict):
        services.company_user_reactivate(actor=company_admin_x, company=company_x, user=third)
    assert db_state() == before


def test_last_admin_cannot_be_removed(company_admin_x, sysadmin, company_x):
    before = db_state()
    with pytest.raises(Conflict) as exc:
        services.company_user_update(
            actor=sysadmin, company=company_x, user=company_admin_x, expected_version=1, is_account_admin=False
        )
    assert exc.value.code == "last_account_admin"
    with pytest.raises(Conflict):
        services.company_user_deactivate(actor=sysadmin, company=company_x, user=company_admin_x)
    assert db_state() == before


def test_user_update_checks_version(company_admin_x, company_user_x, company_x):
    services.company_user_update(
        actor=company_admin_x, company=company_x, user=company_user_x, expected_version=1, complaints_access="view"
    )
    before = db_state()
    with pytest.raises(PreconditionFailed):
        services.company_user_update(
            actor=company_admin_x, company=company_x, user=company_user_x, expected_version=1, complaints_access="none"
        )
    assert db_state() == before


def test_complaints_contact_rules(company_admin_x, company_user_x, company_viewer_x, company_admin_y, company_x):
    company = services.company_complaints_contact_set(
        actor=company_admin_x, company=company_x, user=company_user_x, expected_version=1
    )
    assert company.complaints_contact == company_user_x and company.version == 2
    before = db_state()
    with pytest.raises(ApplicationError) as exc:
        services.company_complaints_contact_set(
            actor=company_admin_x, company=company_x, user=company_viewer_x, expected_version=2
        )
    assert exc.value.code == "complaints_contact_needs_manage"
    with pytest.raises(ApplicationError):
        services.company_complaints_contact_set(
            actor=company_admin_x, company=company_x, user=company_admin_y, expected_version=2
        )
    with pytest.raises(PermissionDenied):
        services.company_complaints_contact_set(
            actor=company_user_x, company=company_x, user=company_admin_x, expected_version=2
        )
    with pytest.raises(Conflict):
        services.company_user_update(
            actor=company_admin_x, company=company_x, user=company_user_x, expected_version=1, complaints_access="view"
        )
    with pytest.raises(Conflict):
        services.company_user_deactivate(actor=company_admin_x, company=company_x, user=company_user_x)
    with pytest.raises(PreconditionFailed):
        services.company_complaints_contact_set(
            actor=company_admin_x, company=company_x, user=company_admin_x, expected_version=1
        )
    assert db_state() == before


def test_deactivate_and_reactivate(company_admin_x, company_viewer_x, company_x):
    services.company_user_deactivate(actor=company_admin_x, company=company_x, user=company_viewer_x)
    assert not User.objects.get(pk=company_viewer_x.pk).is_active
    services.company_user_reactivate(actor=company_admin_x, company=company_x, user=company_viewer_x)
    assert User.objects.get(pk=company_viewer_x.pk).is_active
    with pytest.raises(ApplicationError):
        services.company_user_deactivate(actor=company_admin_x, company=company_x, user=company_admin_x)
