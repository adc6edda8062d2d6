"""/api/v1/categories: the agency's list, and changes by its account administrators."""

from __future__ import annotations

import pytest

from redress.api.tests.conftest import assert_problem, bearer
from redress.complaints.categories import DEFAULT_NAMES
from redress.complaints.models import ComplaintCategory

pytestmark = pytest.mark.django_db

JSON = "application/json"
URL = "/api/v1/categories"


def test_agency_users_list_their_own_agency(client, viewer_a, agency_a, agency_b):
    ComplaintCategory.objects.filter(agency=agency_a, name=DEFAULT_NAMES[0]).update(is_active=False)
    body = client.get(URL, headers=bearer(viewer_a)).json()
    assert [c["name"] for c in body["items"]] == list(DEFAULT_NAMES[1:])
    assert set(body["items"][0]) == {"id", "name", "active", "position", "version"}
    own = set(ComplaintCategory.objects.filter(agency=agency_a).values_list("pk", flat=True))
    assert {c["id"] for c in body["items"]} <= own
    everything = client.get(URL, {"include_inactive": "true"}, headers=bearer(viewer_a)).json()["items"]
    assert len(everything) == len(DEFAULT_NAMES) and everything[0]["active"] is False


def test_companies_are_refused(client, company_admin_x, agency_a):
    assert_problem(client.get(URL, headers=bearer(company_admin_x)), 403, "forbidden")
    category = ComplaintCategory.objects.filter(agency=agency_a).first()
    assert_problem(client.get(f"{URL}/{category.pk}", headers=bearer(company_admin_x)), 403, "forbidden")


def test_admin_adds_renames_and_deactivates_with_if_match(client, agency_admin_a, agency_a):
    headers = bearer(agency_admin_a)
    created = client.post(URL, {"name": "Elder financial exploitation"}, content_type=JSON, headers=headers)
    assert created.status_code == 201 and created["ETag"] == '"1"'
    category_id = created.json()["id"]
    assert_problem(
        client.post(URL, {"name": "ELDER financial exploitation"}, content_type=JSON, headers=headers),
        422,
        "category_name_taken",
    )
    item = f"{URL}/{category_id}"
    assert_problem(
        client.patch(item, {"active": False}, content_type=JSON, headers=headers), 428, "precondition_required"
    )
    changed = client.patch(
        item, {"name": "Elder exploitation", "active": False}, content_type=JSON, headers={**headers, "If-Match": '"1"'}
    )
    assert changed.status_code == 200 and changed["ETag"] == '"2"'
    assert changed.json() | {} == {
        "id": category_id,
        "name": "Elder exploitation",
        "active": False,
        "position": 17,
        "version": 2,
    }
    stale = client.patch(item, {"active": True}, content_type=JSON, headers={**headers, "If-Match": '"1"'})
    assert_problem(stale, 412, "stale_version")


def test_complaints_users_and_other_agencies_cannot_change(client, supervisor_a, supervisor_b, agency_a):
    category = ComplaintCategory.objects.filter(agency=agency_a).first()
    assert_problem(
        client.post(URL, {"name": "Mine"}, content_type=JSON, headers=bearer(supervisor_a)), 403, "forbidden"
    )
    patch = client.patch(
        f"{URL}/{category.pk}",
        {"active": False},
        content_type=JSON,
        headers={**bearer(supervisor_b), "If-Match": '"1"'},
    )
    assert_problem(patch, 404, "not_found")
    category.refresh_from_db()
    assert category.is_active
