"""Complaints Reports page and downloads: the tables and totals, the filters and their errors,
who may read it, and CSV / XLSX files with the same figures (one section per dimension, formula
safe); the page costs the same queries whatever the number of complaints."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from redress.agencies.models import AgencyMembership
from redress.complaints import services
from redress.complaints.categories import category_add
from redress.complaints.tests.report_scenario import RELIEF_CENTS, build, close, create, days_ago

pytestmark = pytest.mark.django_db

URL = "/reports/complaints/"


@pytest.fixture
def scenario(supervisor_a, supervisor_b, company_x, company_y, agency_a):
    return build(
        supervisor=supervisor_a,
        other_supervisor=supervisor_b,
        company_x=company_x,
        company_y=company_y,
        agency=agency_a,
    )


def _window(**extra):
    return {"date_from": days_ago(30).isoformat(), "date_to": days_ago(0).isoformat(), **extra}


def _row(html: str, table: str, label: str) -> str:
    """The text of one row (from its row header to the end of the row) of a table on the page."""
    start = html.index(f'id="table-{table}"')
    row = html.index(f'<th scope="row">{label}</th>', start)
    return html[row : html.index("</tr>", row)]


def test_page_shows_every_dimension_with_totals(client, scenario, supervisor_a):
    client.force_login(supervisor_a)
    response = client.get(URL, _window())
    html = response.content.decode()
    assert response.status_code == 200 and html.count("<h1") == 1 and "style=" not in html
    assert 'id="count-total">5<' in html and 'id="count-closed">2<' in html and 'id="count-relief">1<' in html
    assert 'id="relief-total">$123.45<' in html
    for key in ("status", "closure_reason", "monetary_relief", "business_type", "category", "subject"):
        assert f'id="table-{key}"' in html
    assert html.count("<caption>") == 6 and html.count("<tfoot>") == 5
    assert '<td class="text-right text-tabular">2</td>' in _row(html, "status", "Open")
    assert (
        ">1<" in _row(html, "status", "Pending review") and "Canceled" not in html.split('id="table-status"')[1][:3000]
    )
    assert ">1<" in _row(html, "closure_reason", "Closed with Explanation")
    assert ">0<" in _row(html, "closure_reason", "Duplicate")
    assert ">3<" in _row(html, "business_type", "Mortgage Servicing")
    assert ">3<" in _row(html, "category", "No category")
    assert "Ditech Financial LLC" in _row(html, "subject", "Ditech Financial LLC")
    assert "$123.45" in html.split('id="table-monetary_relief"')[1]
    assert 'role="img"' in html and "Bar chart of complaints by status" in html
    assert 'aria-current="page"' in html and "Complaints Reports</a>" in html
    assert f"/reports/complaints.csv?date_from={days_ago(30).isoformat()}" in html


def test_counting_by_date_closed_is_stated_and_counts_older_closures(client, scenario, supervisor_a):
    client.force_login(supervisor_a)
    html = client.get(URL, _window(closures_by="closed")).content.decode()
    assert 'id="count-closed">3<' in html and "whose latest closure was between" in html
    assert ">1<" in _row(html, "closure_reason", "Invalid")
    assert "that are closed now" in client.get(URL, _window()).content.decode()


def test_filters_and_default_range(client, scenario, supervisor_a):
    client.force_login(supervisor_a)
    html = client.get(URL, _window(business_type="debt")).content.decode()
    assert 'id="count-total">2<' in html
    html = client.get(URL, _window(agency_poc=supervisor_a.pk, product="Mortgage")).content.decode()
    assert 'id="count-total">3<' in html
    # No dates: the 365 days up to today, which also reaches the complaint received 60 days ago.
    html = client.get(URL).content.decode()
    assert 'id="count-total">6<' in html and days_ago(365).isoformat() in html


def test_bad_dates_are_field_errors(client, scenario, supervisor_a):
    client.force_login(supervisor_a)
    bad = client.get(URL, {"date_from": days_ago(1).isoformat(), "date_to": days_ago(5).isoformat()})
    html = bad.content.decode()
    assert bad.status_code == 422 and "on or after the start date" in html and 'id="count-total"' not in html
    assert 'aria-invalid="true"' in html
    nonsense = client.get(URL, {"date_from": "2026-13-45"})
    assert nonsense.status_code == 422 and "real date" in nonsense.content.decode()
    future = client.get(URL, {"date_from": days_ago(-10).isoformat()})
    assert future.status_code == 422 and "on or before the end date" in future.content.decode()
    for junk in ({"closures_by": "sometime"}, {"top_subjects": "9999"}, {"business_type": "casino"}):
        assert client.get(URL, junk).status_code == 422
    # The downloads answer a bad filter with the page and its errors, not a file.
    response = client.get("/reports/complaints.csv", {"date_from": "2026-02-30"})
    assert response.status_code == 422 and "real date" in response.content.decode()


def test_only_the_agencys_complaints_users_read_it(
    client, scenario, viewer_a, supervisor_b, company_user_x, make_user, agency_a
):
    client.force_login(viewer_a)
    assert 'id="count-total">5<' in client.get(URL, _window()).content.decode()
    client.force_login(supervisor_b)
    html = client.get(URL, _window()).content.decode()
    assert 'id="count-total">2<' in html and "Ditech" not in html
    examiner = make_user(full_name="Eve Examiner")
    AgencyMembership.objects.create(user=examiner, agency=agency_a, complaints_role="")
    for outsider in (company_user_x, examiner):
        client.force_login(outsider)
        for url in (URL, "/reports/complaints.csv", "/reports/complaints.xlsx"):
            assert client.get(url, _window()).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302


def _csv_sections(body: str) -> dict[str, list[list[str]]]:
    sections: dict[str, list[list[str]]] = {}
    for block in body.lstrip("\ufeff").split("\r\n\r\n"):
        rows = list(csv.reader(io.StringIO(block)))
        sections[rows[0][0]] = rows[1:]
    return sections


@pytest.fixture
def formula_category(scenario, agency_a, agency_admin_a, supervisor_a):
    category = category_add(actor=agency_admin_a, agency_id=agency_a.pk, name='=HYPERLINK("http://x","y")')
    services.complaint_update(
        actor=supervisor_a,
        ref=scenario["open_x"].ref,
        changes={"categories": [*scenario["categories"], category.pk]},
        expected_version=None,
    )
    return category


def test_csv_has_one_section_per_dimension_formula_safe(client, formula_category, supervisor_a):
    client.force_login(supervisor_a)
    response = client.get("/reports/complaints.csv", _window())
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="complaints-report-{days_ago(30).isoformat()}-{days_ago(0).isoformat()}.csv"'
    )
    sections = _csv_sections(b"".join(response.streaming_content).decode())
    assert list(sections) == [
        "Filters",
        "By status",
        "By closure reason",
        "Monetary relief",
        "By business type",
        "By category",
        "By subject",
    ]
    filters = dict(sections["Filters"][1:])
    assert filters["Complaints received from"] == days_ago(30).isoformat()
    assert filters["Canceled complaints"] == "Left out" and filters["Business type"] == "Any"
    status = sections["By status"]
    assert status[0] == ["Status", "Complaints", "Share of complaints (%)"]
    assert status[1:] == [
        ["Pending review", "1", "20.0"],
        ["Open", "2", "40.0"],
        ["Referral in progress", "0", "0.0"],
        ["Closed", "2", "40.0"],
        ["Reopened", "0", "0.0"],
        ["Total", "5", "100.0"],
    ]
    closures = {row[0]: row[1] for row in sections["By closure reason"][1:]}
    assert closures["Closed with Monetary Relief"] == "1" and closures["Total closed"] == "2"
    assert len(closures) == 12
    assert sections["Monetary relief"][1] == ["2", "1", "123.45", "123.45"]
    categories = {row[0]: row[1] for row in sections["By category"][1:]}
    assert categories['\'=HYPERLINK("http://x","y")'] == "1" and categories["No category"] == "3"
    subjects = sections["By subject"]
    assert subjects[1][:4] == ["Ditech Financial LLC", "Company", "2120", "2"]
    assert subjects[-1] == ["Total", "", "", "5", "100.0"]


def test_xlsx_has_a_sheet_per_dimension_with_native_numbers(client, formula_category, supervisor_a):
    client.force_login(supervisor_a)
    response = client.get("/reports/complaints.xlsx", _window(closures_by="closed"))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == [
        "Filters",
        "By status",
        "By closure reason",
        "Monetary relief",
        "By business type",
        "By category",
        "By subject",
    ]
    rows = [[c.value for c in row] for row in workbook["By closure reason"].iter_rows()]
    assert rows[0] == ["Closure reason", "Complaints", "Share of closed complaints (%)"]
    by_reason = {r[0]: r[1] for r in rows[1:]}
    assert by_reason["Invalid"] == 1 and by_reason["Total closed"] == 3
    relief = [[c.value for c in row] for row in workbook["Monetary relief"].iter_rows()]
    assert relief[1][:3] == [3, 1, RELIEF_CENTS / 100]
    sheet = workbook["By category"]
    cell = next(row[0] for row in sheet.iter_rows() if str(row[0].value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"
    filters = {r[0].value: r[1].value for r in workbook["Filters"].iter_rows()}
    assert filters["Closures and relief counted by"].startswith("Date closed")


def _page_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, _window()).status_code == 200
    return len(ctx.captured_queries)


def test_page_costs_the_same_queries_whatever_the_number_of_complaints(
    client, supervisor_a, company_x, company_y, django_assert_num_queries
):
    create(supervisor_a, company_x, date_received=days_ago(1))
    one = _page_queries(client, supervisor_a)
    for n in range(10):
        complaint = create(supervisor_a, company_y if n % 2 else company_x, date_received=days_ago(n + 1))
        if n % 2:
            close(supervisor_a, complaint, "monetary_relief", 500 + n)
    client.force_login(supervisor_a)
    with django_assert_num_queries(one):
        html = client.get(URL, _window()).content.decode()
    assert 'id="count-total">11<' in html
