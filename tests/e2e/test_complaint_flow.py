"""One complaint's life in a real browser: intake, preliminary review, edit, close with monetary
relief, a research note after closure, reopen, close again. Every page passes axe, and the close
form is operated with the keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from redress.complaints.constants import Status
from redress.complaints.models import Complaint
from redress.core import clock
from tests.e2e.helpers import assert_accessible, login, tab_until

pytestmark = pytest.mark.e2e


def _keyboard_close_with_relief(page: Page) -> None:
    page.focus("#id_reason")
    page.select_option("#id_reason", "monetary_relief")
    tab_until(page, lambda f: f.get("id") == "id_monetary_relief")
    page.keyboard.type("1250.50")
    tab_until(page, lambda f: f.get("id") == "id_relief_paid_on")
    page.keyboard.type(clock.today().strftime("%m%d%Y"))
    tab_until(page, lambda f: f.get("id") == "id_internal_notes")
    page.keyboard.type("Servicer refunded the late fees.")
    tab_until(page, lambda f: f.get("tag") == "button" and f.get("text") == "Close complaint")
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_complaint_lifecycle(page: Page, base_url, supervisor_a, manager_a, company_x):
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)

    # Step A: find the subject by NMLS ID.
    page.goto(f"{base_url}/complaints/new/")
    expect(page.locator("h1")).to_have_text("Enter a complaint: choose the subject")
    assert_accessible(page)
    page.fill("#id_identifier", company_x.nmls_id)
    page.get_by_role("button", name="Find subject").click()
    expect(page.locator("main")).to_contain_text(company_x.legal_name)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Choose company")).click()

    # Step B: the intake form; the product narrows the lower lists through htmx.
    expect(page.locator("h1")).to_have_text("Enter a complaint: details")
    assert_accessible(page)
    page.select_option("#id_how_received", "phone")
    page.select_option("#id_business_type", "mortgage_servicing")
    page.select_option("#id_product", "Mortgage")
    expect(page.locator("#id_sub_product option", has_text="Conventional fixed mortgage")).to_have_count(1)
    page.select_option("#id_sub_product", "Conventional fixed mortgage")
    page.select_option("#id_issue", "Loan servicing, payments, escrow account")
    page.fill("#id_summary", "Payment applied late; a late fee was charged although the payment was on time.")
    page.fill("#id_amount_in_dispute", "75")
    page.fill("#id_complainant_first_name", "Pat")
    page.fill("#id_complainant_last_name", "Rivera")
    page.locator("label[for=id_restrict_complainant]").click()
    assert_accessible(page)
    page.get_by_role("button", name="Submit for preliminary review").click()
    expect(page.locator("h1")).to_contain_text("Complaint CMP-")
    complaint = Complaint.objects.get()
    assert complaint.status == Status.PENDING and complaint.amount_in_dispute_cents == 7500
    assert_accessible(page)

    # Preliminary review: pick the Agency POC (each candidate shows their workload).
    page.get_by_role("link", name="Complete preliminary review").click()
    assert_accessible(page)
    page.locator("label", has_text=re.compile(r"^Morgan Manager \(0 open complaints\)")).click()
    page.get_by_role("button", name="Submit review and open the complaint").click()
    expect(page.locator("main")).to_contain_text("Preliminary review of")
    complaint.refresh_from_db()
    assert complaint.status == Status.OPEN and complaint.agency_poc == manager_a
    assert_accessible(page)

    # Edit details.
    page.get_by_role("link", name="Edit details").click()
    assert_accessible(page)
    page.fill("#id_cfpb_id", "1291006")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("main")).to_contain_text("were saved")
    complaint.refresh_from_db()
    assert complaint.cfpb_id == "1291006"
    assert_accessible(page)

    # Close with monetary relief, by keyboard.
    page.goto(f"{base_url}/complaints/{complaint.ref}/")
    page.get_by_role("link", name="Close complaint").click()
    expect(page.locator("h1")).to_have_text("Close complaint")
    assert_accessible(page)
    _keyboard_close_with_relief(page)
    expect(page.locator("main")).to_contain_text(f"Complaint {complaint.ref} was closed.")
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert complaint.closures.get().monetary_relief_cents == 125050
    assert_accessible(page)

    # A research note after closure.
    page.get_by_role("link", name="Research & Communication").click()
    assert_accessible(page)
    page.get_by_role("link", name="Add an entry").click()
    assert_accessible(page)
    page.locator("label", has_text="Communication").click()
    page.select_option("#id_method", "phone")
    page.select_option("#id_party", "consumer")
    page.fill("#id_description", "Consumer confirmed the refund arrived.")
    page.get_by_role("button", name="Add entry").click()
    expect(page.locator("main")).to_contain_text("Consumer confirmed the refund arrived.")
    assert_accessible(page)

    # Reopen, then close again.
    page.get_by_role("link", name="Reopen complaint").click()
    assert_accessible(page)
    page.fill("#id_reason", "The consumer reports a second late fee.")
    page.get_by_role("button", name="Reopen complaint").click()
    expect(page.locator("main")).to_contain_text("was reopened")
    assert_accessible(page)
    page.get_by_role("link", name="Close complaint").click()
    page.select_option("#id_reason", "closed_with_explanation")
    page.get_by_role("button", name="Close complaint").click()
    expect(page.locator("main")).to_contain_text("was closed")
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.closures.count() == 2

    page.get_by_role("link", name="All Closures").click()
    expect(page.locator("main h3")).to_have_count(2)
    assert_accessible(page)
    page.get_by_role("link", name="History").click()
    expect(page.locator("main")).to_contain_text("complaint.reopened")
    assert_accessible(page)
    page.goto(f"{base_url}/complaints/?status=closed")
    expect(page.locator("main table")).to_contain_text(complaint.ref)
    assert_accessible(page)
