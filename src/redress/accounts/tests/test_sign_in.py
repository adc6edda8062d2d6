"""Signing in through the real allauth forms: password, TOTP code, required MFA set-up, lockout, reset."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.urls import reverse

from redress.audit.models import AuditEvent
from redress.notifications.models import OutboxMessage
from tests.fixtures import PASSWORD, totp_code


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth keeps its rate-limit counters in the cache, which outlives a test's database.
    cache.clear()
    yield
    cache.clear()


def _login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _sign_in_fully(client, user):
    _login(client, user.email)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(user.totp_secret)})
    # Sensitive MFA changes ask for the password again.
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def test_login_page_renders(client, db):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1 and 'for="id_login"' in html and 'autocomplete="current-password"' in html


def test_sign_in_with_password_and_totp_code(client, viewer_a):
    response = _login(client, viewer_a.email)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    # Not signed in yet: the home page still sends us to the login page.
    assert client.get(reverse("home")).status_code == 302
    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200 and 'autocomplete="one-time-code"' in page.content.decode()
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "usa-error-message" in wrong.content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(viewer_a.totp_secret)})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_shows_error(client, viewer_a):
    response = _login(client, viewer_a.email, "wrong password entirely")
    assert response.status_code == 200
    html = response.content.decode()
    assert "usa-alert--error" in html
    assert client.get(reverse("home")).status_code == 302


def test_user_without_mfa_must_set_it_up(client, make_user, agency_a):
    from redress.agencies.models import AgencyMembership

    user = make_user("nomfa@example.test", mfa=False)
    AgencyMembership.objects.create(user=user, agency=agency_a, complaints_role="viewer")
    response = _login(client, user.email)
    assert response.status_code == 302
    for name in ("home", "web:account", "web:agency_list"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"), name
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html and "style=" not in html
    secret = re.search(r'id="authenticator_secret" type="text" value="([A-Z0-9]+)"', html).group(1)
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("home")).status_code == 200


def test_mfa_cannot_be_deactivated_when_required(client, viewer_a):
    _sign_in_fully(client, viewer_a)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200
    assert "You cannot deactivate" in response.content.decode()
    assert Authenticator.objects.filter(user=viewer_a, type=Authenticator.Type.TOTP).exists()


def test_mfa_pages_render(client, viewer_a):
    _sign_in_fully(client, viewer_a)
    index = client.get(reverse("mfa_index"))
    assert index.status_code == 200 and index.content.decode().count("<h1") == 1
    generate = client.post(reverse("mfa_generate_recovery_codes"))
    assert generate.status_code == 302
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200
    assert 'id="recovery_codes"' in codes.content.decode()
    assert client.get(reverse("account_change_password")).status_code == 200


def test_sixth_failed_attempt_is_locked_out_and_audited(client, viewer_a):
    for _ in range(5):
        _login(client, viewer_a.email, "wrong password entirely")
    assert AuditEvent.objects.filter(action="account.locked_out", is_security=True).count() == 1
    event = AuditEvent.objects.get(action="account.locked_out")
    assert event.target_id == str(viewer_a.pk)
    # Even the right password is refused now, with the locked-out page.
    response = _login(client, viewer_a.email)
    assert response.status_code in (403, 429)
    assert "Sign-in temporarily locked" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_failures_for_one_account_do_not_lock_another(client, viewer_a, manager_a):
    for _ in range(5):
        _login(client, viewer_a.email.upper(), "wrong password entirely")
    response = _login(client, manager_a.email)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")


def test_password_reset_email_goes_through_outbox(client, viewer_a):
    response = client.post(reverse("account_reset_password"), {"email": viewer_a.email.upper()})
    assert response.status_code == 302
    mail = OutboxMessage.objects.get(to_email=viewer_a.email)
    assert mail.event == "account.password_reset_key" and mail.user_id == viewer_a.pk
    assert mail.subject.startswith("Redress:")
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.text_body).group(1)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    new_password = "another long passphrase 77"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    viewer_a.refresh_from_db()
    assert viewer_a.check_password(new_password)
    # The link works once.
    again = client.get(path, follow=True)
    assert "not valid" in again.content.decode()


def test_password_reset_for_unknown_address_reveals_nothing(client, db):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.test"})
    assert response.status_code == 302 and response["Location"] == reverse("account_reset_password_done")
