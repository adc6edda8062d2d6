"""POST /api/v1/complaints against an individual the registry knows without a name (scenario 2)."""

from __future__ import annotations

import pytest

from redress.api.tests.conftest import assert_problem, bearer
from redress.companies.models import Individual
from redress.complaints.models import Complaint

from .test_complaints_api import JSON, URL, details

pytestmark = pytest.mark.django_db


def test_individual_name_required_then_created(client, supervisor_a, company_x):
    person = Individual.objects.create(company=company_x, nmls_id="770001", first_name="", last_name="")
    body = {"subject": {"type": "individual", "nmls_id": "770001"}, "details": details()}
    headers = bearer(supervisor_a)
    problem = assert_problem(client.post(URL, body, content_type=JSON, headers=headers), 422, "validation_error")
    assert {e["field"] for e in problem["errors"]} == {"individual_first_name", "individual_last_name"}
    assert not Complaint.objects.exists()

    body.update(individual_first_name="Dana", individual_last_name="Loan")
    response = client.post(URL, body, content_type=JSON, headers=headers)
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["subject"]["type"] == "individual" and out["subject"]["company_ref"] == company_x.company_ref
    assert out["individual"] == {"name": "Dana Loan", "nmls_id": "770001"} and out["branch"] is None
    complaint = Complaint.objects.get()
    assert complaint.company == company_x and complaint.individual == person
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Dana", "Loan")


def test_company_sees_which_of_its_individuals_and_branches_a_complaint_is_about(
    client, supervisor_a, company_admin_x, company_x
):
    from redress.companies.models import Branch
    from redress.core import clock

    Individual.objects.create(company=company_x, nmls_id="770001", first_name="Dana", last_name="Loan")
    Branch.objects.create(company=company_x, nmls_id="880001", name="Harbor Street Office")
    headers = bearer(supervisor_a)
    refs = {}
    for kind, nmls_id in (("individual", "770001"), ("branch", "880001"), ("company", None)):
        subject = {"type": kind, "nmls_id": nmls_id} if nmls_id else {"type": kind, "id": company_x.pk}
        response = client.post(URL, {"subject": subject, "details": details()}, content_type=JSON, headers=headers)
        assert response.status_code == 201, response.content
        refs[kind] = response.json()["ref"]
    # The company sees a complaint once an IR has gone out.
    Complaint.objects.update(first_ir_sent_at=clock.now())

    company = bearer(company_admin_x)
    expected = {"individual": "Dana Loan (NMLS ID 770001)", "branch": "Harbor Street Office (NMLS ID 880001)"}
    for kind, ref in refs.items():
        one = client.get(f"/api/v1/company/complaints/{ref}", headers=company)
        assert one.status_code == 200, one.content
        assert one.json()["subject_person"] == expected.get(kind, "")
    listed = {
        c["ref"]: c["subject_person"] for c in client.get("/api/v1/company/complaints", headers=company).json()["items"]
    }
    assert listed == {ref: expected.get(kind, "") for kind, ref in refs.items()}

    client.force_login(company_admin_x)
    page = client.get(f"/company/complaints/{refs['individual']}/")
    assert page.status_code == 200 and "Dana Loan (NMLS ID 770001)" in page.content.decode()
