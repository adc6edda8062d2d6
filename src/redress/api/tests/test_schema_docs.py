from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_is_3_1_and_declares_problems(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    assert "Problem" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            assert "401" in op["responses"], (method, path)
            assert "application/problem+json" in op["responses"]["401"]["content"], (method, path)


def test_docs_are_served_locally_without_inline_code(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    srcs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert srcs and all(s.startswith("/static/") for s in srcs), srcs
    # Only a JSON data block may be inline; executable inline script and style attributes would break the CSP.
    for attrs in re.findall(r"<script([^>]*)>", html):
        assert "src=" in attrs or 'type="application/json"' in attrs
    assert "style=" not in html and "<style" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
