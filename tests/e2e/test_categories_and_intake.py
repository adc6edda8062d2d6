"""In a real browser: an agency administrator keeps the complaint categories; a Manager enters a
complaint against a nameless individual with categories and a document. Every page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from redress.companies.models import Individual
from redress.complaints.categories import DEFAULT_NAMES, category_names
from redress.complaints.models import Complaint, ComplaintCategory
from redress.documents.models import Document
from tests.e2e.helpers import assert_accessible, login

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_admin_keeps_the_category_list(page: Page, base_url, agency_admin_a, agency_a):
    login(page, base_url, agency_admin_a, agency_admin_a.totp_secret)
    page.goto(f"{base_url}/agencies/{agency_a.pk}/")
    page.get_by_role("link", name="Manage complaint categories").click()
    expect(page.locator("h1")).to_have_text("Complaint categories")
    expect(page.locator("main")).to_contain_text(DEFAULT_NAMES[0])
    assert_accessible(page)

    page.get_by_role("button", name="Add category").click()
    expect(page.locator(".usa-error-message")).to_contain_text("Enter the category name.")
    assert_accessible(page)
    page.fill("#id_name", "Elder financial exploitation")
    page.get_by_role("button", name="Add category").click()
    expect(page.locator("main")).to_contain_text("Category “Elder financial exploitation” was added.")
    assert_accessible(page)

    page.get_by_role("link", name="Rename Elder financial exploitation").click()
    expect(page.locator("h1")).to_have_text("Rename a category")
    assert_accessible(page)
    page.fill("#id_name", "Elder exploitation")
    page.get_by_role("button", name="Save the name").click()
    expect(page.locator("main")).to_contain_text("now named “Elder exploitation”")

    page.get_by_role("button", name=f"Deactivate {DEFAULT_NAMES[0]}").click()
    expect(page.locator("main")).to_contain_text("is no longer offered")
    expect(page.get_by_role("button", name=f"Activate {DEFAULT_NAMES[0]}")).to_be_visible()
    assert_accessible(page)
    category = ComplaintCategory.objects.get(agency=agency_a, name=DEFAULT_NAMES[0])
    assert not category.is_active
    assert ComplaintCategory.objects.filter(agency=agency_a, name="Elder exploitation", is_active=True).exists()


def test_intake_with_individual_name_categories_and_a_document(
    page: Page, base_url, manager_a, agency_a, company_x, tmp_path
):
    person = Individual.objects.create(company=company_x, nmls_id="770001", first_name="", last_name="")
    letter = tmp_path / "consumer-letter.pdf"
    letter.write_bytes(PDF)
    login(page, base_url, manager_a, manager_a.totp_secret)
    page.goto(f"{base_url}/complaints/new/details/?subject=individual:{person.pk}")
    expect(page.locator("h1")).to_have_text("Enter a complaint: details")
    assert_accessible(page)

    page.select_option("#id_how_received", "phone")
    page.select_option("#id_business_type", "mortgage_servicing")
    page.select_option("#id_product", "Mortgage")
    expect(page.locator("#id_issue option", has_text="Trouble during payment process")).to_have_count(1)
    page.select_option("#id_issue", "Trouble during payment process")
    page.fill("#id_summary", "The servicer lost two payments and charged late fees.")
    page.fill("#id_complainant_first_name", "Pat")
    page.fill("#id_complainant_last_name", "Rivera")
    page.locator("label", has_text=DEFAULT_NAMES[0]).click()
    page.set_input_files("#id_files", str(letter))
    page.locator("label", has_text="Your agency and the company").click()
    # The individual's name is missing: refused, nothing saved, and the file must be chosen again.
    page.get_by_role("button", name="Bypass preliminary review").click()
    expect(page.locator(".usa-alert--error")).to_contain_text("Enter the individual's first name.")
    expect(page.locator("#documents-choose-again")).to_contain_text("consumer-letter.pdf")
    expect(page.get_by_label(DEFAULT_NAMES[0])).to_be_checked()
    assert not Complaint.objects.exists() and not Document.objects.exists()
    assert_accessible(page)

    page.fill("#id_individual_first_name", "Dana")
    page.fill("#id_individual_last_name", "Loan")
    page.set_input_files("#id_files", str(letter))
    page.get_by_role("button", name="Bypass preliminary review").click()
    expect(page.locator("h1")).to_contain_text("Complaint CMP-")
    expect(page.locator("main")).to_contain_text("Dana Loan")
    expect(page.get_by_role("link", name="consumer-letter.pdf")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Shared with the company")
    assert_accessible(page)
    complaint = Complaint.objects.get()
    assert complaint.company == company_x and category_names(complaint) == [DEFAULT_NAMES[0]]

    page.get_by_role("link", name="Details", exact=True).click()
    expect(page.locator("main")).to_contain_text(DEFAULT_NAMES[0])
    assert_accessible(page)
    page.goto(f"{base_url}/complaints/?category={complaint.categories.get().pk}")
    expect(page.locator("main table")).to_contain_text(complaint.ref)
    assert_accessible(page)
