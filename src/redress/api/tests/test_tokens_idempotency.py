from __future__ import annotations

import pytest

from redress.accounts.models import ApiToken
from redress.api.models import IdempotencyRecord

from .conftest import assert_problem, bearer

pytestmark = pytest.mark.django_db


def test_create_shows_secret_once_and_it_works(client, supervisor_a):
    headers = bearer(supervisor_a)
    response = client.post(
        "/api/v1/tokens", {"name": "ci", "days": 30}, content_type="application/json", headers=headers
    )
    assert response.status_code == 201
    body = response.json()
    assert body["secret"].startswith("rdr_")
    assert response["Location"] == f"/api/v1/tokens/{body['id']}"
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['secret']}"}).status_code == 200
    listed = client.get("/api/v1/tokens", headers=headers).json()
    assert {t["name"] for t in listed["items"]} == {"test", "ci"}
    assert all("secret" not in t for t in listed["items"])
    one = client.get(f"/api/v1/tokens/{body['id']}", headers=headers).json()
    assert "secret" not in one


def test_bad_token_input_is_422(client, supervisor_a):
    headers = bearer(supervisor_a)
    before = ApiToken.objects.count()
    response = client.post(
        "/api/v1/tokens", {"name": "x", "days": 999}, content_type="application/json", headers=headers
    )
    body = assert_problem(response, 422, "invalid_token_lifetime")
    assert body["errors"] == [{"field": "days", "message": body["detail"]}]
    assert_problem(
        client.post("/api/v1/tokens", "{", content_type="application/json", headers=headers), 400, "bad_request"
    )
    assert_problem(
        client.post("/api/v1/tokens", {"days": 3}, content_type="application/json", headers=headers),
        422,
        "validation_error",
    )
    assert ApiToken.objects.count() == before


def test_revoke_own_token_and_not_anothers(client, supervisor_a, supervisor_b):
    headers_a = bearer(supervisor_a)
    headers_b = bearer(supervisor_b)
    token_b = ApiToken.objects.get(user=supervisor_b)
    assert_problem(client.post(f"/api/v1/tokens/{token_b.pk}/revoke", headers=headers_a), 404, "not_found")
    assert_problem(client.get(f"/api/v1/tokens/{token_b.pk}", headers=headers_a), 404, "not_found")
    token_b.refresh_from_db()
    assert token_b.revoked_at is None
    response = client.post(f"/api/v1/tokens/{token_b.pk}/revoke", headers=headers_b)
    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    assert_problem(client.get("/api/v1/me", headers=headers_b), 401, "not_authenticated")


def test_idempotent_retry_creates_nothing_twice(client, supervisor_a):
    headers = {**bearer(supervisor_a), "Idempotency-Key": "abc-123"}
    first = client.post("/api/v1/tokens", {"name": "once"}, content_type="application/json", headers=headers)
    second = client.post("/api/v1/tokens", {"name": "once"}, content_type="application/json", headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert ApiToken.objects.filter(user=supervisor_a, name="once").count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_same_key_different_body_is_refused(client, supervisor_a):
    headers = {**bearer(supervisor_a), "Idempotency-Key": "k1"}
    client.post("/api/v1/tokens", {"name": "one"}, content_type="application/json", headers=headers)
    response = client.post("/api/v1/tokens", {"name": "two"}, content_type="application/json", headers=headers)
    assert_problem(response, 422, "idempotency_key_reused")
    assert not ApiToken.objects.filter(name="two").exists()


def test_keys_are_per_user(client, supervisor_a, supervisor_b):
    for user in (supervisor_a, supervisor_b):
        headers = {**bearer(user), "Idempotency-Key": "shared"}
        response = client.post("/api/v1/tokens", {"name": "mine"}, content_type="application/json", headers=headers)
        assert response.status_code == 201
        assert "Idempotent-Replayed" not in response
    assert ApiToken.objects.filter(name="mine").count() == 2


def test_refused_create_is_not_stored(client, supervisor_a):
    headers = {**bearer(supervisor_a), "Idempotency-Key": "k2"}
    bad = client.post("/api/v1/tokens", {"name": "  "}, content_type="application/json", headers=headers)
    assert_problem(bad, 422, "invalid_token_name")
    good = client.post("/api/v1/tokens", {"name": "fixed"}, content_type="application/json", headers=headers)
    assert good.status_code == 201
