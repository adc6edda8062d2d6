"""API: enrollment start/remind/pending and communication templates and sends."""

from __future__ import annotations

import pytest

from redress.accounts.tokens import token_create
from redress.companies import services
from redress.companies.models import CommunicationSend, CommunicationTemplate, Company, EnrollmentInvitation
from redress.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

JSON = "application/json"


def bearer(user) -> dict[str, str]:
    _token, secret = token_create(actor=user, user=user, name="test")
    return {"Authorization": f"Bearer {secret}"}


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["code"] == code and body["detail"]
    return body


@pytest.fixture
def company_z(db) -> Company:
    return Company.objects.create(company_ref="CO-000026", nmls_id="3030", legal_name="Zephyr Lending LLC")


def _start(client, headers, ref="CO-000026", **extra):
    body = {"email": "zoe@z.example", "full_name": "Zoe Z"}
    return client.post(f"/api/v1/companies/{ref}/enrollment", body, content_type=JSON, headers={**headers, **extra})


def test_start_idempotent_get_remind_and_list(client, supervisor_a, manager_a, company_z):
    headers = bearer(supervisor_a)
    created = _start(client, headers, **{"Idempotency-Key": "z1"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "invited" and body["user_email"] == "zoe@z.example" and body["agency_code"] == "MD-OFR"
    assert created["Location"] == "/api/v1/companies/CO-000026/enrollment"
    replay = _start(client, headers, **{"Idempotency-Key": "z1"})
    assert replay.json() == body and EnrollmentInvitation.objects.count() == 1
    assert OutboxMessage.objects.filter(event="company.enrollment_invited").count() == 1
    assert client.get("/api/v1/companies/CO-000026/enrollment", headers=headers).json()["id"] == body["id"]
    reminded = client.post("/api/v1/companies/CO-000026/enrollment/remind", headers=bearer(manager_a))
    assert reminded.status_code == 200 and reminded.json()["reminder_count"] == 1
    listed = client.get("/api/v1/enrollments", headers=headers).json()
    assert [i["company_ref"] for i in listed["items"]] == ["CO-000026"]
    again = _start(client, headers, **{"Idempotency-Key": "z2"})
    assert_problem(again, 409, "company_already_enrolled")


def test_start_and_remind_refusals(client, supervisor_a, viewer_a, agency_admin_a, supervisor_b, company_admin_y):
    Company.objects.create(company_ref="CO-000026", legal_name="Zephyr Lending LLC")
    assert_problem(_start(client, bearer(viewer_a)), 403, "forbidden")
    assert_problem(_start(client, bearer(agency_admin_a)), 403, "forbidden")
    assert_problem(_start(client, bearer(company_admin_y)), 404, "not_found")
    assert_problem(_start(client, bearer(supervisor_a), ref="CO-999999"), 404, "not_found")
    assert not EnrollmentInvitation.objects.exists()
    assert _start(client, bearer(supervisor_a)).status_code == 201
    assert_problem(
        client.post("/api/v1/companies/CO-000026/enrollment/remind", headers=bearer(supervisor_b)), 404, "not_found"
    )
    assert_problem(
        client.post("/api/v1/companies/CO-000026/enrollment/remind", headers=bearer(viewer_a)), 403, "forbidden"
    )
    assert_problem(client.get("/api/v1/enrollments", headers=bearer(viewer_a)), 404, "not_found")
    assert EnrollmentInvitation.objects.get().reminders == []
    bad = _start(client, bearer(supervisor_a), ref="CO-000027")
    assert bad.status_code == 404
    invalid = client.post(
        "/api/v1/companies/CO-000026/enrollment", {"email": "x\x00"}, content_type=JSON, headers=bearer(supervisor_a)
    )
    assert invalid.status_code == 422


def test_templates_crud_with_etag(client, supervisor_a, viewer_a, supervisor_b):
    headers = bearer(supervisor_a)
    listed = client.get("/api/v1/communication-templates", headers=headers).json()
    assert len(listed["items"]) == 1  # the starter announcement, seeded on first use
    created = client.post(
        "/api/v1/communication-templates",
        {"name": "T", "subject": "Hi {{company_name}}", "body": "B"},
        content_type=JSON,
        headers={**headers, "Idempotency-Key": "t1"},
    )
    assert created.status_code == 201 and created["ETag"] == '"1"'
    url = created["Location"]
    bad = client.post(
        "/api/v1/communication-templates",
        {"name": "U", "subject": "{{nope}}", "body": "B"},
        content_type=JSON,
        headers=headers,
    )
    assert_problem(bad, 422, "unknown_placeholder")
    assert_problem(client.patch(url, {"body": "C"}, content_type=JSON, headers=headers), 428, "precondition_required")
    patched = client.patch(url, {"body": "C"}, content_type=JSON, headers={**headers, "If-Match": '"1"'})
    assert patched.status_code == 200 and patched["ETag"] == '"2"' and patched.json()["body"] == "C"
    stale = client.patch(url, {"body": "D"}, content_type=JSON, headers={**headers, "If-Match": '"1"'})
    assert_problem(stale, 412, "stale_version")
    for outsider in (viewer_a, supervisor_b):
        assert_problem(client.get(url, headers=bearer(outsider)), 404, "not_found")
        assert_problem(client.delete(url, headers=bearer(outsider)), 404, "not_found")
    assert client.delete(url, headers=headers).status_code == 204
    assert CommunicationTemplate.objects.filter(name="T").count() == 0


def test_sends(client, supervisor_a, agency_a, company_x, company_y, company_admin_x, supervisor_b):
    for company in (company_x, company_y):
        services.supervision_mark(actor=None, company=company, agency=agency_a)
    headers = bearer(supervisor_a)
    template = client.post(
        "/api/v1/communication-templates",
        {"name": "T", "subject": "Hi {{company_name}}", "body": "B"},
        content_type=JSON,
        headers=headers,
    ).json()
    payload = {"template_id": template["id"], "mode": "list", "company_refs": ["CO-000001", "CO-000002"]}
    sent = client.post(
        "/api/v1/communication-sends", payload, content_type=JSON, headers={**headers, "Idempotency-Key": "s1"}
    )
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert body["company_count"] == 2 and body["email_count"] == 1
    rows = {r["company_ref"]: r for r in body["recipients"]}
    assert rows["CO-000001"]["emails"] == [company_admin_x.email] and rows["CO-000002"]["emails"] == []
    replay = client.post(
        "/api/v1/communication-sends", payload, content_type=JSON, headers={**headers, "Idempotency-Key": "s1"}
    )
    assert replay.json() == body and CommunicationSend.objects.count() == 1
    assert client.get(sent["Location"], headers=headers).json()["id"] == body["id"]
    assert [s["id"] for s in client.get("/api/v1/communication-sends", headers=headers).json()["items"]] == [body["id"]]
    unknown = client.post(
        "/api/v1/communication-sends",
        {**payload, "company_refs": ["CO-424242"]},
        content_type=JSON,
        headers=headers,
    )
    assert_problem(unknown, 422, "unknown_company")
    other = client.post("/api/v1/communication-sends", payload, content_type=JSON, headers=bearer(supervisor_b))
    assert_problem(other, 404, "not_found")
    assert_problem(client.get(sent["Location"], headers=bearer(supervisor_b)), 404, "not_found")
    assert CommunicationSend.objects.count() == 1
