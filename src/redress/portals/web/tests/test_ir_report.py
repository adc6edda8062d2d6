"""IR Response Activity report: agency-only and agency-scoped, counts, filters, links, and the
CSV and XLSX exports of exactly the filtered rows; constant queries whatever the row count."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from redress.complaints.exchange import company_poc_assign
from redress.information_requests import responses, services
from redress.information_requests.tests.conftest import *  # noqa: F403 - the scenario cast and builders
from redress.information_requests.tests.conftest import at, later

pytestmark = pytest.mark.django_db

URL = "/reports/ir-response-activity/"


def _answered(cast, make_complaint, add_ir, *, due_in, answer_on, text="Answer", title="Payment history", actor=None):
    actor = actor or cast["mark"]
    complaint = make_complaint(actor)
    ir = add_ir(actor, complaint, title=title, due=later(due_in))
    services.ir_send(actor=actor, complaint_ref=complaint.ref, refs=[ir.ref])
    company_poc_assign(actor=cast["xander"], ref=complaint.ref, poc=cast["xavi"], expected_version=None)
    with at(later(answer_on)):
        responses.response_submit(actor=cast["xavi"], ir_ref=ir.ref, text=text, expected_version=None)
    ir.refresh_from_db()
    return ir


@pytest.fixture
def two(cast, make_complaint, add_ir):
    timely = _answered(cast, make_complaint, add_ir, due_in=10, answer_on=3, title="=SUM(A1:A9)")
    late = _answered(cast, make_complaint, add_ir, due_in=5, answer_on=7)
    return timely, late


def _window(**extra):
    return {"date_from": later(0).isoformat(), "date_to": later(30).isoformat(), **extra}


def test_report_shows_counts_and_links_each_row_to_its_ir(client, two, cast):
    timely, late = two
    client.force_login(cast["alice"])
    response = client.get(URL, _window())
    html = response.content.decode()
    assert response.status_code == 200 and html.count("<h1") == 1 and "style=" not in html
    assert 'id="count-total">2<' in html and 'id="count-timely">1<' in html and 'id="count-late">1<' in html
    for ir in (timely, late):
        assert f"/complaints/{ir.complaint.ref}/information-requests/{ir.ref}/" in html


def test_filters_timeliness_and_unknown_company(client, two, cast, company_x):
    timely, late = two
    client.force_login(cast["alice"])
    html = client.get(URL, _window(timeliness="late")).content.decode()
    assert late.ref in html and timely.ref not in html and 'id="count-total">1<' in html
    html = client.get(URL, _window(company="99999999")).content.decode()
    assert 'id="count-total">0<' in html and late.ref not in html
    html = client.get(URL, _window(company=company_x.nmls_id, agency_poc=cast["mark"].pk)).content.decode()
    assert 'id="count-total">2<' in html
    bad = client.get(URL, {"date_from": later(5).isoformat(), "date_to": later(1).isoformat()})
    assert bad.status_code == 422 and "on or after the start date" in bad.content.decode()


def test_viewer_sees_the_report_other_agencies_see_none_of_our_rows(client, two, vera, supervisor_b):
    client.force_login(vera)
    assert 'id="count-total">2<' in client.get(URL, _window()).content.decode()
    client.force_login(supervisor_b)
    html = client.get(URL, _window()).content.decode()
    assert 'id="count-total">0<' in html and two[0].ref not in html


def test_company_users_and_anonymous_are_refused(client, two, cast):
    client.force_login(cast["xavi"])
    for url in (URL, URL.rstrip("/") + ".csv", URL.rstrip("/") + ".xlsx"):
        assert client.get(url, _window()).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302


def test_csv_export_has_the_filtered_rows_formula_safe(client, two, cast):
    timely, _late = two
    client.force_login(cast["alice"])
    response = client.get("/reports/ir-response-activity.csv", _window(timeliness="timely"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["IR ID"] for r in rows] == [timely.ref]
    row = rows[0]
    assert row["IR title"] == "'=SUM(A1:A9)" and row["Timely"] == "Yes" and row["Days to respond"] == "3"
    assert row["Complaint ID"] == timely.complaint.ref and row["Quick Look complete"] == "No"


def test_xlsx_export_opens_with_the_same_rows(client, two, cast):
    timely, late = two
    services.ir_send_back(
        actor=cast["mark"], ref=late.ref, new_due_date=later(40), explanation="More", expected_version=None
    )
    client.force_login(cast["alice"])
    response = client.get("/reports/ir-response-activity.xlsx", _window())
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    header, *rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert header[3] == "IR ID" and {r[3] for r in rows} == {timely.ref, late.ref}
    by_ref = {r[3]: dict(zip(header, r, strict=True)) for r in rows}
    assert by_ref[timely.ref]["IR title"] == "=SUM(A1:A9)" and sheet.cell(row=2, column=5).data_type == "s"
    assert by_ref[late.ref]["Timely"] is False and by_ref[late.ref]["Send-backs"] == 1
    assert by_ref[timely.ref]["Timely"] is True and by_ref[timely.ref]["Send-backs"] == 0


def test_report_costs_the_same_queries_whatever_the_row_count(
    client, cast, make_complaint, add_ir, django_assert_max_num_queries
):
    client.force_login(cast["alice"])
    _answered(cast, make_complaint, add_ir, due_in=10, answer_on=3)
    with django_assert_max_num_queries(30) as few:
        client.get(URL, _window())
    baseline = len(few.captured_queries)
    for _ in range(4):
        _answered(cast, make_complaint, add_ir, due_in=10, answer_on=3)
    with django_assert_max_num_queries(baseline) as many:
        html = client.get(URL, _window()).content.decode()
    assert 'id="count-total">5<' in html
    assert len(many.captured_queries) == baseline
