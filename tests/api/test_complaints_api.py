"""Complaints through the API: create, list, get, patch and the lifecycle actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from redress.api.tests.conftest import assert_problem, bearer
from redress.audit.models import AuditEvent
from redress.complaints.models import Complaint
from redress.core import clock

pytestmark = pytest.mark.django_db

JSON = "application/json"
URL = "/api/v1/complaints"


def details(**overrides):
    body = {
        "date_received": (clock.today() - dt.timedelta(days=2)).isoformat(),
        "how_received": "web",
        "cfpb_id": "3384392",
        "business_type": "debt",
        "product": "Debt collection",
        "sub_product": "I do not know",
        "issue": "Attempts to collect debt not owed",
        "sub_issue": "Debt is not yours",
        "summary": "A collector is trying to collect a debt that is not mine.",
        "desired_outcome": "Stop the collection.",
        "amount_in_dispute_cents": 125_050,
        "complainant_first_name": "Jo",
        "complainant_last_name": "Baker",
        "complainant_state": "FL",
        "complainant_postal_code": "335XX",
    }
    body.update(overrides)
    return body


def create_body(company, **kwargs):
    review = kwargs.pop("submit_for_review", False)
    return {
        "subject": {"type": "company", "nmls_id": company.nmls_id},
        "details": details(**kwargs),
        "submit_for_review": review,
    }


def create(client, user, company, **kwargs):
    response = client.post(URL, create_body(company, **kwargs), content_type=JSON, headers=bearer(user, name="c"))
    assert response.status_code == 201, response.content
    return response.json()


def test_create_get_and_money_in_cents(client, supervisor_a, company_x):
    body = create(client, supervisor_a, company_x)
    assert body["status"] == "open" and body["agency"] == "MD-OFR"
    assert body["amount_in_dispute_cents"] == 125_050
    assert body["subject"] == {
        "type": "company",
        "name": company_x.legal_name,
        "company_ref": company_x.company_ref,
        "nmls_id": company_x.nmls_id,
        "tracking_number": None,
    }
    assert body["agency_poc"]["name"] == "Sam Supervisor"
    got = client.get(f"{URL}/{body['ref']}", headers=bearer(supervisor_a))
    assert got.status_code == 200 and got["ETag"] == '"1"'
    assert got.json()["complainant"]["last_name"] == "Baker"


def test_create_for_review_and_idempotency(client, supervisor_a, company_x):
    headers = {**bearer(supervisor_a), "Idempotency-Key": "intake-1"}
    payload = create_body(company_x, submit_for_review=True)
    first = client.post(URL, payload, content_type=JSON, headers=headers)
    second = client.post(URL, payload, content_type=JSON, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert first.json()["ref"] == second.json()["ref"] and first.json()["status"] == "pending"
    assert first["Location"] == f"{URL}/{first.json()['ref']}"
    assert Complaint.objects.count() == 1
    changed = {**payload, "submit_for_review": False}
    assert_problem(client.post(URL, changed, content_type=JSON, headers=headers), 422, "idempotency_key_reused")
    assert Complaint.objects.count() == 1


def test_create_refusals(client, viewer_a, company_admin_x, supervisor_a, company_x):
    for user in (viewer_a, company_admin_x):
        response = client.post(URL, create_body(company_x), content_type=JSON, headers=bearer(user))
        assert_problem(response, 403, "forbidden")
    bad = create_body(company_x, product="Not a product", complainant_state="ZZ", date_received="2999-01-01")
    body = assert_problem(
        client.post(URL, bad, content_type=JSON, headers=bearer(supervisor_a)), 422, "validation_error"
    )
    fields = {e["field"] for e in body["errors"]}
    assert {"product", "complainant_state", "date_received"} <= fields
    unknown = {**create_body(company_x), "subject": {"type": "company", "nmls_id": "999999"}}
    body = assert_problem(
        client.post(URL, unknown, content_type=JSON, headers=bearer(supervisor_a, name="2")), 422, "invalid_subject"
    )
    assert body["errors"][0]["field"] == "subject"
    assert Complaint.objects.count() == 0


def test_scope_other_agency_and_company_before_first_ir(client, supervisor_a, supervisor_b, company_admin_x, company_x):
    ref = create(client, supervisor_a, company_x)["ref"]
    assert_problem(client.get(f"{URL}/{ref}", headers=bearer(supervisor_b)), 404, "not_found")
    assert_problem(client.get(f"{URL}/{ref}", headers=bearer(company_admin_x)), 404, "not_found")
    assert client.get(URL, headers=bearer(supervisor_b, name="2")).json()["items"] == []
    # Companies have their own projection under /company/: the agency collection refuses them.
    assert_problem(client.get(URL, headers=bearer(company_admin_x, name="2")), 403, "forbidden")
    assert_problem(client.get(f"{URL}/export.csv", headers=bearer(company_admin_x, name="4")), 403, "forbidden")
    patch = client.patch(
        f"{URL}/{ref}",
        {"summary": "x"},
        content_type=JSON,
        headers={**bearer(supervisor_b, name="3"), "If-Match": '"1"'},
    )
    assert_problem(patch, 404, "not_found")
    Complaint.objects.filter(ref=ref).update(first_ir_sent_at=clock.now(), restrict_complainant=True)
    # Even once the company may see the complaint, the agency representation (phone, email,
    # CFPB ID, date received…) is never served to it.
    assert_problem(client.get(f"{URL}/{ref}", headers=bearer(company_admin_x, name="3")), 404, "not_found")
    seen = client.get(f"/api/v1/company/complaints/{ref}", headers=bearer(company_admin_x, name="5"))
    assert seen.status_code == 200, seen.content
    body = seen.json()
    assert body["ref"] == ref
    for agency_only in ("cfpb_id", "date_received", "desired_outcome", "complainant_phone", "complainant_email"):
        assert agency_only not in body


def test_patch_if_match(client, supervisor_a, viewer_a, company_x):
    ref = create(client, supervisor_a, company_x)["ref"]
    url, headers = f"{URL}/{ref}", bearer(supervisor_a)
    assert_problem(
        client.patch(url, {"summary": "New"}, content_type=JSON, headers=headers), 428, "precondition_required"
    )
    stale = {**headers, "If-Match": '"5"'}
    assert_problem(client.patch(url, {"summary": "New"}, content_type=JSON, headers=stale), 412, "stale_version")
    viewer = {**bearer(viewer_a), "If-Match": '"1"'}
    assert_problem(client.patch(url, {"summary": "New"}, content_type=JSON, headers=viewer), 403, "forbidden")
    complaint = Complaint.objects.get(ref=ref)
    assert (complaint.summary.startswith("A collector"), complaint.version) == (True, 1)
    ok = client.patch(url, {"summary": "New text"}, content_type=JSON, headers={**headers, "If-Match": '"1"'})
    assert ok.status_code == 200 and ok["ETag"] == '"2"' and ok.json()["summary"] == "New text"
    bad = client.patch(url, {"product": "Nope"}, content_type=JSON, headers={**headers, "If-Match": '"2"'})
    assert assert_problem(bad, 422, "validation_error")["errors"][0]["field"] == "product"
    assert Complaint.objects.get(ref=ref).version == 2


def test_lifecycle_review_close_reopen_cancel(client, supervisor_a, manager_a, company_x):
    ref = create(client, supervisor_a, company_x, submit_for_review=True)["ref"]
    url, headers = f"{URL}/{ref}", bearer(supervisor_a)
    review = {"agency_poc_id": manager_a.pk}
    assert_problem(
        client.post(f"{url}/review", review, content_type=JSON, headers=headers), 428, "precondition_required"
    )
    done = client.post(f"{url}/review", {**review, "version": 1}, content_type=JSON, headers=headers)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "open" and done.json()["agency_poc"]["id"] == manager_a.pk
    poc = client.post(
        f"{url}/assign-poc", {"agency_poc_id": 999_999}, content_type=JSON, headers={**headers, "If-Match": '"2"'}
    )
    assert assert_problem(poc, 422, "invalid_agency_poc")["errors"][0]["field"] == "agency_poc_id"
    close = {"reason": "monetary_relief", "monetary_relief_cents": 5000, "version": 2}
    body = assert_problem(
        client.post(f"{url}/close", close, content_type=JSON, headers=headers), 422, "validation_error"
    )
    assert [e["field"] for e in body["errors"]] == ["relief_paid_on"]
    close["relief_paid_on"] = clock.today().isoformat()
    closed = client.post(f"{url}/close", close, content_type=JSON, headers=headers)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    locked = client.patch(url, {"summary": "late"}, content_type=JSON, headers={**headers, "If-Match": '"3"'})
    assert_problem(locked, 422, "complaint_locked")
    closures = client.get(f"{url}/closures", headers=headers).json()["items"]
    assert [(c["reason"], c["monetary_relief_cents"]) for c in closures] == [("monetary_relief", 5000)]
    reopened = client.post(f"{url}/reopen", {"reason": "New facts", "version": 3}, content_type=JSON, headers=headers)
    assert reopened.json()["status"] == "reopened"
    assert_problem(
        client.post(f"{url}/cancel", {"reason": "x", "version": 3}, content_type=JSON, headers=headers),
        412,
        "stale_version",
    )
    canceled = client.post(
        f"{url}/cancel", {"reason": "Entered twice", "version": 4}, content_type=JSON, headers=headers
    )
    assert canceled.json()["status"] == "canceled" and canceled.json()["cancel_reason"] == "Entered twice"
    history = client.get(f"{url}/history", headers=headers).json()["items"]
    assert [e["action"] for e in history] == [
        "complaint.created",
        "complaint.review_completed",
        "complaint.closed",
        "complaint.reopened",
        "complaint.canceled",
    ]


def test_actions_refused_for_viewer_change_nothing(client, supervisor_a, viewer_a, company_x, company_y):
    ref = create(client, supervisor_a, company_x)["ref"]
    url, headers = f"{URL}/{ref}", {**bearer(viewer_a), "If-Match": '"1"'}
    for action, body in (
        ("close", {"reason": "invalid"}),
        ("cancel", {"reason": "x"}),
        ("assign-poc", {"agency_poc_id": supervisor_a.pk}),
        ("subject", {"subject": {"type": "company", "company_ref": company_y.company_ref}}),
    ):
        assert_problem(client.post(f"{url}/{action}", body, content_type=JSON, headers=headers), 403, "forbidden")
    complaint = Complaint.objects.get(ref=ref)
    assert (complaint.status, complaint.version, complaint.company_id) == ("open", 1, company_x.pk)
    assert AuditEvent.objects.filter(is_security=True, action__endswith=".denied").count() == 4


def test_change_subject(client, supervisor_a, company_x, company_y):
    ref = create(client, supervisor_a, company_x)["ref"]
    body = {"subject": {"type": "company", "company_ref": company_y.company_ref}, "version": 1}
    changed = client.post(f"{URL}/{ref}/subject", body, content_type=JSON, headers=bearer(supervisor_a))
    assert changed.status_code == 200 and changed.json()["subject"]["company_ref"] == company_y.company_ref


def test_list_filters_text_pagination_and_constant_queries(
    client, supervisor_a, company_x, company_y, django_assert_max_num_queries
):
    for i in range(3):
        create(client, supervisor_a, company_x, summary=f"Escrow problem number {i}")
    create(client, supervisor_a, company_y, summary="Late fee charged", desired_outcome="")
    headers = bearer(supervisor_a)
    assert len(client.get(URL, {"text": "escrow"}, headers=headers).json()["items"]) == 3
    assert len(client.get(URL, {"company_id": company_y.pk}, headers=headers).json()["items"]) == 1
    assert client.get(URL, {"status": ["closed", "canceled"]}, headers=headers).json()["items"] == []
    assert len(client.get(URL, {"business_type": "debt"}, headers=headers).json()["items"]) == 4
    assert client.get(URL, {"business_type": "auction"}, headers=headers).json()["items"] == []
    assert client.get(URL, {"closure_reason": "invalid"}, headers=headers).json()["items"] == []
    assert client.get(URL, {"overdue_ir": "true"}, headers=headers).json()["items"] == []
    assert_problem(client.get(URL, {"overdue_ir": "maybe"}, headers=headers), 422, "validation_error")
    assert len(client.get(URL, {"status": ["open", "pending"]}, headers=headers).json()["items"]) == 4
    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get(URL, params, headers=headers).json()
        seen += [i["ref"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 4
    assert_problem(client.get(URL, {"cursor": "!!"}, headers=headers), 422, "invalid_cursor")
    with CaptureQueriesContext(connection) as small:
        client.get(URL, {"limit": 1, "text": "escrow"}, headers=headers)
    # Read now: the next request resets the connection's query log.
    budget = len(small.captured_queries)
    for i in range(6):
        create(client, supervisor_a, company_y, summary=f"More escrow trouble {i}")
    with django_assert_max_num_queries(budget):
        body = client.get(URL, {"limit": 50, "text": "escrow"}, headers=headers).json()
    assert len(body["items"]) == 9 and 0 < budget <= 6


def test_export_csv_streams_the_scoped_list(client, supervisor_a, supervisor_b, company_x):
    ref = create(client, supervisor_a, company_x, complainant_last_name="=cmd()")["ref"]
    response = client.get(f"{URL}/export.csv", headers=bearer(supervisor_a))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    lines = text.strip().splitlines()
    assert lines[0].startswith("Complaint ID,CFPB ID,Status") and ref in lines[1] and "'=cmd()" in lines[1]
    other = client.get(f"{URL}/export.csv", headers=bearer(supervisor_b))
    assert len(b"".join(other.streaming_content).decode().strip().splitlines()) == 1
