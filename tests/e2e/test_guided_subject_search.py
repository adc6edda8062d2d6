"""Scenario 3 in a real browser: Mark runs the guided search step by step with the keyboard; the
Non-NMLS option appears only once every step says "Subject Not Found"; he creates the entity,
enters the complaint, and the Information Requests tab says IRs are not available. axe runs on
every page: the search (empty, with an error, partial, exhausted), the create page, the intake form
and the complaint."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from redress.complaints.models import Complaint, NonNmlsEntity, SubjectSearch
from tests.e2e.helpers import assert_accessible, login, tab_until

pytestmark = pytest.mark.e2e

LINK = "Create New Non-NMLS Entity"


def test_guided_search_to_non_nmls_complaint(page, base_url, manager_a, company_x):
    login(page, base_url, manager_a, manager_a.totp_secret)
    page.goto(f"{base_url}/complaints/new/")
    expect(page.locator("h1")).to_have_text("Enter a complaint: choose the subject")
    assert_accessible(page)

    # A phone number too short to search is a field error.
    page.fill("#id_phone", "555")
    page.get_by_role("button", name="Find subject").click()
    expect(page.locator(".usa-alert--error")).to_contain_text("Enter the full phone number")
    assert_accessible(page)

    # Name and location only: Subject Not Found, but the create option is not offered yet.
    page.fill("#id_phone", "")
    page.fill("#id_name", "Shady Lender of Nowhere")
    page.select_option("#id_state", "MD")
    page.get_by_role("button", name="Find subject").click()
    expect(page.locator("#step-name-status")).to_have_text("Subject Not Found")
    expect(page.locator("#steps-left")).to_contain_text("Keywords, Phone number, Website")
    expect(page.get_by_role("link", name=LINK)).to_have_count(0)
    assert_accessible(page)

    # The remaining steps, by keyboard: keywords, phone, and "I do not have this information" for the website.
    page.focus("#id_keywords")
    page.keyboard.type("shady nowhere")
    tab_until(page, lambda f: f.get("id") == "id_phone")
    page.keyboard.type("443-555-0199")
    tab_until(page, lambda f: f.get("id") == "id_website_unknown")
    page.keyboard.press("Space")
    tab_until(page, lambda f: f.get("tag") == "button" and f.get("text") == "Find subject")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    for step in ("name", "keywords", "phone"):
        expect(page.locator(f"#step-{step}-status")).to_have_text("Subject Not Found")
    expect(page.locator("#step-website-status")).to_contain_text("Skipped")
    assert_accessible(page)
    assert not NonNmlsEntity.objects.exists()
    page.get_by_role("link", name=LINK).click()

    expect(page.locator("h1")).to_have_text("Create a Non-NMLS entity")
    expect(page.locator("#id_name")).to_have_value("Shady Lender of Nowhere")
    expect(page.locator("main")).to_contain_text("shady nowhere")
    assert_accessible(page)
    page.fill("#id_city", "Baltimore")
    page.get_by_role("button", name="Create entity and continue").click()

    entity = NonNmlsEntity.objects.get()
    assert re.fullmatch(r"ETN-.+", entity.tracking_number) and entity.city == "Baltimore"
    assert SubjectSearch.objects.get(entity=entity).actor == manager_a
    expect(page.locator("h1")).to_have_text("Enter a complaint: details")
    expect(page.locator("main")).to_contain_text(entity.tracking_number)
    assert_accessible(page)
    page.select_option("#id_how_received", "phone")
    page.select_option("#id_business_type", "mortgage_servicing")
    page.select_option("#id_product", "Mortgage")
    expect(page.locator("#id_issue option", has_text="Loan servicing, payments, escrow account")).to_have_count(1)
    page.select_option("#id_issue", "Loan servicing, payments, escrow account")
    page.fill("#id_summary", "A lender that is not in the registry took an upfront fee and disappeared.")
    page.fill("#id_complainant_first_name", "Pat")
    page.fill("#id_complainant_last_name", "Rivera")
    page.get_by_role("button", name="Bypass preliminary review").click()
    expect(page.locator("h1")).to_contain_text("Complaint CMP-")
    complaint = Complaint.objects.get()
    assert complaint.non_nmls_entity == entity and complaint.company is None
    assert_accessible(page)

    page.get_by_role("link", name="Information Requests").click()
    expect(page.locator("main")).to_contain_text("Information requests are not available on this complaint")
    expect(page.get_by_role("link", name=re.compile("Add an information request"))).to_have_count(0)
    assert_accessible(page)

    # The used search cannot make a second entity.
    page.goto(f"{base_url}/complaints/new/non-nmls/?search={SubjectSearch.objects.get().ref}")
    expect(page.locator("h1")).to_have_text("Enter a complaint: choose the subject")
    expect(page.locator("main")).to_contain_text("already used")
    assert_accessible(page)
