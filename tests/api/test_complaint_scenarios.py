"""Acceptance scenarios of the functional spec (§12) whose expected outcome is an HTTP refusal,
driven through the API with bearer tokens: the refusal, that nothing changed, and the audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from redress.api.tests.conftest import assert_problem, bearer
from redress.audit.models import AuditEvent
from redress.complaints.constants import Status
from redress.complaints.models import AllegedViolation, Closure, Complaint, ResearchEntry
from redress.complaints.services import complaint_close, complaint_create
from redress.complaints.tests.conftest import intake_details
from redress.core import clock
from redress.information_requests import services as irs
from redress.information_requests.models import InformationRequest

pytestmark = pytest.mark.django_db

JSON = "application/json"
URL = "/api/v1/complaints"


def _snapshot(*objs: Any) -> list[dict[str, Any]]:
    out = []
    for obj in objs:
        obj.refresh_from_db()
        out.append({f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields})
    return out


def _complaint(actor, company) -> Complaint:
    return complaint_create(
        actor=actor, subject_type="company", subject_id=company.pk, details=intake_details(), submit_for_review=False
    )


def _ir(actor, complaint: Complaint) -> InformationRequest:
    return irs.ir_create(
        actor=actor,
        complaint_ref=complaint.ref,
        title="Account history",
        description="Send the payment history.",
        due_date=clock.today() + dt.timedelta(days=14),
    )


def test_scenario_06_viewer_cannot_act(client, manager_a, viewer_a, company_x):
    complaint = _complaint(manager_a, company_x)
    ir = _ir(manager_a, complaint)
    headers = bearer(viewer_a)
    read = client.get(f"{URL}/{complaint.ref}", headers=headers)
    assert read.status_code == 200 and read.json()["ref"] == complaint.ref
    before = _snapshot(complaint, ir)
    ref = complaint.ref
    calls = [
        ("patch", f"{URL}/{ref}", {"complainant_phone": "410-555-0100"}, {"If-Match": '"1"'}),
        ("post", f"{URL}/{ref}/information-requests", {"title": "More", "description": "More please."}, {}),
        ("post", f"{URL}/{ref}/information-requests/send", {"refs": [ir.ref]}, {}),
        ("post", f"{URL}/{ref}/close", {"reason": "invalid"}, {}),
        ("post", f"{URL}/{ref}/reopen", {"reason": "Again."}, {}),
        ("post", f"{URL}/{ref}/cancel", {"reason": "No."}, {}),
        ("post", f"{URL}/{ref}/referral", {"to_agency": "TX-DOB", "version": complaint.version}, {}),
        ("post", f"{URL}/{ref}/violations", {"description": "Late fee on a timely payment."}, {}),
        (
            "post",
            f"{URL}/{ref}/research",
            {
                "kind": "communication",
                "method": "phone",
                "party": "consumer",
                "occurred_on": clock.today().isoformat(),
                "description": "Called the consumer.",
            },
            {},
        ),
    ]
    for method, url, body, extra in calls:
        match = {"If-Match": f'"{complaint.version}"'} if url.startswith(f"{URL}/{ref}") else {}
        response = getattr(client, method)(url, body, content_type=JSON, headers={**headers, **match, **extra})
        assert_problem(response, 403, "forbidden")
    assert _snapshot(complaint, ir) == before
    assert InformationRequest.objects.count() == 1
    assert not (AllegedViolation.objects.exists() or ResearchEntry.objects.exists() or Closure.objects.exists())
    refusals = AuditEvent.objects.filter(actor=viewer_a, is_security=True, action__endswith=".denied")
    assert refusals.count() == len(calls)


def test_scenario_07_viewer_cannot_close(client, manager_a, viewer_a, company_x):
    complaint = _complaint(manager_a, company_x)
    before = _snapshot(complaint)
    response = client.post(
        f"{URL}/{complaint.ref}/close",
        {"reason": "closed_with_explanation", "version": complaint.version},
        content_type=JSON,
        headers=bearer(viewer_a),
    )
    assert_problem(response, 403, "forbidden")
    assert _snapshot(complaint) == before and before[0]["status"] == Status.OPEN
    event = AuditEvent.objects.get(action="complaint.close.denied")
    assert event.is_security and event.actor == viewer_a and event.target_id == str(complaint.pk)


def test_scenario_34_cancel_is_own_agency_and_pre_closure_only(client, supervisor_a, supervisor_b, company_x):
    """Bob (Supervisor at B) was granted access to the A complaint: he reads it, but his cancel is
    refused as forbidden; Alice's cancel of a closed complaint is refused too."""
    from redress.complaints import access

    open_one = _complaint(supervisor_a, company_x)
    closed_one = _complaint(supervisor_a, company_x)
    request = access.access_request(actor=supervisor_b, ref=open_one.ref, comment="Same consumer.")
    access.access_accept(actor=supervisor_a, ref=open_one.ref, grant_id=request.pk)
    assert client.get(f"{URL}/{open_one.ref}", headers=bearer(supervisor_b)).status_code == 200
    complaint_close(actor=supervisor_a, ref=closed_one.ref, closure={"reason": "invalid"}, expected_version=None)
    before = _snapshot(open_one, closed_one)
    bob = client.post(
        f"{URL}/{open_one.ref}/cancel",
        {"reason": "Ours now.", "version": open_one.version},
        content_type=JSON,
        headers=bearer(supervisor_b),
    )
    assert_problem(bob, 403, "forbidden")
    assert AuditEvent.objects.filter(action="complaint.cancel.denied", actor=supervisor_b, is_security=True).exists()
    alice = client.post(
        f"{URL}/{closed_one.ref}/cancel",
        {"reason": "Never mind.", "version": closed_one.version},
        content_type=JSON,
        headers=bearer(supervisor_a),
    )
    assert alice.status_code in (409, 422) and alice.json()["code"] == "invalid_transition"
    assert _snapshot(open_one, closed_one) == before


def test_scenario_36_subject_change_window(client, manager_a, company_x, company_y):
    complaint = _complaint(manager_a, company_x)
    headers = bearer(manager_a)
    changed = client.post(
        f"{URL}/{complaint.ref}/subject",
        {"subject": {"type": "company", "nmls_id": company_y.nmls_id}, "version": complaint.version},
        content_type=JSON,
        headers=headers,
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["subject"]["name"] == company_y.legal_name
    ir = _ir(manager_a, complaint)
    irs.ir_send(actor=manager_a, complaint_ref=complaint.ref, refs=[ir.ref])
    before = _snapshot(complaint)
    refused = client.post(
        f"{URL}/{complaint.ref}/subject",
        {"subject": {"type": "company", "nmls_id": company_x.nmls_id}, "version": complaint.version},
        content_type=JSON,
        headers=headers,
    )
    assert refused.status_code in (409, 422) and refused.json()["code"] == "subject_locked"
    assert _snapshot(complaint) == before
