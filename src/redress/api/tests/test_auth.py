from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from redress.accounts.models import ApiToken
from redress.accounts.tokens import token_revoke

from .conftest import assert_problem, bearer

pytestmark = pytest.mark.django_db


def test_no_credentials_is_401_problem(client):
    response = client.get("/api/v1/me")
    assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_bearer_token_acts_as_its_user(client, supervisor_a, agency_a):
    response = client.get("/api/v1/me", headers=bearer(supervisor_a))
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == supervisor_a.email
    assert body["kind"] == "agency"
    assert body["agency_id"] == agency_a.pk


@pytest.mark.parametrize("value", ["Bearer rdr_nope", "Bearer ", "Bearer " + "x" * 5000, "Basic Zm9vOmJhcg==", "rdr_"])
def test_garbage_credentials_are_401(client, value):
    assert_problem(client.get("/api/v1/me", headers={"Authorization": value}), 401, "not_authenticated")


def test_revoked_token_is_refused(client, supervisor_a):
    headers = bearer(supervisor_a)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    token_revoke(actor=supervisor_a, token_id=ApiToken.objects.get(user=supervisor_a).pk)
    assert_problem(client.get("/api/v1/me", headers=headers), 401, "not_authenticated")


def test_expired_token_is_refused(client, supervisor_a):
    headers = bearer(supervisor_a, days=1)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=2)):
        assert_problem(client.get("/api/v1/me", headers=headers), 401, "not_authenticated")


def test_token_of_deactivated_user_is_refused(client, supervisor_a):
    headers = bearer(supervisor_a)
    supervisor_a.is_active = False
    supervisor_a.save(update_fields=["is_active"])
    assert_problem(client.get("/api/v1/me", headers=headers), 401, "not_authenticated")


def test_bad_bearer_does_not_fall_back_to_the_session(client, supervisor_a):
    client.force_login(supervisor_a)
    assert client.get("/api/v1/me").status_code == 200
    assert_problem(client.get("/api/v1/me", headers={"Authorization": "Bearer rdr_wrong"}), 401, "not_authenticated")


def test_session_get_works_and_unsafe_methods_need_csrf(supervisor_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(supervisor_a)
    assert client.get("/api/v1/me").status_code == 200
    response = client.post("/api/v1/tokens", {"name": "cli"}, content_type="application/json")
    assert_problem(response, 403, "csrf_failed")
    assert not ApiToken.objects.filter(user=supervisor_a).exists()
    client.get("/accounts/password/change/")  # a page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/tokens", {"name": "cli"}, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201, response.content
    assert ApiToken.objects.filter(user=supervisor_a, name="cli").count() == 1


def test_session_user_without_mfa_is_refused(client, make_user, agency_a):
    from redress.agencies.constants import ComplaintsRole
    from redress.agencies.models import AgencyMembership

    user = make_user(mfa=False)
    AgencyMembership.objects.create(user=user, agency=agency_a, complaints_role=ComplaintsRole.VIEWER)
    client.force_login(user)
    assert_problem(client.get("/api/v1/me"), 403, "mfa_required")
