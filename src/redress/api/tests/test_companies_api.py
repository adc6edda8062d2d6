from __future__ import annotations

import pytest

from redress.companies.models import Company, CompanyMembership
from redress.companies.services import company_create

from .conftest import assert_problem, bearer

pytestmark = pytest.mark.django_db

JSON = "application/json"


def test_company_token_cannot_see_another_company(client, company_x, company_y, company_user_x):
    headers = bearer(company_user_x)
    body = client.get("/api/v1/companies", headers=headers).json()
    assert [c["company_ref"] for c in body["items"]] == ["CO-000001"]
    assert client.get("/api/v1/companies/CO-000001", headers=headers).status_code == 200
    assert_problem(client.get("/api/v1/companies/CO-000002", headers=headers), 404, "not_found")
    assert_problem(client.get("/api/v1/companies/CO-000002/users", headers=headers), 404, "not_found")
    # Company users do not see the audit trail, not even their own company's.
    assert_problem(client.get("/api/v1/companies/CO-000001/history", headers=headers), 404, "not_found")


def test_search_pages_without_gaps(client, supervisor_a, sysadmin, django_assert_max_num_queries):
    for i in range(12):
        company_create(actor=sysadmin, legal_name=f"Lender {i:02d} LLC")
    headers = bearer(supervisor_a)
    client.get("/api/v1/me", headers=headers)
    names, url = [], "/api/v1/companies?q=lender&limit=5"
    while url:
        with django_assert_max_num_queries(6):
            body = client.get(url, headers=headers).json()
        names.extend(c["legal_name"] for c in body["items"])
        url = f"/api/v1/companies?q=lender&limit=5&cursor={body['next_cursor']}" if body["next_cursor"] else None
    assert names == [f"Lender {i:02d} LLC" for i in range(12)]
    assert_problem(client.get("/api/v1/companies?cursor=%%%", headers=headers), 422, "invalid_cursor")


def test_create_get_patch_company(client, supervisor_a, company_admin_x, company_x):
    headers = bearer(supervisor_a)
    created = client.post(
        "/api/v1/companies",
        {"legal_name": "Acme Mortgage", "nmls_id": "777"},
        content_type=JSON,
        headers={**headers, "Idempotency-Key": "acme"},
    )
    assert created.status_code == 201, created.content
    ref = created.json()["company_ref"]
    replay = client.post(
        "/api/v1/companies",
        {"legal_name": "Acme Mortgage", "nmls_id": "777"},
        content_type=JSON,
        headers={**headers, "Idempotency-Key": "acme"},
    )
    assert replay.json() == created.json()
    assert Company.objects.filter(legal_name="Acme Mortgage").count() == 1
    url = f"/api/v1/companies/{ref}"
    etag = client.get(url, headers=headers)["ETag"]
    assert_problem(
        client.patch(url, {"city": "Austin"}, content_type=JSON, headers=headers), 428, "precondition_required"
    )
    ok = client.patch(url, {"city": "Austin"}, content_type=JSON, headers={**headers, "If-Match": etag})
    assert ok.status_code == 200 and ok.json()["city"] == "Austin"
    stale = client.patch(url, {"city": "Dallas"}, content_type=JSON, headers={**headers, "If-Match": etag})
    assert_problem(stale, 412, "stale_version")
    assert Company.objects.get(company_ref=ref).city == "Austin"
    # A company admin cannot touch another company's record.
    other = client.patch(url, {"city": "X"}, content_type=JSON, headers={**bearer(company_admin_x), "If-Match": '"2"'})
    assert other.status_code == 404
    assert Company.objects.get(company_ref=ref).city == "Austin"


def test_company_users(client, company_x, company_admin_x, company_user_x, company_admin_y):
    headers = bearer(company_admin_x)
    listed = client.get("/api/v1/companies/CO-000001/users", headers=headers).json()["items"]
    assert {u["email"] for u in listed} == {company_admin_x.email, company_user_x.email}
    created = client.post(
        "/api/v1/companies/CO-000001/users",
        {"email": "new@ocwen.test", "full_name": "New Person", "complaints_access": "view"},
        content_type=JSON,
        headers=headers,
    )
    assert created.status_code == 201, created.content
    user_id = created.json()["user_id"]
    url = f"/api/v1/companies/CO-000001/users/{user_id}"
    etag = client.get(url, headers=headers)["ETag"]
    ok = client.patch(url, {"complaints_access": "manage"}, content_type=JSON, headers={**headers, "If-Match": etag})
    assert ok.status_code == 200, ok.content
    assert ok.json()["complaints_access"] == "manage"
    assert ok["ETag"] != etag
    refused = client.post(
        "/api/v1/companies/CO-000001/users",
        {"email": "sneaky@ditech.test", "full_name": "Sneaky"},
        content_type=JSON,
        headers=bearer(company_admin_y),
    )
    assert refused.status_code == 404
    assert not CompanyMembership.objects.filter(user__email="sneaky@ditech.test").exists()
    off = client.post(f"{url}/deactivate", headers=headers)
    assert off.status_code == 200 and off.json()["is_active"] is False
