from __future__ import annotations

import pytest
from django.urls import reverse

from redress.agencies.constants import ComplaintsRole
from redress.agencies.models import Agency, AgencyMembership
from redress.audit.models import AuditEvent
from redress.notifications.models import OutboxMessage

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
MAY_VIEW_A = {"sysadmin", "supervisor_a", "manager_a", "viewer_a", "agency_admin_a"}
MAY_MANAGE_A = {"sysadmin", "agency_admin_a"}


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


@pytest.mark.parametrize("role", ROLES)
def test_agency_detail_permissions(request, login, agency_a, role):
    client = login(request.getfixturevalue(role))
    response = client.get(reverse("web:agency_detail", args=[agency_a.pk]))
    assert response.status_code == (200 if role in MAY_VIEW_A else 404)
    if response.status_code == 200:
        html = response.content.decode()
        assert html.count("<h1") == 1
        assert ("Add a user" in html) is (role in MAY_MANAGE_A)


@pytest.mark.parametrize("role", ROLES)
def test_agency_settings_post_permissions(request, login, agency_a, role):
    client = login(request.getfixturevalue(role))
    response = client.post(
        reverse("web:agency_settings", args=[agency_a.pk]),
        {
            "settings-name": agency_a.name,
            "settings-contact_email": "x@ofr.md.gov",
            "settings-document_retention_years": "8",
            "settings-ir_reminder_days_before": "3",
            "settings-version": "1",
        },
    )
    agency_a.refresh_from_db()
    if role in MAY_MANAGE_A:
        assert response.status_code == 302
        assert agency_a.document_retention_years == 8 and agency_a.version == 2
    else:
        assert response.status_code == 404
        assert agency_a.document_retention_years == 6 and agency_a.version == 1


@pytest.mark.parametrize("role", ROLES)
def test_agency_user_add_permissions(request, login, agency_a, role):
    client = login(request.getfixturevalue(role))
    response = client.post(
        reverse("web:agency_user_add", args=[agency_a.pk]),
        {
            "newuser-email": "added@ofr.md.gov",
            "newuser-full_name": "Added Person",
            "newuser-complaints_role": ComplaintsRole.MANAGER,
        },
    )
    created = AgencyMembership.objects.filter(user__email="added@ofr.md.gov", agency=agency_a).exists()
    if role in MAY_MANAGE_A:
        assert response.status_code == 302 and created
        assert OutboxMessage.objects.filter(to_email="added@ofr.md.gov").exists()
    else:
        assert response.status_code == 404 and not created


@pytest.mark.parametrize("role", ROLES)
def test_agency_list_permissions(request, login, agency_a, agency_b, role):
    client = login(request.getfixturevalue(role))
    response = client.get(reverse("web:agency_list"))
    if role.startswith("company"):
        assert response.status_code == 404
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert agency_a.name in html or role == "supervisor_b"
    assert (agency_b.name in html) is (role in ("sysadmin", "supervisor_b"))
    assert ("Add an agency" in html) is (role == "sysadmin")


def test_sysadmin_creates_agency_through_form(login, sysadmin):
    client = login(sysadmin)
    response = client.post(
        reverse("web:agency_list"),
        {
            "agency-name": "Ohio DFI",
            "agency-code": "OH-DFI",
            "agency-state": "OH",
            "agency-document_retention_years": "6",
        },
    )
    agency = Agency.objects.get(code="OH-DFI")
    assert response.status_code == 302 and response["Location"] == reverse("web:agency_detail", args=[agency.pk])


def test_agency_user_forbidden_to_create_agency(login, agency_admin_a):
    client = login(agency_admin_a)
    response = client.post(
        reverse("web:agency_list"),
        {
            "agency-name": "Ohio DFI",
            "agency-code": "OH-DFI",
            "agency-state": "OH",
            "agency-document_retention_years": "6",
        },
    )
    assert response.status_code == 404
    assert not Agency.objects.filter(code="OH-DFI").exists()


def test_form_errors_are_shown_accessibly(login, sysadmin, agency_a):
    client = login(sysadmin)
    response = client.post(
        reverse("web:agency_list"),
        {
            "agency-name": agency_a.name,
            "agency-code": "bad code",
            "agency-state": "OH",
            "agency-document_retention_years": "6",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "usa-alert--error" in html and "There is a problem" in html
    assert 'aria-describedby="id_agency-code-hint id_agency-code-error"' in html
    assert 'id="id_agency-code-error"' in html and "usa-input--error" in html


def test_stale_settings_form_shows_error_and_keeps_record(login, agency_admin_a, agency_a):
    client = login(agency_admin_a)
    url = reverse("web:agency_settings", args=[agency_a.pk])
    data = {
        "settings-name": agency_a.name,
        "settings-document_retention_years": "8",
        "settings-ir_reminder_days_before": "3",
        "settings-version": "1",
    }
    assert client.post(url, data).status_code == 302
    data["settings-document_retention_years"] = "9"
    response = client.post(url, data)
    assert response.status_code == 422
    assert "changed since you loaded it" in response.content.decode()
    assert 'name="settings-version" value="2"' in response.content.decode()
    agency_a.refresh_from_db()
    assert agency_a.document_retention_years == 8


def test_edit_user_page_and_last_admin_error(login, agency_admin_a, agency_a, viewer_a):
    client = login(agency_admin_a)
    url = reverse("web:agency_user_edit", args=[agency_a.pk, viewer_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "member-full_name": "Vic Viewer",
            "member-complaints_role": "manager",
            "member-is_active": "on",
            "member-version": "1",
        },
    )
    assert response.status_code == 302
    assert AgencyMembership.objects.get(user=viewer_a).complaints_role == "manager"
    own = reverse("web:agency_user_edit", args=[agency_a.pk, agency_admin_a.pk])
    response = client.post(
        own,
        {
            "member-full_name": "Ada Admin",
            "member-complaints_role": "viewer",
            "member-is_active": "on",
            "member-version": "1",
        },
    )
    assert response.status_code == 422
    assert "last account administrator" in response.content.decode()
    assert AgencyMembership.objects.get(user=agency_admin_a).is_account_admin is True


@pytest.mark.parametrize("role", ["supervisor_a", "viewer_a", "supervisor_b", "company_admin_x"])
def test_edit_user_page_hidden_from_non_admins(request, login, agency_a, viewer_a, role):
    client = login(request.getfixturevalue(role))
    url = reverse("web:agency_user_edit", args=[agency_a.pk, viewer_a.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        url, {"member-full_name": "X", "member-complaints_role": "supervisor", "member-version": "1"}
    )
    assert response.status_code == 404
    assert AgencyMembership.objects.get(user=viewer_a).complaints_role == "viewer"
    assert not AuditEvent.objects.filter(action="agency_user.updated").exists()


def test_admin_resets_mfa_and_sends_link_from_edit_page(login, agency_admin_a, agency_a, viewer_a):
    from allauth.mfa.models import Authenticator

    client = login(agency_admin_a)
    response = client.post(reverse("web:agency_user_mfa_reset", args=[agency_a.pk, viewer_a.pk]))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=viewer_a).exists()
    response = client.post(reverse("web:agency_user_password_link", args=[agency_a.pk, viewer_a.pk]))
    assert response.status_code == 302
    assert OutboxMessage.objects.filter(to_email=viewer_a.email, event="account.invitation").exists()


@pytest.mark.parametrize("role", ["supervisor_a", "supervisor_b", "company_admin_x"])
def test_reset_mfa_hidden_from_non_admins(request, login, agency_a, viewer_a, role):
    from allauth.mfa.models import Authenticator

    client = login(request.getfixturevalue(role))
    assert client.post(reverse("web:agency_user_mfa_reset", args=[agency_a.pk, viewer_a.pk])).status_code == 404
    assert client.post(reverse("web:agency_user_password_link", args=[agency_a.pk, viewer_a.pk])).status_code == 404
    assert Authenticator.objects.filter(user=viewer_a).exists()
    assert not OutboxMessage.objects.filter(to_email=viewer_a.email).exists()
