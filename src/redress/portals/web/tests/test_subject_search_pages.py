"""Intake step A in the browser's terms: the guided search says per step what it found, offers
"Create New Non-NMLS Entity" only after every step found nothing, and the create page refuses
anything but the user's own fresh, unused, empty search."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from redress.companies.models import Individual
from redress.complaints.models import NonNmlsEntity, SubjectSearch
from redress.complaints.services import complaint_create
from redress.complaints.tests.conftest import intake_details
from redress.core import clock

pytestmark = pytest.mark.django_db

LINK = "Create New Non-NMLS Entity"
EVERY_STEP = {
    "name": "Shady Lender",
    "state": "MD",
    "keywords": "shady lender",
    "phone": "443-555-0199",
    "website_unknown": "on",
}


@pytest.fixture
def registry(company_x):
    company_x.other_names = ["Homeward Residential"]
    company_x.phone = "561-682-8000"
    company_x.website = "www.ocwen.com"
    company_x.save()
    Individual.objects.create(company=company_x, nmls_id="880001", first_name="Dana", last_name="Loan")
    return company_x


def test_each_step_says_what_it_found(client, registry, supervisor_a):
    client.force_login(supervisor_a)
    html = client.get(
        "/complaints/new/",
        {"name": "Shady", "keywords": "homeward", "phone": "(561) 682 8000", "website_unknown": "on"},
    ).content.decode()
    assert html.count("Subject Not Found") == 1  # the name step
    assert html.count("1 found") == 2  # keywords and phone
    assert "Skipped: I do not have this information" in html and "Not searched" in html  # website; identifier
    assert "Found by: Keywords, Phone number" in html and registry.legal_name in html
    assert LINK not in html
    # A complete search that found something is recorded but offers no creation.
    assert SubjectSearch.objects.get().found_count == 1


def test_keywords_find_an_individual_and_website_ignores_scheme(client, registry, supervisor_a):
    client.force_login(supervisor_a)
    html = client.get("/complaints/new/", {"keywords": "Dana Loan"}).content.decode()
    assert "Dana Loan" in html and "Found by: Keywords" in html
    assert f'subject=individual:{Individual.objects.get().pk}"' in html
    html = client.get("/complaints/new/", {"website": "HTTPS://ocwen.com/help"}).content.decode()
    assert "Found by: Website" in html and registry.company_ref in html


def test_steps_left_are_named(client, supervisor_a):
    client.force_login(supervisor_a)
    html = client.get("/complaints/new/", {"name": "Shady Lender"}).content.decode()
    assert "Search the steps not yet searched: Keywords, Phone number, Website." in html
    assert not SubjectSearch.objects.exists()


def test_unsearchable_input_is_a_field_error(client, supervisor_a):
    client.force_login(supervisor_a)
    response = client.get("/complaints/new/", {"phone": "555", "website": "nowhere"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter the full phone number" in html and 'href="#id_phone"' in html
    assert "Enter a website address such as example.com." in html
    blank = client.get("/complaints/new/", {"phone_unknown": "on"})
    assert blank.status_code == 422 and "Enter something to search for" in blank.content.decode()


def test_create_page_shows_the_search_and_prefills_the_entity(client, supervisor_a):
    client.force_login(supervisor_a)
    html = client.get("/complaints/new/", EVERY_STEP).content.decode()
    search = SubjectSearch.objects.get()
    assert f"/complaints/new/non-nmls/?search={search.ref}" in html
    page = client.get("/complaints/new/non-nmls/", {"search": str(search.ref)})
    assert page.status_code == 200
    text = page.content.decode()
    assert "What your search tried" in text and "shady lender" in text and "I do not have this information" in text
    assert 'value="Shady Lender"' in text and 'value="443-555-0199"' in text
    assert f'name="search" value="{search.ref}"' in text


def test_create_refuses_anything_but_an_own_fresh_unused_search(client, supervisor_a, manager_a):
    client.force_login(manager_a)
    client.get("/complaints/new/", EVERY_STEP)
    others = SubjectSearch.objects.get(actor=manager_a)
    client.force_login(supervisor_a)
    entity = {"name": "Shady Lender LLC", "state": "MD"}
    # Another user's search: the create page sends the user back to the search.
    away = client.get("/complaints/new/non-nmls/", {"search": str(others.ref)}, follow=True)
    assert away.redirect_chain[-1][0] == "/complaints/new/"
    assert "Search for the subject first" in away.content.decode()
    refused = client.post("/complaints/new/non-nmls/", {**entity, "search": str(others.ref)})
    assert refused.status_code == 409 and "Search for the subject first" in refused.content.decode()

    with time_machine.travel(clock.now() - dt.timedelta(hours=2), tick=False):
        client.get("/complaints/new/", EVERY_STEP)
    stale = SubjectSearch.objects.get(actor=supervisor_a)
    response = client.post("/complaints/new/non-nmls/", {**entity, "search": str(stale.ref)})
    assert response.status_code == 409 and "more than an hour old" in response.content.decode()
    assert not NonNmlsEntity.objects.exists()

    client.get("/complaints/new/", EVERY_STEP)
    fresh = SubjectSearch.objects.filter(actor=supervisor_a).order_by("-id").first()
    assert client.post("/complaints/new/non-nmls/", {**entity, "search": str(fresh.ref)}).status_code == 302
    again = client.post("/complaints/new/non-nmls/", {**entity, "search": str(fresh.ref)})
    assert again.status_code == 409 and "already used" in again.content.decode()
    assert NonNmlsEntity.objects.count() == 1


def test_viewers_cannot_search_for_intake_or_create(client, viewer_a):
    client.force_login(viewer_a)
    assert client.get("/complaints/new/", EVERY_STEP).status_code == 403
    assert client.post("/complaints/new/non-nmls/", {"name": "X"}).status_code == 403
    assert not SubjectSearch.objects.exists()


def test_change_of_subject_searches_by_keywords_without_recording(client, registry, supervisor_a, company_y):
    complaint = complaint_create(
        actor=supervisor_a,
        subject_type="company",
        subject_id=company_y.pk,
        details=intake_details(),
        submit_for_review=False,
    )
    client.force_login(supervisor_a)
    html = client.get(f"/complaints/{complaint.ref}/subject/", {"keywords": "homeward"}).content.decode()
    assert registry.legal_name in html and LINK not in html
    assert not SubjectSearch.objects.exists()
