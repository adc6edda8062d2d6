from __future__ import annotations

import pytest
from django.test import Client

from redress.accounts.models import User
from redress.accounts.tokens import token_create


def bearer(user: User, *, name: str = "test", days: int | None = None) -> dict[str, str]:
    _token, secret = token_create(actor=user, user=user, name=name, days=days)
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def api_client() -> Client:
    return Client()


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"].endswith("/" + code)
    assert body["title"] and body["detail"]
    return body
