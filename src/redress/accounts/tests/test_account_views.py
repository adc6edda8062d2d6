from __future__ import annotations

import pytest
from django.urls import reverse

from redress.accounts.models import ApiToken
from redress.accounts.tokens import authenticate_token, token_create
from redress.audit.models import AuditEvent


def test_account_page_requires_sign_in(client, db):
    response = client.get(reverse("web:account"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize("role", ["sysadmin", "viewer_a", "agency_admin_a", "company_user_x"])
def test_account_page_for_every_kind_of_user(request, client, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(reverse("web:account"))
    assert response.status_code == 200
    html = response.content.decode()
    assert user.email in html and html.count("<h1") == 1
    assert "Authenticator app: <strong>active</strong>" in html


def test_profile_update(client, viewer_a):
    client.force_login(viewer_a)
    response = client.post(reverse("web:account"), {"profile-full_name": "Victoria Viewer", "profile-phone": "555"})
    assert response.status_code == 302
    viewer_a.refresh_from_db()
    assert (viewer_a.full_name, viewer_a.phone) == ("Victoria Viewer", "555")
    assert AuditEvent.objects.get(action="account.profile_updated").old_values == {
        "full_name": "Vic Viewer",
        "phone": "",
    }


def test_profile_update_rejects_blank_name(client, viewer_a):
    client.force_login(viewer_a)
    response = client.post(reverse("web:account"), {"profile-full_name": "  ", "profile-phone": ""})
    assert response.status_code == 422
    assert "usa-error-message" in response.content.decode()
    viewer_a.refresh_from_db()
    assert viewer_a.full_name == "Vic Viewer"


def test_token_secret_shown_once_and_works(client, viewer_a):
    client.force_login(viewer_a)
    response = client.post(reverse("web:account_token_create"), {"token-name": "Export", "token-days": "30"})
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    secret = response.context["new_token_secret"]
    assert secret in response.content.decode()
    assert authenticate_token(secret) == viewer_a
    again = client.get(reverse("web:account")).content.decode()
    assert secret not in again and "Export" in again


def test_token_create_rejects_bad_lifetime(client, viewer_a):
    client.force_login(viewer_a)
    response = client.post(reverse("web:account_token_create"), {"token-name": "Export", "token-days": "999"})
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_token_revoke_own_only(client, viewer_a, manager_a):
    token, secret = token_create(actor=viewer_a, user=viewer_a, name="Mine", days=10)
    client.force_login(manager_a)
    assert client.post(reverse("web:account_token_revoke", args=[token.pk])).status_code == 404
    assert authenticate_token(secret) == viewer_a
    client.force_login(viewer_a)
    assert client.post(reverse("web:account_token_revoke", args=[token.pk])).status_code == 302
    assert authenticate_token(secret) is None
    token.refresh_from_db()
    assert token.revoked_at is not None
