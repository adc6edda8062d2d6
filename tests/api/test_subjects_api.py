"""GET /subjects (guided subject search) and POST /non-nmls-entities: agency users only; an
entity only on the search_id of the caller's own fresh search that tried every step and found
nothing; refusals are 409 problems and change nothing."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine

from redress.api.tests.conftest import assert_problem, bearer
from redress.companies.models import Individual
from redress.complaints.models import NonNmlsEntity, SubjectSearch
from redress.core import clock

pytestmark = pytest.mark.django_db

JSON = "application/json"
EVERY_STEP = {
    "name": "Shady Lender",
    "state": "MD",
    "keywords": "shady lender",
    "phone": "443-555-0199",
    "website_unknown": "true",
}


@pytest.fixture
def registry(company_x):
    company_x.other_names = ["Homeward Residential"]
    company_x.city, company_x.state = "West Palm Beach", "FL"
    company_x.phone = "561-682-8000"
    company_x.website = "https://www.ocwen.com"
    company_x.save()
    Individual.objects.create(company=company_x, nmls_id="880001", first_name="Dana", last_name="Loan")
    return company_x


def search(client, user, params, name="s"):
    response = client.get("/api/v1/subjects", params, headers=bearer(user, name=name))
    assert response.status_code == 200, response.content
    return response.json()


def test_search_reports_each_step_and_the_subjects(client, registry, supervisor_a):
    body = search(
        client, supervisor_a, {"keywords": "dana loan", "phone": "+1 (561) 682-8000", "website": "ocwen.com/x"}
    )
    assert [(i["type"], i["name"], i["found_by"]) for i in body["items"]] == [
        ("individual", "Dana Loan", ["Keywords"]),
        ("company", registry.legal_name, ["Phone number", "Website"]),
    ]
    assert body["items"][0]["nmls_id"] == "880001" and body["items"][0]["company_ref"] == registry.company_ref
    assert body["items"][1]["city"] == "West Palm Beach" and body["items"][1]["state"] == "FL"
    assert {s["step"]: (s["run"], s["found"]) for s in body["steps"]} == {
        "identifier": (False, 0),
        "name": (False, 0),
        "keywords": (True, 1),
        "phone": (True, 1),
        "website": (True, 1),
    }
    assert body["missing_steps"] == ["name"] and body["search_id"] is None


def test_only_agency_users_search(client, registry, company_admin_x, sysadmin):
    for user in (company_admin_x, sysadmin):
        assert_problem(client.get("/api/v1/subjects", {"name": "Ocwen"}, headers=bearer(user)), 403, "forbidden")


def test_bad_input_is_a_422_naming_the_field(client, supervisor_a):
    response = client.get("/api/v1/subjects", {"phone": "12"}, headers=bearer(supervisor_a))
    body = assert_problem(response, 422, "validation_error")
    assert body["errors"][0]["field"] == "phone"
    assert_problem(
        client.get("/api/v1/subjects", {"name": "x" * 201}, headers=bearer(supervisor_a, name="2")),
        422,
        "validation_error",
    )


def test_entity_created_from_an_exhausted_search_once(client, supervisor_a):
    body = search(client, supervisor_a, EVERY_STEP)
    assert body["items"] == [] and body["missing_steps"] == [] and body["search_id"]
    assert body["search_expires_at"]
    entity = {"search_id": body["search_id"], "name": "Shady Lender LLC", "state": "MD", "phone": "443-555-0199"}
    headers = {**bearer(supervisor_a, name="c"), "Idempotency-Key": "entity-1"}
    created = client.post("/api/v1/non-nmls-entities", entity, content_type=JSON, headers=headers)
    assert created.status_code == 201, created.content
    assert created.json()["tracking_number"].startswith("ETN-") and created.json()["name"] == "Shady Lender LLC"
    replay = client.post("/api/v1/non-nmls-entities", entity, content_type=JSON, headers=headers)
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    again = client.post("/api/v1/non-nmls-entities", entity, content_type=JSON, headers=bearer(supervisor_a, name="d"))
    assert_problem(again, 409, "subject_search_used")
    assert NonNmlsEntity.objects.count() == 1
    # The new entity is now found by the same search, which then offers no search_id.
    later = search(client, supervisor_a, EVERY_STEP, name="e")
    assert [i["tracking_number"] for i in later["items"]] == [created.json()["tracking_number"]]
    assert later["search_id"] is None


@pytest.mark.parametrize("case", ["missing", "unknown", "other_user", "stale", "found", "incomplete"])
def test_entity_refused_without_a_valid_search(client, registry, supervisor_a, manager_a, case):
    if case == "missing":
        search_id = None
    elif case == "unknown":
        search_id = str(uuid.uuid4())
    elif case == "other_user":
        search_id = search(client, manager_a, EVERY_STEP)["search_id"]
    elif case == "stale":
        with time_machine.travel(clock.now() - dt.timedelta(minutes=61), tick=False):
            search_id = search(client, supervisor_a, EVERY_STEP)["search_id"]
    elif case == "found":
        search(client, supervisor_a, {**EVERY_STEP, "keywords": "homeward"})
        search_id = str(SubjectSearch.objects.get().ref)
    else:
        assert search(client, supervisor_a, {"name": "Shady Lender"})["search_id"] is None
        search_id = None
    body = {"name": "Shady Lender LLC"}
    if search_id is not None:
        body["search_id"] = search_id
    response = client.post("/api/v1/non-nmls-entities", body, content_type=JSON, headers=bearer(supervisor_a, name="p"))
    if search_id is None:
        assert_problem(response, 422, "validation_error")
    else:
        code = {
            "unknown": "subject_search_required",
            "other_user": "subject_search_required",
            "stale": "subject_search_stale",
            "found": "subject_search_found_subjects",
        }[case]
        assert_problem(response, 409, code)
    assert not NonNmlsEntity.objects.exists()


def test_viewers_and_company_users_cannot_create(client, supervisor_a, viewer_a, company_admin_x):
    search_id = search(client, supervisor_a, EVERY_STEP)["search_id"]
    body = {"search_id": search_id, "name": "Shady Lender LLC"}
    assert_problem(
        client.post("/api/v1/non-nmls-entities", body, content_type=JSON, headers=bearer(viewer_a)), 403, "forbidden"
    )
    assert_problem(
        client.post("/api/v1/non-nmls-entities", body, content_type=JSON, headers=bearer(company_admin_x)),
        403,
        "forbidden",
    )
    assert not NonNmlsEntity.objects.exists()


def test_complaint_against_the_new_entity_takes_no_irs(client, supervisor_a):
    from .test_complaints_api import details

    search_id = search(client, supervisor_a, EVERY_STEP)["search_id"]
    created = client.post(
        "/api/v1/non-nmls-entities",
        {"search_id": search_id, "name": "Shady Lender LLC"},
        content_type=JSON,
        headers=bearer(supervisor_a, name="c"),
    ).json()
    complaint = client.post(
        "/api/v1/complaints",
        {
            "subject": {"type": "non_nmls", "tracking_number": created["tracking_number"]},
            "details": details(),
            "submit_for_review": False,
        },
        content_type=JSON,
        headers=bearer(supervisor_a, name="k"),
    )
    assert complaint.status_code == 201, complaint.content
    ref = complaint.json()["ref"]
    ir = client.post(
        f"/api/v1/complaints/{ref}/information-requests",
        {"title": "History", "description": "Send it."},
        content_type=JSON,
        headers=bearer(supervisor_a, name="i"),
    )
    assert ir.status_code == 422 and ir.json()["code"] == "ir_non_nmls_subject"
