"""Categories on the complaint pages: chosen at intake and on edit, shown to the agency only,
filtered on in the list and exported in the CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from redress.complaints.categories import DEFAULT_NAMES, category_names, category_set_active
from redress.complaints.models import Complaint, ComplaintCategory
from redress.complaints.services import complaint_create
from redress.complaints.tests.conftest import intake_details
from redress.complaints.tests.test_intake_documents import send_first_ir

from .test_complaint_intake import _form

pytestmark = pytest.mark.django_db

URL = "/complaints/new/details/"


def ids(agency, *positions: int) -> list[int]:
    rows = list(ComplaintCategory.objects.filter(agency=agency).order_by("position"))
    return [rows[p].pk for p in positions]


def make(actor, company, *categories: int, **overrides) -> Complaint:
    return complaint_create(
        actor=actor,
        subject_type="company",
        subject_id=company.pk,
        details=intake_details(categories=list(categories), **overrides),
        submit_for_review=False,
    )


def test_intake_offers_and_saves_active_categories(client, supervisor_a, agency_a, company_x):
    first, inactive = ids(agency_a, 0, 1)
    ComplaintCategory.objects.filter(pk=inactive).update(is_active=False)
    client.force_login(supervisor_a)
    html = client.get(URL, {"subject": f"company:{company_x.pk}"}).content.decode()
    assert 'type="checkbox" name="categories"' in html and DEFAULT_NAMES[0] in html
    assert DEFAULT_NAMES[1] not in html
    response = client.post(URL, {"subject": f"company:{company_x.pk}", **_form(), "categories": [first]})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert category_names(complaint) == [DEFAULT_NAMES[0]]
    details = client.get(f"/complaints/{complaint.ref}/details/").content.decode()
    assert DEFAULT_NAMES[0] in details


def test_intake_refuses_an_inactive_or_foreign_category(client, supervisor_a, agency_a, agency_b, company_x):
    client.force_login(supervisor_a)
    for value in (ids(agency_a, 1), ids(agency_b, 0)):
        ComplaintCategory.objects.filter(pk=ids(agency_a, 1)[0]).update(is_active=False)
        response = client.post(URL, {"subject": f"company:{company_x.pk}", **_form(), "categories": value})
        assert response.status_code == 422
        assert "Choose categories from the list." in response.content.decode()
    assert not Complaint.objects.exists()


def test_update_the_lists_keeps_the_chosen_categories(client, supervisor_a, agency_a, company_x):
    first, second = ids(agency_a, 0, 3)
    client.force_login(supervisor_a)
    response = client.post(
        URL,
        {"subject": f"company:{company_x.pk}", "product": "Mortgage", "refresh": "1", "categories": [first, second]},
    )
    html = response.content.decode()
    assert html.count("checked") >= 2 and f'value="{first}" checked' in html and f'value="{second}" checked' in html


def test_edit_keeps_a_deactivated_category_and_changes_the_rest(
    client, supervisor_a, agency_admin_a, agency_a, company_x
):
    first, second = ids(agency_a, 0, 1)
    complaint = make(supervisor_a, company_x, first)
    category_set_active(actor=agency_admin_a, category_id=first, active=False, expected_version=None)
    client.force_login(supervisor_a)
    html = client.get(f"/complaints/{complaint.ref}/edit/").content.decode()
    assert f"{DEFAULT_NAMES[0]} (no longer in use)" in html and f'value="{first}" checked' in html
    data = {k: v for k, v in _form().items() if k != "workflow"}
    response = client.post(f"/complaints/{complaint.ref}/edit/", {**data, "version": 1, "categories": [first, second]})
    assert response.status_code == 302
    assert category_names(complaint) == [DEFAULT_NAMES[0], DEFAULT_NAMES[1]]


def test_list_filter_and_csv_export(client, supervisor_a, agency_a, company_x):
    mortgage, debt = ids(agency_a, 0, 5)
    tagged = make(supervisor_a, company_x, mortgage, debt)
    untagged = make(supervisor_a, company_x, cfpb_id="2")
    client.force_login(supervisor_a)
    html = client.get("/complaints/", {"category": mortgage}).content.decode()
    assert tagged.ref in html and untagged.ref not in html
    assert client.get("/complaints/", {"category": 10**9}).status_code == 400
    export = client.get("/complaints/export/", {"category": mortgage})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][-1] == "Categories" and len(rows) == 2
    assert rows[1][-1] == f"{DEFAULT_NAMES[0]}; {DEFAULT_NAMES[5]}"


def test_export_queries_do_not_grow_with_rows(client, supervisor_a, agency_a, company_x):
    category = ids(agency_a, 0)[0]
    make(supervisor_a, company_x, category)
    client.force_login(supervisor_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/complaints/export/")
            b"".join(response.streaming_content)
        return len(ctx.captured_queries)

    few = count()
    for n in range(4):
        make(supervisor_a, company_x, category, cfpb_id=str(100 + n))
    assert count() == few


def test_company_never_sees_categories(client, supervisor_a, company_user_x, agency_a, company_x):
    complaint = make(supervisor_a, company_x, *ids(agency_a, 0))
    send_first_ir(supervisor_a, complaint)
    client.force_login(company_user_x)
    for tab in ("", "information-requests/", "closure-materials/"):
        html = client.get(f"/company/complaints/{complaint.ref}/{tab}").content.decode()
        assert DEFAULT_NAMES[0] not in html and "Categor" not in html, tab
    html = client.get("/company/complaints/").content.decode()
    assert complaint.ref in html and DEFAULT_NAMES[0] not in html
