from __future__ import annotations

import pytest

from redress.agencies.models import Agency, AgencyMembership

from .conftest import assert_problem, bearer

pytestmark = pytest.mark.django_db

JSON = "application/json"


def test_agency_user_sees_only_own_agency(client, agency_a, agency_b, supervisor_a, sysadmin):
    body = client.get("/api/v1/agencies", headers=bearer(supervisor_a)).json()
    assert [a["code"] for a in body["items"]] == ["MD-OFR"]
    assert_problem(client.get("/api/v1/agencies/TX-DOB", headers=bearer(supervisor_a, name="2")), 404, "not_found")
    body = client.get("/api/v1/agencies", headers=bearer(sysadmin)).json()
    assert {a["code"] for a in body["items"]} == {"MD-OFR", "TX-DOB"}


def test_company_user_sees_no_agency(client, agency_a, company_admin_x):
    headers = bearer(company_admin_x)
    assert client.get("/api/v1/agencies", headers=headers).json()["items"] == []
    assert_problem(client.get("/api/v1/agencies/MD-OFR", headers=headers), 404, "not_found")


def test_etag_and_if_match(client, agency_a, agency_admin_a):
    headers = bearer(agency_admin_a)
    response = client.get("/api/v1/agencies/MD-OFR", headers=headers)
    assert response["ETag"] == '"1"'
    url = "/api/v1/agencies/MD-OFR"
    # Missing If-Match: 428, nothing changes.
    assert_problem(
        client.patch(url, {"name": "Renamed"}, content_type=JSON, headers=headers), 428, "precondition_required"
    )
    # Stale If-Match: 412, nothing changes.
    stale = {**headers, "If-Match": '"7"'}
    assert_problem(client.patch(url, {"name": "Renamed"}, content_type=JSON, headers=stale), 412, "stale_version")
    assert_problem(
        client.patch(url, {"name": "Renamed"}, content_type=JSON, headers={**headers, "If-Match": "junk"}),
        412,
        "stale_version",
    )
    agency_a.refresh_from_db()
    assert (agency_a.name, agency_a.version) == ("Maryland Office of Financial Regulation", 1)
    ok = client.patch(url, {"name": "Renamed"}, content_type=JSON, headers={**headers, "If-Match": '"1"'})
    assert ok.status_code == 200, ok.content
    assert ok["ETag"] == '"2"'
    assert ok.json()["name"] == "Renamed"
    # The old ETag is now stale.
    again = client.patch(url, {"name": "Again"}, content_type=JSON, headers={**headers, "If-Match": '"1"'})
    assert_problem(again, 412, "stale_version")
    agency_a.refresh_from_db()
    assert agency_a.name == "Renamed"
    history = client.get(url + "/history", headers=headers).json()["items"]
    assert history[-1]["action"] == "agency.updated"
    assert history[-1]["new_values"] == {"name": "Renamed"}


def test_viewer_cannot_patch(client, agency_a, viewer_a):
    headers = {**bearer(viewer_a), "If-Match": '"1"'}
    response = client.patch("/api/v1/agencies/MD-OFR", {"name": "X"}, content_type=JSON, headers=headers)
    assert response.status_code in (403, 404)
    agency_a.refresh_from_db()
    assert agency_a.version == 1


def test_create_agency_sysadmin_only_and_idempotent(client, sysadmin, supervisor_a):
    payload = {"code": "VA-BFI", "name": "Virginia Bureau", "state": "VA"}
    assert_problem(
        client.post("/api/v1/agencies", payload, content_type=JSON, headers=bearer(supervisor_a)), 403, "forbidden"
    )
    headers = {**bearer(sysadmin), "Idempotency-Key": "va"}
    first = client.post("/api/v1/agencies", payload, content_type=JSON, headers=headers)
    second = client.post("/api/v1/agencies", payload, content_type=JSON, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first["Location"] == "/api/v1/agencies/VA-BFI"
    assert Agency.objects.filter(code="VA-BFI").count() == 1
    dup = client.post("/api/v1/agencies", payload, content_type=JSON, headers=bearer(sysadmin, name="2"))
    assert dup.status_code == 422 and dup.json()["code"] == "agency_code_taken"


def test_agency_users_list_create_patch(client, agency_a, agency_admin_a, viewer_a, supervisor_b):
    headers = bearer(agency_admin_a)
    listed = client.get("/api/v1/agencies/MD-OFR/users", headers=headers).json()["items"]
    assert {u["email"] for u in listed} == {agency_admin_a.email, viewer_a.email}
    assert_problem(client.get("/api/v1/agencies/MD-OFR/users", headers=bearer(supervisor_b)), 404, "not_found")
    created = client.post(
        "/api/v1/agencies/MD-OFR/users",
        {"email": "new@md.gov", "full_name": "New Person", "complaints_role": "manager"},
        content_type=JSON,
        headers=headers,
    )
    assert created.status_code == 201, created.content
    user_id = created.json()["user_id"]
    url = f"/api/v1/agencies/MD-OFR/users/{user_id}"
    assert client.get(url, headers=headers)["ETag"] == '"1"'
    assert_problem(
        client.patch(url, {"complaints_role": "viewer"}, content_type=JSON, headers=headers),
        428,
        "precondition_required",
    )
    ok = client.patch(url, {"complaints_role": "viewer"}, content_type=JSON, headers={**headers, "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.json()["complaints_role"] == "viewer"
    assert AgencyMembership.objects.get(user_id=user_id).complaints_role == "viewer"


def test_agency_user_with_no_complaints_role(client, agency_a, agency_admin_a, viewer_a, make_user):
    """An empty complaints role is a user with system roles only: created, listed and edited both
    ways; any other value is refused."""
    headers = bearer(agency_admin_a)
    users = "/api/v1/agencies/MD-OFR/users"
    examiner = make_user(full_name="Eve Examiner")
    created = client.post(
        users,
        {"email": examiner.email, "full_name": "Eve Examiner", "complaints_role": ""},
        content_type=JSON,
        headers=headers,
    )
    assert created.status_code == 201, created.content
    assert created.json()["complaints_role"] == ""
    assert AgencyMembership.objects.get(user=examiner).complaints_role == ""
    listed = {u["email"]: u["complaints_role"] for u in client.get(users, headers=headers).json()["items"]}
    assert listed[examiner.email] == ""
    me = client.get("/api/v1/me", headers=bearer(examiner)).json()
    assert (me["kind"], me["complaints_role"]) == ("agency", None)

    refused = client.post(
        users, {"email": "x@md.gov", "full_name": "X", "complaints_role": "none"}, content_type=JSON, headers=headers
    )
    assert assert_problem(refused, 422, "invalid_role")["errors"][0]["field"] == "complaints_role"

    url = f"{users}/{viewer_a.pk}"
    to_none = client.patch(url, {"complaints_role": ""}, content_type=JSON, headers={**headers, "If-Match": '"1"'})
    assert to_none.status_code == 200, to_none.content
    assert to_none.json()["complaints_role"] == "" and to_none["ETag"] == '"2"'
    stale = client.patch(url, {"complaints_role": "viewer"}, content_type=JSON, headers={**headers, "If-Match": '"1"'})
    assert_problem(stale, 412, "stale_version")
    back = client.patch(url, {"complaints_role": "viewer"}, content_type=JSON, headers={**headers, "If-Match": '"2"'})
    assert back.status_code == 200 and back.json()["complaints_role"] == "viewer"
    assert AgencyMembership.objects.get(user=viewer_a).complaints_role == "viewer"
