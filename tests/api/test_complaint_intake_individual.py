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
