"""The company registry pages: search, profile, add, CSV import, supervision, company view."""

import pytest
from playwright.sync_api import expect

from redress.companies.models import Company, Supervision
from tests.e2e.helpers import assert_accessible, assert_keyboard_navigable, login

pytestmark = pytest.mark.e2e


def test_search_companies(page, base_url, supervisor_a, company_x, company_y):
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)
    page.get_by_role("link", name="Companies").first.click()
    expect(page.locator("h1")).to_have_text("Companies")
    expect(page.locator("main table")).to_contain_text(company_x.legal_name)
    assert_accessible(page)
    assert_keyboard_navigable(page)

    page.get_by_label("Company name").fill("Ocwen")
    page.get_by_label("Company name").press("Enter")
    table = page.locator("main table")
    expect(table).to_contain_text(company_x.legal_name)
    expect(table).not_to_contain_text(company_y.legal_name)
    assert_accessible(page)

    page.get_by_role("link", name=company_x.legal_name).click()
    expect(page.locator("h1")).to_have_text(company_x.legal_name)
    assert_accessible(page)
    assert_keyboard_navigable(page)


def test_add_company_and_mark_supervised(page, base_url, supervisor_a, agency_a):
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)
    page.goto(f"{base_url}/companies/")
    page.get_by_role("link", name="Add company").click()
    assert_accessible(page)
    assert_keyboard_navigable(page)

    page.get_by_label("NMLS ID").fill("12ab")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".usa-alert--error")).to_be_visible()
    assert Company.objects.count() == 0
    assert_accessible(page)

    page.get_by_label("Legal name").fill("Carrington Mortgage Services, LLC")
    page.get_by_label("NMLS ID").fill("2600")
    page.get_by_label("City").fill("Aliso Viejo")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("h1")).to_have_text("Carrington Mortgage Services, LLC")
    company = Company.objects.get(nmls_id="2600")
    assert company.city == "Aliso Viejo"
    assert_accessible(page)

    page.get_by_role("button", name=f"Mark as supervised by {agency_a.code}").click()
    expect(page.get_by_role("button", name="Stop supervising")).to_be_visible()
    assert Supervision.objects.filter(company=company, agency=agency_a).exists()
    assert_accessible(page)


def test_import_companies_from_csv(page, base_url, supervisor_a):
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)
    page.goto(f"{base_url}/companies/import/")
    expect(page.locator("h1")).to_have_text("Import companies from CSV")
    assert_accessible(page)
    assert_keyboard_navigable(page)

    bad = b"nmls_id,legal_name\n2600,Carrington Mortgage Services LLC\nabc,Nameless Row\n"
    page.get_by_label("CSV file").set_input_files({"name": "bad.csv", "mimeType": "text/csv", "buffer": bad})
    page.get_by_role("button", name="Import").click()
    expect(page.locator("main table")).to_contain_text("nmls_id")
    assert Company.objects.count() == 0
    assert_accessible(page)

    good = b'nmls_id,legal_name,state\n2600,Carrington Mortgage Services LLC,CA\n3030,"Rocket Mortgage, LLC",MI\n'
    page.get_by_label("CSV file").set_input_files({"name": "good.csv", "mimeType": "text/csv", "buffer": good})
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state()
    assert set(Company.objects.values_list("nmls_id", flat=True)) == {"2600", "3030"}
    assert_accessible(page)


def test_company_admin_sees_own_company(page, base_url, company_admin_x, company_user_x, company_y):
    login(page, base_url, company_admin_x, company_admin_x.totp_secret)
    page.get_by_role("link", name="My company").click()
    expect(page.locator("h1")).to_have_text(company_admin_x.company_membership.company.legal_name)
    expect(page.locator("main")).to_contain_text(company_user_x.email)
    assert_accessible(page)
    assert_keyboard_navigable(page)
    response = page.goto(f"{base_url}/companies/{company_y.pk}/")
    assert response is not None and response.status == 404
