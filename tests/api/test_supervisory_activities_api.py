"""Supervisory activities through the API: list, create (idempotent), read with linked
complaints, link and unlink a complaint, counts per company, change the details with If-Match or
the body's version; permissions and agency isolation."""

from __future__ import annotations

import pytest

from redress.api.tests.conftest import assert_problem, bearer
from redress.audit.models import AuditEvent
from redress.complaints.models import ComplaintSupervisoryActivity, SupervisoryActivity
from redress.complaints.related import supervisory_activity_create

from .test_complaints_api import URL as COMPLAINTS
from .test_complaints_api import create

pytestmark = pytest.mark.django_db

JSON = "application/json"
URL = "/api/v1/supervisory-activities"


def test_create_read_link_and_see_it_from_both_sides(client, supervisor_a, company_x):
    headers = bearer(supervisor_a)
    ref = create(client, supervisor_a, company_x)["ref"]
    body = {"activity_type": "examination", "name": "Servicing exam", "nmls_id": company_x.nmls_id}
    keyed = {**headers, "Idempotency-Key": "sa-1"}
    created = client.post(URL, body, content_type=JSON, headers=keyed)
    assert created.status_code == 201, created.content
    activity = created.json()
    assert activity["status"] == "scheduled" and activity["company"]["company_ref"] == company_x.company_ref
    assert created["Location"] == f"{URL}/{activity['ref']}"
    replay = client.post(URL, body, content_type=JSON, headers=keyed)
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert SupervisoryActivity.objects.count() == 1

    linked = client.post(
        f"{URL}/{activity['ref']}/complaints", {"complaint_ref": ref}, content_type=JSON, headers=headers
    )
    assert linked.status_code == 201, linked.content
    assert [c["ref"] for c in linked.json()["complaints"]] == [ref] and linked.json()["complaint_count"] == 1
    dup = client.post(f"{URL}/{activity['ref']}/complaints", {"complaint_ref": ref}, content_type=JSON, headers=headers)
    assert_problem(dup, 422, "already_related")
    # The complaint's related items list the same link.
    items = client.get(f"{COMPLAINTS}/{ref}/related", headers=headers).json()["items"]
    assert [(i["kind"], i["reference"]) for i in items] == [("supervisory_activity", activity["ref"])]

    read = client.get(f"{URL}/{activity['ref'].lower()}", headers=headers).json()
    assert read["complaints"][0]["ref"] == ref
    listed = client.get(URL, {"company_id": company_x.pk}, headers=headers).json()
    assert [(a["ref"], a["complaint_count"]) for a in listed["items"]] == [(activity["ref"], 1)]
    counts = client.get(f"{URL}/by-company", headers=headers).json()["items"]
    assert counts == [
        {"company_id": company_x.pk, "legal_name": company_x.legal_name, "activities": 1, "complaints": 1}
    ]

    assert client.delete(f"{URL}/{activity['ref']}/complaints/{ref}", headers=headers).status_code == 204
    assert not ComplaintSupervisoryActivity.objects.exists()
    assert_problem(client.delete(f"{URL}/{activity['ref']}/complaints/{ref}", headers=headers), 404, "not_found")


def test_field_errors(client, supervisor_a):
    headers = bearer(supervisor_a)
    bad = client.post(URL, {"activity_type": "audit"}, content_type=JSON, headers=headers)
    assert assert_problem(bad, 422, "validation_error")["errors"][0]["field"].endswith("activity_type")
    unknown = client.post(URL, {"activity_type": "other", "nmls_id": "424242"}, content_type=JSON, headers=headers)
    assert assert_problem(unknown, 422, "related_not_found")["errors"][0]["field"] == "nmls_id"
    assert_problem(client.get(URL, {"cursor": "!!"}, headers=headers), 422, "invalid_cursor")
    assert not SupervisoryActivity.objects.exists()


def test_permissions_and_isolation(client, supervisor_a, viewer_a, supervisor_b, company_admin_x, company_x):
    activity = supervisory_activity_create(actor=supervisor_a, activity_type="investigation")
    ref = create(client, supervisor_a, company_x)["ref"]
    link_url = f"{URL}/{activity.ref}/complaints"
    viewer = bearer(viewer_a)
    assert client.get(f"{URL}/{activity.ref}", headers=viewer).status_code == 200
    assert_problem(client.post(URL, {"activity_type": "other"}, content_type=JSON, headers=viewer), 403, "forbidden")
    assert_problem(client.post(link_url, {"complaint_ref": ref}, content_type=JSON, headers=viewer), 403, "forbidden")
    other = bearer(supervisor_b)
    assert_problem(client.get(f"{URL}/{activity.ref}", headers=other), 404, "not_found")
    assert client.get(URL, headers=other).json()["items"] == []
    assert_problem(client.post(link_url, {"complaint_ref": ref}, content_type=JSON, headers=other), 404, "not_found")
    # Another agency's complaint cannot be linked: it answers like a missing one.
    foreign = create(client, supervisor_b, company_x)["ref"]
    mine = bearer(supervisor_a, name="2")
    assert_problem(client.post(link_url, {"complaint_ref": foreign}, content_type=JSON, headers=mine), 404, "not_found")
    company = bearer(company_admin_x)
    assert_problem(client.get(URL, headers=company), 404, "not_found")
    assert_problem(client.get(f"{URL}/{activity.ref}", headers=company), 404, "not_found")
    assert not ComplaintSupervisoryActivity.objects.exists()


def test_patch_with_if_match_or_body_version(client, supervisor_a, company_x, company_y):
    headers = bearer(supervisor_a)
    created = client.post(
        URL, {"activity_type": "examination", "nmls_id": company_x.nmls_id}, content_type=JSON, headers=headers
    )
    ref = created.json()["ref"]
    assert created["ETag"] == '"1"' and created.json()["version"] == 1
    read = client.get(f"{URL}/{ref}", headers=headers)
    assert read["ETag"] == '"1"'
    # Neither If-Match nor a version: 428, nothing changes.
    bare = client.patch(f"{URL}/{ref}", {"name": "Exam"}, content_type=JSON, headers=headers)
    assert_problem(bare, 428, "precondition_required")

    changed = client.patch(
        f"{URL}/{ref}",
        {"name": "Servicing exam", "status": "in_progress", "company_ref": company_y.company_ref},
        content_type=JSON,
        headers={**headers, "If-Match": '"1"'},
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert (body["name"], body["status"], body["company"]["id"], body["version"]) == (
        "Servicing exam",
        "in_progress",
        company_y.pk,
        2,
    )
    assert changed["ETag"] == '"2"' and body["activity_type"] == "examination"  # not sent, not changed

    # The old ETag (or body version) is stale now: 412, nothing changes.
    stale = client.patch(f"{URL}/{ref}", {"name": "Mine"}, content_type=JSON, headers={**headers, "If-Match": '"1"'})
    assert_problem(stale, 412, "stale_version")
    assert_problem(
        client.patch(f"{URL}/{ref}", {"name": "Mine", "version": 1}, content_type=JSON, headers=headers),
        412,
        "stale_version",
    )
    assert_problem(
        client.patch(f"{URL}/{ref}", {"name": "Mine"}, content_type=JSON, headers={**headers, "If-Match": "junk"}),
        412,
        "stale_version",
    )
    assert SupervisoryActivity.objects.get(ref=ref).name == "Servicing exam"

    # The body's version works as well as If-Match; empty company fields remove the company.
    removed = client.patch(
        f"{URL}/{ref}", {"nmls_id": "", "company_ref": "", "version": 2}, content_type=JSON, headers=headers
    )
    assert removed.status_code == 200 and removed.json()["company"] is None and removed["ETag"] == '"3"'
    events = AuditEvent.objects.filter(action="supervisory_activity.updated").order_by("pk")
    assert [e.new_values for e in events] == [
        {"name": "Servicing exam", "status": "in_progress", "company": company_y.company_ref},
        {"company": None},
    ]


def test_patch_problems(client, supervisor_a):
    activity = supervisory_activity_create(actor=supervisor_a, activity_type="other", name="Probe")
    url = f"{URL}/{activity.ref}"
    headers = {**bearer(supervisor_a), "If-Match": '"1"'}
    bad_type = client.patch(url, {"activity_type": "audit"}, content_type=JSON, headers=headers)
    assert assert_problem(bad_type, 422, "validation_error")["errors"][0]["field"].endswith("activity_type")
    bad_status = client.patch(url, {"status": ""}, content_type=JSON, headers=headers)
    assert_problem(bad_status, 422, "validation_error")
    long_name = client.patch(url, {"name": "x" * 201}, content_type=JSON, headers=headers)
    assert_problem(long_name, 422, "validation_error")
    unknown = client.patch(url, {"nmls_id": "424242"}, content_type=JSON, headers=headers)
    assert assert_problem(unknown, 422, "related_not_found")["errors"][0]["field"] == "nmls_id"
    nul = client.patch(url, {"name": "a\x00b"}, content_type=JSON, headers=headers)
    assert_problem(nul, 422, "validation_error")
    missing = client.patch(f"{URL}/SA-999999", {"name": "X"}, content_type=JSON, headers=headers)
    assert_problem(missing, 404, "not_found")
    activity.refresh_from_db()
    assert (activity.name, activity.version) == ("Probe", 1)


def test_patch_permissions(client, supervisor_a, viewer_a, supervisor_b, company_admin_x):
    activity = supervisory_activity_create(actor=supervisor_a, activity_type="investigation", name="Probe")
    url = f"{URL}/{activity.ref}"
    body = {"name": "Changed"}
    viewer = {**bearer(viewer_a), "If-Match": '"1"'}
    assert_problem(client.patch(url, body, content_type=JSON, headers=viewer), 403, "forbidden")
    # Another agency's activity, and any company, answer like a missing one.
    for outsider in (supervisor_b, company_admin_x):
        headers = {**bearer(outsider), "If-Match": '"1"'}
        assert_problem(client.patch(url, body, content_type=JSON, headers=headers), 404, "not_found")
    activity.refresh_from_db()
    assert (activity.name, activity.version) == ("Probe", 1)
    assert not AuditEvent.objects.filter(action="supervisory_activity.updated").exists()
