"""Intake in two steps: subject search, then the form with duplicates and the workflow choice."""

from __future__ import annotations

import pytest

from redress.companies.models import Branch, StateLicense
from redress.complaints.constants import Status
from redress.complaints.models import Complaint, NonNmlsEntity, SubjectSearch
from redress.complaints.services import complaint_create
from redress.complaints.tests.conftest import intake_details

pytestmark = pytest.mark.django_db


def _form(**overrides) -> dict:
    details = intake_details()
    data = {k: v for k, v in details.items() if k != "amount_in_dispute_cents"}
    data["date_received"] = details["date_received"].isoformat()
    data["amount_in_dispute"] = "75.00"
    data["workflow"] = "bypass"
    data.update(overrides)
    return data


def test_find_by_nmls_id_and_licence_number(client, supervisor_a, agency_a, company_x, company_y):
    StateLicense.objects.create(agency=agency_a, company=company_y, license_number="MLO-77")
    Branch.objects.create(company=company_x, nmls_id="99001", name="Ocwen Baltimore")
    client.force_login(supervisor_a)
    html = client.get("/complaints/new/", {"identifier": "2739"}).content.decode()
    assert company_x.legal_name in html and f"subject=company:{company_x.pk}" in html
    html = client.get("/complaints/new/", {"identifier": "mlo-77"}).content.decode()
    assert company_y.legal_name in html
    html = client.get("/complaints/new/", {"identifier": "99001"}).content.decode()
    assert "Ocwen Baltimore" in html and "subject=branch:" in html
    assert "create a Non-NMLS entity" not in html


def test_non_nmls_offered_only_after_every_step_found_nothing(client, supervisor_a, company_x):
    client.force_login(supervisor_a)
    link = "Create New Non-NMLS Entity"
    assert link not in client.get("/complaints/new/").content.decode()
    every_step = {"name": "Shady Lender", "keywords": "shady", "phone_unknown": "on", "website_unknown": "on"}
    assert link not in client.get("/complaints/new/", {**every_step, "name": "Ocwen"}).content.decode()
    assert link not in client.get("/complaints/new/", {"name": "Shady Lender"}).content.decode()
    html = client.get("/complaints/new/", every_step).content.decode()
    assert "Subject Not Found" in html and link in html
    search = SubjectSearch.objects.get(found_count=0)
    response = client.post(
        "/complaints/new/non-nmls/", {"search": str(search.ref), "name": "Shady Lender LLC", "state": "MD"}
    )
    entity = NonNmlsEntity.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"subject=non_nmls:{entity.pk}")


def test_intake_form_shows_subject_and_grouped_fields(client, supervisor_a, company_x):
    client.force_login(supervisor_a)
    response = client.get("/complaints/new/details/", {"subject": f"company:{company_x.pk}"})
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Subject details",
        "Agency details",
        "Complaint details",
        "Transaction details",
        "Complainant details",
        "Restrict complainant details",
        company_x.company_ref,
        "Bypass preliminary review",
        "Submit for preliminary review",
        "Update the lists",
    ):
        assert text in html
    assert html.count("<h1") == 1


def test_taxonomy_lists_narrow_without_javascript(client, supervisor_a, company_x):
    client.force_login(supervisor_a)
    response = client.post(
        "/complaints/new/details/", {"subject": f"company:{company_x.pk}", "product": "Mortgage", "refresh": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" not in html
    assert "Conventional fixed mortgage" in html and "Loan servicing, payments, escrow account" in html
    assert not Complaint.objects.exists()
    fragment = client.get("/complaints/taxonomy-options/", {"product": "Mortgage"}, HTTP_HX_REQUEST="true")
    assert "Conventional fixed mortgage" in fragment.content.decode() and "<h1" not in fragment.content.decode()


def test_bypass_creates_an_open_complaint_with_cents(client, supervisor_a, company_x):
    client.force_login(supervisor_a)
    response = client.post("/complaints/new/details/", {"subject": f"company:{company_x.pk}", **_form()})
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/complaints/{complaint.ref}/"
    assert complaint.status == Status.OPEN and complaint.agency_poc == supervisor_a
    assert complaint.amount_in_dispute_cents == 7500


def test_submit_for_review_creates_pending(client, manager_a, company_x):
    client.force_login(manager_a)
    client.post("/complaints/new/details/", {"subject": f"company:{company_x.pk}", **_form(workflow="review")})
    assert Complaint.objects.get().status == Status.PENDING


def test_errors_are_listed_and_nothing_is_saved(client, supervisor_a, company_x):
    client.force_login(supervisor_a)
    response = client.post(
        "/complaints/new/details/",
        {"subject": f"company:{company_x.pk}", **_form(issue="Not a mortgage issue", complainant_postal_code="2120")},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "There is a problem" in html and "Choose an issue that belongs to Mortgage." in html
    assert "Use a 5-digit ZIP code" in html
    response = client.post(
        "/complaints/new/details/", {"subject": f"company:{company_x.pk}", **_form(summary="", amount_in_dispute="abc")}
    )
    html = response.content.decode()
    assert "Enter the summary." in html and "Enter an amount in dollars" in html
    assert not Complaint.objects.exists()


def test_duplicates_are_shown_and_must_be_confirmed(client, supervisor_a, company_x):
    existing = complaint_create(
        actor=supervisor_a,
        subject_type="company",
        subject_id=company_x.pk,
        details=intake_details(),
        submit_for_review=False,
    )
    client.force_login(supervisor_a)
    response = client.post("/complaints/new/details/", {"subject": f"company:{company_x.pk}", **_form()})
    html = response.content.decode()
    assert response.status_code == 200 and "This may be a duplicate" in html
    assert f"/complaints/{existing.ref}/" in html
    assert Complaint.objects.count() == 1
    response = client.post(
        "/complaints/new/details/", {"subject": f"company:{company_x.pk}", **_form(not_duplicate="on")}
    )
    assert response.status_code == 302 and Complaint.objects.count() == 2


@pytest.mark.parametrize("user", ["viewer_a", "agency_admin_a"])
def test_viewers_cannot_enter_complaints(request, client, user, company_x):
    client.force_login(request.getfixturevalue(user))
    assert client.get("/complaints/new/").status_code == 403
    assert client.post("/complaints/new/details/", {"subject": f"company:{company_x.pk}", **_form()}).status_code == 403
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("user", ["company_admin_x", "sysadmin"])
def test_non_agency_users_get_404(request, client, user, company_x):
    client.force_login(request.getfixturevalue(user))
    assert client.get("/complaints/new/").status_code == 404
    assert client.post("/complaints/new/details/", {"subject": f"company:{company_x.pk}", **_form()}).status_code == 404
    assert not Complaint.objects.exists()


def test_unknown_subject_is_404(client, supervisor_a):
    client.force_login(supervisor_a)
    assert client.get("/complaints/new/details/", {"subject": "company:999999"}).status_code == 404
    assert client.get("/complaints/new/details/", {"subject": "bogus"}).status_code == 404
