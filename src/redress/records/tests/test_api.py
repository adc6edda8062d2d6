import datetime as dt

import pytest

from redress.accounts.tokens import token_create
from redress.records.disposition import disposition_run
from redress.records.models import LegalHold

pytestmark = pytest.mark.django_db

HOLDS = "/api/v1/records/holds"


def bearer(user) -> dict[str, str]:
    _token, secret = token_create(actor=user, user=user, name="records", days=None)
    return {"Authorization": f"Bearer {secret}"}


def assert_problem(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code


def test_supervisor_places_reads_and_lifts_a_hold(client, supervisor_a, closed_complaint):
    complaint = closed_complaint(supervisor_a)
    auth = bearer(supervisor_a)
    created = client.post(
        HOLDS,
        {"scope": "complaint", "complaint_ref": complaint.ref, "reason": "Subpoena"},
        content_type="application/json",
        headers={**auth, "Idempotency-Key": "k1"},
    )
    assert created.status_code == 201, created.content
    hold_id = created.json()["id"]
    again = client.post(
        HOLDS,
        {"scope": "complaint", "complaint_ref": complaint.ref, "reason": "Subpoena"},
        content_type="application/json",
        headers={**auth, "Idempotency-Key": "k1"},
    )
    assert again.json()["id"] == hold_id and LegalHold.objects.count() == 1
    read = client.get(f"{HOLDS}/{hold_id}", headers=auth)
    assert read.json()["target"] == complaint.ref and read["ETag"] == '"1"'
    assert [h["id"] for h in client.get(HOLDS, headers=auth).json()["items"]] == [hold_id]

    url = f"{HOLDS}/{hold_id}/lift"
    assert_problem(
        client.post(url, {"reason": "done"}, content_type="application/json", headers=auth),
        428,
        "precondition_required",
    )
    assert_problem(
        client.post(url, {"reason": "done"}, content_type="application/json", headers={**auth, "If-Match": '"9"'}),
        412,
        "stale_version",
    )
    assert LegalHold.objects.get().is_active
    lifted = client.post(url, {"reason": "done"}, content_type="application/json", headers={**auth, "If-Match": '"1"'})
    assert lifted.status_code == 200 and lifted.json()["active"] is False and lifted["ETag"] == '"2"'


def test_refusals(client, supervisor_a, manager_a, supervisor_b):
    hold = LegalHold.objects.create(
        agency=supervisor_a.agency_membership.agency, scope="agency", reason="x", placed_by=supervisor_a
    )
    body = {"scope": "agency", "reason": "mine"}
    assert_problem(
        client.post(HOLDS, body, content_type="application/json", headers=bearer(manager_a)), 403, "forbidden"
    )
    assert_problem(client.get(HOLDS, headers=bearer(manager_a)), 404, "not_found")
    assert_problem(client.get(f"{HOLDS}/{hold.pk}", headers=bearer(supervisor_b)), 404, "not_found")
    assert_problem(
        client.post(
            f"{HOLDS}/{hold.pk}/lift",
            {"reason": "no"},
            content_type="application/json",
            headers={**bearer(supervisor_b), "If-Match": '"1"'},
        ),
        404,
        "not_found",
    )
    assert (
        client.post(
            HOLDS, {"scope": "planet", "reason": "x"}, content_type="application/json", headers=bearer(supervisor_a)
        ).status_code
        == 422
    )
    assert LegalHold.objects.count() == 1 and LegalHold.objects.get().is_active


def test_certificate(client, supervisor_a, supervisor_b, closed_complaint, django_capture_on_commit_callbacks):
    complaint = closed_complaint(supervisor_a)
    with django_capture_on_commit_callbacks(execute=True):
        run_id = disposition_run(as_of=dt.date(2026, 3, 10), dry_run=False).run_id
    body = client.get(f"/api/v1/records/disposition-runs/{run_id}", headers=bearer(supervisor_a)).json()
    assert {line["complaint_ref"] for line in body["certificate"]} == {complaint.ref}
    assert len(body["certificate"]) == 3 and all(line["bytes_deleted_at"] for line in body["certificate"])
    assert_problem(
        client.get(f"/api/v1/records/disposition-runs/{run_id}", headers=bearer(supervisor_b)), 404, "not_found"
    )
