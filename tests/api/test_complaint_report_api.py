"""GET /api/v1/reports/complaints-summary: the Complaints Reports figures, the same filters as the
page, problem+json for bad input, and no figures for anyone but the agency's complaints users."""

from __future__ import annotations

import pytest

from redress.agencies.models import AgencyMembership
from redress.api.tests.conftest import assert_problem, bearer
from redress.complaints.tests.report_scenario import RELIEF_CENTS, build, days_ago

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/complaints-summary"


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


def _counts(items):
    return {i["code"]: i["count"] for i in items}


def test_summary_counts_every_dimension(client, scenario, viewer_a, company_x, company_y):
    response = client.get(URL, _window(), headers=bearer(viewer_a))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"] == 5
    assert body["filters"] == {
        "date_from": days_ago(30).isoformat(),
        "date_to": days_ago(0).isoformat(),
        "closures_by": "received",
        "agency_poc_id": None,
        "business_type": None,
        "product": None,
        "top_subjects": 10,
    }
    assert _counts(body["by_status"]) == {
        "pending": 1,
        "open": 2,
        "referral_in_progress": 0,
        "closed": 2,
        "reopened": 0,
    }
    assert body["by_status"][0]["label"] == "Pending review"
    reasons = _counts(body["by_closure_reason"])
    assert len(reasons) == 11 and reasons["closed_with_explanation"] == 1 and reasons["monetary_relief"] == 1
    assert sum(reasons.values()) == body["closed_total"] == 2
    assert _counts(body["by_business_type"])["mortgage_servicing"] == 3
    first, sixth = scenario["categories"]
    by_category = {c["id"]: c["count"] for c in body["by_category"]}
    assert by_category[first] == 1 and by_category[sixth] == 2 and body["without_category"] == 3
    subjects = body["by_subject"]
    assert [(t["kind"], t["id"], t["count"]) for t in subjects["top"]] == [
        ("company", company_y.pk, 2),
        ("company", company_x.pk, 2),
        ("non_nmls", scenario["entity_subject"].pk, 1),
    ]
    assert subjects["other_subjects"] == 0 and subjects["subjects"] == 3
    assert body["monetary_relief"] == {"closed_complaints": 2, "complaints_with_relief": 1, "total_cents": RELIEF_CENTS}


def test_filters_match_the_page(client, scenario, supervisor_a):
    headers = bearer(supervisor_a)
    closed = client.get(URL, _window(closures_by="closed", top_subjects=1), headers=headers).json()
    assert closed["closed_total"] == 3 and _counts(closed["by_closure_reason"])["invalid"] == 1
    assert closed["by_subject"]["other_subjects"] == 2 and closed["by_subject"]["other_complaints"] == 3
    debt = client.get(URL, _window(business_type="debt"), headers=headers).json()
    assert debt["total"] == 2 and debt["filters"]["business_type"] == "debt"
    mine = client.get(URL, _window(agency_poc_id=supervisor_a.pk, product="Mortgage"), headers=headers).json()
    assert mine["total"] == 3
    default = client.get(URL, headers=headers).json()
    assert default["filters"]["date_from"] == days_ago(365).isoformat() and default["total"] == 6


def test_bad_input_is_a_problem(client, supervisor_a):
    headers = bearer(supervisor_a)
    body = assert_problem(
        client.get(URL, {"date_from": days_ago(1).isoformat(), "date_to": days_ago(5).isoformat()}, headers=headers),
        422,
        "invalid_date_range",
    )
    assert body["errors"] == [{"field": "date_to", "message": "The end date must be on or after the start date."}]
    for bad in (
        {"date_from": "2026-02-30"},
        {"closures_by": "whenever"},
        {"business_type": "casino"},
        {"top_subjects": "0"},
        {"top_subjects": "101"},
        {"agency_poc_id": "-1"},
        {"product": "a\x00b"},
    ):
        assert_problem(client.get(URL, bad, headers=headers), 422, "validation_error")
    # The earliest date there is: the default range stops there instead of failing.
    assert client.get(URL, {"date_to": "0001-01-02"}, headers=headers).json()["filters"]["date_from"] == "0001-01-01"


def test_only_the_agencys_complaints_users_read_it(
    client, scenario, supervisor_b, company_admin_x, make_user, agency_a
):
    theirs = client.get(URL, _window(), headers=bearer(supervisor_b)).json()
    assert theirs["total"] == 2 and theirs["closed_total"] == 0
    examiner = make_user(full_name="Eve Examiner")
    AgencyMembership.objects.create(user=examiner, agency=agency_a, complaints_role="")
    for outsider in (company_admin_x, examiner):
        assert_problem(client.get(URL, _window(), headers=bearer(outsider)), 403, "forbidden")
    assert client.get(URL, _window()).status_code == 401


def test_documented_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["get"]
    assert {"200", "403", "422"} <= set(operation["responses"])
    params = {p["name"] for p in operation["parameters"]}
    assert params == {
        "date_from",
        "date_to",
        "closures_by",
        "agency_poc_id",
        "business_type",
        "product",
        "top_subjects",
    }
    assert "ComplaintSummaryOut" in schema["components"]["schemas"]
