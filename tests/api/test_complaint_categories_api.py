"""Categories on complaints through the API: ids in, ids with names out, filter, CSV, and never for
companies."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from redress.api.tests.conftest import assert_problem, bearer
from redress.complaints.categories import DEFAULT_NAMES
from redress.complaints.models import Complaint, ComplaintCategory
from redress.core import clock

from .test_complaints_api import JSON, URL, create_body

pytestmark = pytest.mark.django_db


def ids(agency, *positions: int) -> list[int]:
    rows = list(ComplaintCategory.objects.filter(agency=agency).order_by("position"))
    return [rows[p].pk for p in positions]


def body_with(company, categories, **kwargs):
    body = create_body(company, **kwargs)
    body["details"]["categories"] = categories
    return body


def test_create_patch_and_output(client, supervisor_a, agency_a, company_x):
    first, second = ids(agency_a, 0, 6)
    headers = bearer(supervisor_a)
    created = client.post(URL, body_with(company_x, [second, first]), content_type=JSON, headers=headers)
    assert created.status_code == 201, created.content
    out = created.json()
    assert out["categories"] == [{"id": first, "name": DEFAULT_NAMES[0]}, {"id": second, "name": DEFAULT_NAMES[6]}]
    url = f"{URL}/{out['ref']}"
    assert_problem(
        client.patch(url, {"categories": [second]}, content_type=JSON, headers=headers), 428, "precondition_required"
    )
    patched = client.patch(url, {"categories": [second]}, content_type=JSON, headers={**headers, "If-Match": '"1"'})
    assert patched.status_code == 200 and patched["ETag"] == '"2"'
    assert patched.json()["categories"] == [{"id": second, "name": DEFAULT_NAMES[6]}]
    cleared = client.patch(url, {"categories": []}, content_type=JSON, headers={**headers, "If-Match": '"2"'})
    assert cleared.json()["categories"] == [] and cleared["ETag"] == '"3"'


def test_foreign_inactive_or_unknown_categories_are_422(client, supervisor_a, agency_a, agency_b, company_x):
    headers = bearer(supervisor_a)
    inactive = ids(agency_a, 1)
    ComplaintCategory.objects.filter(pk=inactive[0]).update(is_active=False)
    for value in (ids(agency_b, 0), inactive, [10**12]):
        problem = assert_problem(
            client.post(URL, body_with(company_x, value), content_type=JSON, headers=headers), 422, "invalid_category"
        )
        assert problem["errors"][0]["field"] == "categories"
    assert not Complaint.objects.exists()
    ref = client.post(URL, create_body(company_x), content_type=JSON, headers=headers).json()["ref"]
    patch = client.patch(
        f"{URL}/{ref}", {"categories": ids(agency_b, 0)}, content_type=JSON, headers={**headers, "If-Match": '"1"'}
    )
    assert_problem(patch, 422, "invalid_category")
    assert Complaint.objects.get(ref=ref).version == 1


def test_list_filter_export_and_constant_queries(client, supervisor_a, agency_a, company_x):
    mortgage, debt = ids(agency_a, 0, 5)
    headers = bearer(supervisor_a)
    tagged = client.post(URL, body_with(company_x, [mortgage, debt]), content_type=JSON, headers=headers).json()
    client.post(URL, body_with(company_x, [debt], cfpb_id="2"), content_type=JSON, headers=headers)
    listed = client.get(URL, {"category": mortgage}, headers=headers).json()["items"]
    assert [i["ref"] for i in listed] == [tagged["ref"]]
    assert [c["name"] for c in listed[0]["categories"]] == [DEFAULT_NAMES[0], DEFAULT_NAMES[5]]
    assert len(client.get(URL, {"category": debt}, headers=headers).json()["items"]) == 2
    export = client.get(f"{URL}/export.csv", {"category": mortgage}, headers=headers)
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][-1] == "Categories" and rows[1][-1] == f"{DEFAULT_NAMES[0]}; {DEFAULT_NAMES[5]}"

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"limit": 50}, headers=headers).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for n in range(5):
        client.post(
            URL, body_with(company_x, [mortgage, debt], cfpb_id=str(10 + n)), content_type=JSON, headers=headers
        )
    assert queries() == few


def test_company_api_never_carries_categories(client, supervisor_a, company_admin_x, agency_a, company_x):
    headers = bearer(supervisor_a)
    ref = client.post(URL, body_with(company_x, ids(agency_a, 0)), content_type=JSON, headers=headers).json()["ref"]
    Complaint.objects.filter(ref=ref).update(first_ir_sent_at=clock.now())
    company = bearer(company_admin_x)
    one = client.get(f"/api/v1/company/complaints/{ref}", headers=company)
    assert one.status_code == 200
    listed = client.get("/api/v1/company/complaints", headers=company)
    for response in (one, listed):
        text = response.content.decode()
        assert "categor" not in text.lower() and DEFAULT_NAMES[0] not in text
    assert_problem(client.get(f"{URL}/{ref}", headers=company), 404, "not_found")
    assert_problem(client.get("/api/v1/categories", headers=company), 403, "forbidden")
