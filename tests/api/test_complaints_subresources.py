"""Research entries, alleged violations and related items of a complaint through the API."""

from __future__ import annotations

import pytest

from redress.api.tests.conftest import assert_problem, bearer
from redress.complaints.models import AgentLocation, AllegedViolation, Complaint, ResearchEntry
from redress.complaints.related import supervisory_activity_create
from redress.complaints.services import complaint_close
from redress.core import clock

from .test_complaints_api import URL, create

pytestmark = pytest.mark.django_db

JSON = "application/json"


def test_research_add_edit_after_closure_and_agency_only(client, supervisor_a, viewer_a, company_admin_x, company_x):
    ref = create(client, supervisor_a, company_x)["ref"]
    url, headers = f"{URL}/{ref}/research", bearer(supervisor_a)
    entry = {"kind": "communication", "method": "phone", "party": "consumer", "occurred_on": str(clock.today())}
    body = assert_problem(client.post(url, entry, content_type=JSON, headers=headers), 422, "validation_error")
    assert body["errors"][0]["field"].endswith("description")
    created = client.post(url, {**entry, "description": "Called the consumer."}, content_type=JSON, headers=headers)
    assert created.status_code == 201, created.content
    entry_id = created.json()["id"]
    assert_problem(
        client.post(url, {**entry, "description": "x"}, content_type=JSON, headers=bearer(viewer_a)), 403, "forbidden"
    )
    complaint_close(actor=supervisor_a, ref=ref, closure={"reason": "closed_with_explanation"}, expected_version=1)
    patch_url = f"{url}/{entry_id}"
    change = {"description": "Consumer confirmed."}
    assert_problem(client.patch(patch_url, change, content_type=JSON, headers=headers), 428, "precondition_required")
    stale = {**headers, "If-Match": '"9"'}
    assert_problem(client.patch(patch_url, change, content_type=JSON, headers=stale), 412, "stale_version")
    assert ResearchEntry.objects.get(pk=entry_id).description == "Called the consumer."
    ok = client.patch(patch_url, {**change, "version": 1}, content_type=JSON, headers=headers)
    assert ok.status_code == 200 and ok["ETag"] == '"2"' and ok.json()["description"] == "Consumer confirmed."
    items = client.get(url, headers=headers).json()["items"]
    assert [i["description"] for i in items] == ["Consumer confirmed."]
    Complaint.objects.filter(ref=ref).update(first_ir_sent_at=clock.now())
    assert_problem(client.get(url, headers=bearer(company_admin_x)), 404, "not_found")
    # The company reads its complaint through its own projection, without research entries.
    company_view = client.get(f"/api/v1/company/complaints/{ref}", headers=bearer(company_admin_x, name="2"))
    assert company_view.status_code == 200 and "research" not in company_view.json()


def test_violations_add_list_delete(client, supervisor_a, manager_a, company_x):
    ref = create(client, supervisor_a, company_x)["ref"]
    url = f"{URL}/{ref}/violations"
    body = {
        "description": "Late fee charged in breach of the note.",
        "citation": "12 CFR 1024.35",
        "jurisdiction": "federal",
    }
    created = client.post(url, body, content_type=JSON, headers=bearer(manager_a))
    assert created.status_code == 201, created.content
    vid = created.json()["id"]
    assert [v["citation"] for v in client.get(url, headers=bearer(supervisor_a)).json()["items"]] == ["12 CFR 1024.35"]
    # The supervisor is the Agency POC, so may delete someone else's violation.
    assert client.delete(f"{url}/{vid}", headers=bearer(supervisor_a, name="2")).status_code == 204
    assert not AllegedViolation.objects.exists()
    assert_problem(client.delete(f"{url}/{vid}", headers=bearer(supervisor_a, name="3")), 404, "not_found")


def test_related_items(client, supervisor_a, viewer_a, supervisor_b, manager_a, company_x, company_y):
    ref = create(client, supervisor_a, company_x)["ref"]
    other = create(client, supervisor_a, company_y)["ref"]
    url, headers = f"{URL}/{ref}/related", bearer(supervisor_a)
    activity = supervisory_activity_create(actor=manager_a, activity_type="investigation", company=company_x)
    for body in (
        {"kind": "complaint", "related_ref": other},
        {"kind": "company", "nmls_id": company_y.nmls_id},
        {"kind": "individual", "first_name": "Lee", "last_name": "Ross"},
        {"kind": "supervisory_activity", "activity_ref": activity.ref},
        {"kind": "agent_location", "agent_name": "Main St Agent", "state": "MD"},
    ):
        response = client.post(url, body, content_type=JSON, headers=headers)
        assert response.status_code == 201, response.content
        assert response.json()["kind"] == body["kind"]
    dup = client.post(url, {"kind": "company", "nmls_id": company_y.nmls_id}, content_type=JSON, headers=headers)
    assert_problem(dup, 422, "already_related")
    missing_name = client.post(url, {"kind": "agent_location"}, content_type=JSON, headers=headers)
    assert assert_problem(missing_name, 422, "validation_error")["errors"][0]["field"] == "agent_name"
    items = client.get(url, headers=headers).json()["items"]
    assert [i["kind"] for i in items] == [
        "complaint",
        "company",
        "individual",
        "supervisory_activity",
        "agent_location",
    ]
    back = client.get(f"{URL}/{other}/related", headers=headers).json()["items"]
    assert [(i["kind"], i["reference"]) for i in back] == [("complaint", ref)]
    agent = next(i for i in items if i["kind"] == "agent_location")
    assert_problem(client.delete(f"{url}/agent_location/{agent['id']}", headers=bearer(viewer_a)), 403, "forbidden")
    assert_problem(client.get(url, headers=bearer(supervisor_b)), 404, "not_found")
    assert client.delete(f"{url}/agent_location/{agent['id']}", headers=headers).status_code == 204
    assert not AgentLocation.objects.exists()
