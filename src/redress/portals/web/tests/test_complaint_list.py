"""Complaint list: scope, filters, search, keyset pages with constant queries, streamed CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.http import StreamingHttpResponse

from redress.complaints.services import complaint_close, complaint_create
from redress.complaints.tests.conftest import intake_details
from redress.core import clock

pytestmark = pytest.mark.django_db


def _make(actor, company, n: int, **overrides):
    return [
        complaint_create(
            actor=actor,
            subject_type="company",
            subject_id=company.pk,
            details=intake_details(
                **{
                    "complainant_last_name": f"Person{i}",
                    "date_received": clock.today() - dt.timedelta(days=i),
                    **overrides,
                }
            ),
            submit_for_review=False,
        )
        for i in range(n)
    ]


def test_list_shows_only_the_agencys_complaints(client, supervisor_a, supervisor_b, company_x):
    mine = _make(supervisor_a, company_x, 2)
    theirs = _make(supervisor_b, company_x, 1)
    client.force_login(supervisor_a)
    html = client.get("/complaints/").content.decode()
    assert all(c.ref in html for c in mine) and theirs[0].ref not in html
    assert "<caption>" in html and 'scope="col"' in html


@pytest.mark.parametrize("user", ["company_admin_x", "sysadmin"])
def test_list_and_export_are_404_for_non_agency_users(request, client, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get("/complaints/").status_code == 404
    assert client.get("/complaints/export/").status_code == 404


def test_filters_and_search(client, supervisor_a, manager_a, company_x, company_y):
    a = _make(supervisor_a, company_x, 1)[0]
    b = _make(manager_a, company_y, 1, cfpb_id="555", complainant_last_name="Nguyen")[0]
    complaint_close(actor=manager_a, ref=b.ref, closure={"reason": "invalid"}, expected_version=b.version)
    client.force_login(supervisor_a)

    def refs(**params) -> set[str]:
        html = client.get("/complaints/", params).content.decode()
        return {r for r in (a.ref, b.ref) if r in html}

    assert refs(status="closed") == {b.ref}
    assert refs(status="any_open") == {a.ref}
    assert refs(agency_poc=supervisor_a.pk) == {a.ref}
    assert refs(company=company_y.nmls_id) == {b.ref}
    assert refs(company="CO-999999") == set()
    assert refs(q="555") == {b.ref}
    assert refs(q="nguyen") == {b.ref}
    assert refs(q=a.ref) == {a.ref}
    assert refs(closed_from=clock.today().isoformat()) == {b.ref}
    assert refs(how_received="web") == {a.ref, b.ref}
    assert refs(closure_reason="invalid") == {b.ref}
    assert refs(closure_reason="duplicate") == set()
    assert refs(business_type="mortgage_servicing") == {a.ref, b.ref}
    assert refs(business_type="auction") == set()
    assert refs(overdue_ir="on") == set()
    assert refs(product="Mortgage", issue="Loan servicing, payments, escrow account") == {a.ref, b.ref}
    response = client.get("/complaints/", {"received_from": "2024-02-02", "received_to": "2024-01-01"})
    assert (
        response.status_code == 400 and "The end date must be on or after the start date." in response.content.decode()
    )


def test_keyset_pages_cover_everything_once(client, supervisor_a, company_x):
    made = _make(supervisor_a, company_x, 7)
    client.force_login(supervisor_a)
    for sort in ("-received", "received", "ref", "-ref", "subject"):
        seen: list[str] = []
        url = f"/complaints/?limit=3&sort={sort}"
        for _ in range(5):
            response = client.get(url)
            page = [c.ref for c in response.context["complaints"]]
            seen.extend(page)
            if not response.context["next_url"]:
                break
            url = "/complaints/" + response.context["next_url"]
        assert sorted(seen) == sorted(c.ref for c in made), sort
    assert client.get("/complaints/?cursor=garbage").status_code == 200


def test_query_count_does_not_grow_with_page_size(
    client, supervisor_a, manager_a, company_x, django_assert_max_num_queries
):
    _make(supervisor_a, company_x, 3)
    _make(manager_a, company_x, 30)
    client.force_login(supervisor_a)
    client.get("/complaints/?limit=2&company=2739")  # warm the session
    with django_assert_max_num_queries(12) as small:
        client.get("/complaints/?limit=2&company=2739")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/complaints/?limit=100&company=2739")
    assert len(response.context["complaints"]) == 33


def test_export_streams_the_filtered_list_safely(client, supervisor_a, company_x):
    made = _make(supervisor_a, company_x, 2)
    evil = _make(supervisor_a, company_x, 1, complainant_last_name="=cmd|' /C calc'!A0", cfpb_id="+1")[0]
    client.force_login(supervisor_a)
    response = client.get("/complaints/export/", {"status": "open"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Complaint ID"
    assert {r[0] for r in rows[1:]} == {c.ref for c in [*made, evil]}
    evil_row = next(r for r in rows if r[0] == evil.ref)
    assert "'=cmd|' /C calc'!A0" in evil_row and "'+1" in evil_row
    empty = client.get("/complaints/export/", {"status": "closed"})
    assert len(list(csv.reader(io.StringIO(b"".join(empty.streaming_content).decode())))) == 1


def test_home_shows_complaint_panels(client, supervisor_a, viewer_a, company_x):
    mine = _make(supervisor_a, company_x, 1)[0]
    client.force_login(supervisor_a)
    html = client.get("/").content.decode()
    assert "My open complaints" in html and mine.ref in html and "Pending preliminary review" in html
    client.force_login(viewer_a)
    html = client.get("/").content.decode()
    assert "My open complaints" in html and "Pending preliminary review" not in html
