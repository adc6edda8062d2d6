"""Intake against an individual: the name the registry lacks is entered on the form (scenario 2)."""

from __future__ import annotations

import pytest

from redress.companies.models import Individual
from redress.complaints.models import Complaint

from .test_complaint_intake import _form

pytestmark = pytest.mark.django_db

URL = "/complaints/new/details/"


@pytest.fixture
def nameless(company_x) -> Individual:
    return Individual.objects.create(company=company_x, nmls_id="770001", first_name="", last_name="")


def test_name_fields_only_for_an_individual(client, supervisor_a, company_x, nameless):
    client.force_login(supervisor_a)
    html = client.get(URL, {"subject": f"company:{company_x.pk}"}).content.decode()
    assert "individual_first_name" not in html
    html = client.get(URL, {"subject": f"individual:{nameless.pk}"}).content.decode()
    assert "Individual&#x27;s name" in html or "Individual's name" in html
    assert 'name="individual_first_name"' in html and 'name="individual_last_name"' in html


def test_missing_name_is_a_field_error_and_nothing_is_saved(client, supervisor_a, company_x, nameless):
    client.force_login(supervisor_a)
    response = client.post(URL, {"subject": f"individual:{nameless.pk}", **_form()})
    assert response.status_code == 422
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter the individual&#x27;s first name." in html and "Enter the individual&#x27;s last name." in html
    assert 'href="#id_individual_first_name"' in html
    assert not Complaint.objects.exists()
    nameless.refresh_from_db()
    assert (nameless.first_name, nameless.last_name) == ("", "")


def test_entered_name_saves_against_the_employing_company(client, supervisor_a, company_x, nameless):
    client.force_login(supervisor_a)
    response = client.post(
        URL,
        {
            "subject": f"individual:{nameless.pk}",
            "individual_first_name": " Dana ",
            "individual_last_name": "Loan",
            **_form(),
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert complaint.individual == nameless and complaint.company == company_x
    nameless.refresh_from_db()
    assert (nameless.first_name, nameless.last_name) == ("Dana", "Loan")
    summary = client.get(f"/complaints/{complaint.ref}/").content.decode()
    details = client.get(f"/complaints/{complaint.ref}/details/").content.decode()
    for html in (summary, details):
        assert "Dana Loan" in html and "NMLS ID 770001" in html


def test_registry_name_is_prefilled_and_kept(client, supervisor_a, company_x):
    person = Individual.objects.create(company=company_x, nmls_id="770002", first_name="Robin", last_name="")
    client.force_login(supervisor_a)
    html = client.get(URL, {"subject": f"individual:{person.pk}"}).content.decode()
    assert 'value="Robin"' in html and "From the registry." in html
    # A posted first name cannot overwrite the registry's; only the missing last name is taken.
    response = client.post(
        URL,
        {
            "subject": f"individual:{person.pk}",
            "individual_first_name": "Mallory",
            "individual_last_name": "Banks",
            **_form(),
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Robin", "Banks")
