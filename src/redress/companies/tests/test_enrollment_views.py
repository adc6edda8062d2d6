"""Enrollment pages through the Django client: agency start/remind/pending, public accept, the wizard."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from redress.accounts.models import User
from redress.companies import enrollment as enroll
from redress.companies.models import Company, CompanyMembership, EnrollmentInvitation, NotificationAddress
from redress.notifications.models import OutboxMessage
from tests.fixtures import give_mfa

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "sturdy lantern orbit 77"


@pytest.fixture
def company_z(db) -> Company:
    return Company.objects.create(company_ref="CO-000026", nmls_id="3030", legal_name="Zephyr Lending LLC")


def _post_start(client, company, email="zoe@zephyr.example"):
    return client.post(
        reverse("web:enrollment_start", args=[company.pk]),
        {"enroll-full_name": "Zoe Zephyr", "enroll-email": email, "enroll-phone": ""},
    )


def test_detail_offers_enroll_button_only_to_supervisors_and_managers(client, company_z, supervisor_a, viewer_a):
    url = reverse("web:company_detail", args=[company_z.pk])
    client.force_login(supervisor_a)
    assert "Enroll first user" in client.get(url).text
    client.force_login(viewer_a)
    assert "Enroll first user" not in client.get(url).text
    assert client.get(reverse("web:enrollment_start", args=[company_z.pk])).status_code == 404


def test_start_page_and_post(client, company_z, supervisor_a):
    client.force_login(supervisor_a)
    page = client.get(reverse("web:enrollment_start", args=[company_z.pk]))
    assert page.status_code == 200 and 'name="enroll-email"' in page.text
    bad = _post_start(client, company_z, email="nope")
    assert bad.status_code == 422 and "usa-alert--error" in bad.text
    assert not EnrollmentInvitation.objects.exists()
    ok = _post_start(client, company_z)
    assert ok.status_code == 302 and ok.url == reverse("web:company_detail", args=[company_z.pk])
    assert EnrollmentInvitation.objects.get().user.email == "zoe@zephyr.example"
    # Now the start page shows the status and a reminder button instead of the form.
    page = client.get(reverse("web:enrollment_start", args=[company_z.pk]))
    assert "Send enrollment reminder" in page.text and 'name="enroll-email"' not in page.text


def test_start_refused_for_enrolled_company_names_contact(client, company_x, company_admin_x, supervisor_a):
    client.force_login(supervisor_a)
    response = _post_start(client, company_x)
    assert response.status_code == 422
    assert "Cora Admin" in response.text
    assert CompanyMembership.objects.filter(company=company_x).count() == 1


@pytest.mark.parametrize("who", ["viewer_a", "agency_admin_a", "company_admin_y", "sysadmin"])
def test_start_post_refused(client, request, who, company_z):
    client.force_login(request.getfixturevalue(who))
    assert _post_start(client, company_z).status_code == 404
    assert not EnrollmentInvitation.objects.exists()


def test_pending_list_and_remind(client, company_z, supervisor_a, manager_a, viewer_a, supervisor_b):
    issued = enroll.enrollment_start(actor=supervisor_a, company=company_z, email="zoe@z.example", full_name="Zoe")
    client.force_login(manager_a)
    page = client.get(reverse("web:enrollment_pending"))
    assert page.status_code == 200 and "Zephyr Lending LLC" in page.text and "zoe@z.example" in page.text
    response = client.post(reverse("web:enrollment_remind", args=[issued.invitation.pk]))
    assert response.status_code == 302
    assert len(EnrollmentInvitation.objects.get().reminders) == 1
    for outsider in (viewer_a, supervisor_b):
        client.force_login(outsider)
        assert client.get(reverse("web:enrollment_pending")).status_code == (404 if outsider == viewer_a else 200)
        assert client.post(reverse("web:enrollment_remind", args=[issued.invitation.pk])).status_code == 404
    assert len(EnrollmentInvitation.objects.get().reminders) == 1


def test_accept_page_link_problems_never_500(client, company_z, supervisor_a):
    issued = enroll.enrollment_start(actor=supervisor_a, company=company_z, email="zoe@z.example", full_name="Zoe")
    for token in ("junk", "1.x", issued.token + "x", "9" * 30 + "." + "a" * 40):
        response = client.get(reverse("web:enrollment_accept", args=[token]))
        assert response.status_code == 404 and "not valid" in response.text
    response = client.get(reverse("web:enrollment_accept", args=[issued.token]))
    assert response.status_code == 200 and "Zephyr Lending LLC" in response.text


def test_accept_then_wizard_to_completion(client, settings, company_z, manager_a):
    settings.REDRESS_REQUIRE_MFA = True
    issued = enroll.enrollment_start(actor=manager_a, company=company_z, email="zoe@z.example", full_name="Zoe Z")
    url = reverse("web:enrollment_accept", args=[issued.token])
    mismatch = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "!"})
    assert mismatch.status_code == 422 and "do not match" in mismatch.text
    weak = client.post(url, {"password1": "password", "password2": "password"})
    assert weak.status_code == 422 and "usa-error-message" in weak.text
    done = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302 and done.url.startswith(reverse("account_login"))
    used = client.get(url)
    assert used.status_code == 404 and "not valid" in used.text

    zoe = User.objects.get(email="zoe@z.example")
    assert zoe.is_active and zoe.check_password(NEW_PASSWORD)
    client.force_login(zoe)
    # MFA first: every wizard page is sent to the authenticator set-up.
    assert "/accounts/2fa/totp/activate" in client.get(reverse("web:enrollment_wizard")).url
    give_mfa(zoe)
    assert client.get(reverse("web:enrollment_wizard")).url == reverse("web:enrollment_step", args=["confirm"])
    assert client.get(reverse("web:enrollment_step", args=["contact"])).url.endswith("/enrollment/confirm/")
    assert "Zephyr Lending LLC" in client.get(reverse("web:enrollment_step", args=["confirm"])).text
    assert client.post(reverse("web:enrollment_step", args=["confirm"])).status_code == 302

    contact_url = reverse("web:enrollment_step", args=["contact"])
    page = client.get(contact_url)
    assert page.status_code == 200 and "Me, Zoe Z" in page.text
    missing = client.post(contact_url, {"user": "0", "new_full_name": "", "new_email": ""})
    assert missing.status_code == 422
    added = client.post(contact_url, {"user": "0", "new_full_name": "Zack Z", "new_email": "zack@z.example"})
    assert added.status_code == 302
    company_z.refresh_from_db()
    assert company_z.complaints_contact.email == "zack@z.example"

    team_url = reverse("web:enrollment_step", args=["team"])
    assert client.get(team_url).status_code == 200
    r = client.post(team_url, {"action": "add_address", "address-email": "complaints@z.example"})
    assert r.status_code == 302 and NotificationAddress.objects.filter(company=company_z).count() == 1
    r = client.post(
        team_url,
        {
            "action": "add_user",
            "newuser-full_name": "Ann",
            "newuser-email": "ann@z.example",
            "newuser-complaints_access": "view",
        },
    )
    assert r.status_code == 302 and CompanyMembership.objects.filter(company=company_z).count() == 3
    bad = client.post(team_url, {"action": "add_user", "newuser-full_name": "", "newuser-email": "x"})
    assert bad.status_code == 422

    finish_url = reverse("web:enrollment_step", args=["finish"])
    assert "zack@z.example" in client.get(finish_url).text
    finished = client.post(finish_url)
    assert finished.status_code == 302
    assert EnrollmentInvitation.objects.get().completed_at is not None
    assert OutboxMessage.objects.filter(event="company.enrollment_completed", to_email=manager_a.email).count() == 1
    # After completion the wizard is gone and leads to the company page.
    assert (
        client.get(reverse("web:enrollment_wizard")).url
        == reverse("web:company_detail", args=[company_z.pk]) + "#users"
    )
    assert client.get(finish_url).status_code == 404


def test_wizard_is_only_for_the_invitee(client, company_admin_x, supervisor_a):
    client.force_login(supervisor_a)
    assert client.get(reverse("web:enrollment_wizard")).status_code == 404
    client.force_login(company_admin_x)
    assert client.get(reverse("web:enrollment_step", args=["confirm"])).status_code == 404


def test_email_link_matches_accept_route(company_z, supervisor_a):
    issued = enroll.enrollment_start(actor=supervisor_a, company=company_z, email="zoe@z.example", full_name="Zoe")
    body = OutboxMessage.objects.get(event="company.enrollment_invited").text_body
    assert re.search(r"https?://\S+" + re.escape(reverse("web:enrollment_accept", args=[issued.token])), body)


def test_expired_link_page_explains_and_keeps_account_locked(client, company_z, supervisor_a):
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        issued = enroll.enrollment_start(actor=supervisor_a, company=company_z, email="zoe@z.example", full_name="Zoe")
    with time_machine.travel(dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC), tick=False):
        url = reverse("web:enrollment_accept", args=[issued.token])
        page = client.get(url)
        assert page.status_code == 410 and "has expired" in page.text and "reminder" in page.text
        post = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
        assert post.status_code == 410
    assert not User.objects.get(email="zoe@z.example").is_active
