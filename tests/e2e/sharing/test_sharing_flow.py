"""Sharing between agencies in a real browser, axe on every page: a Manager of B requests access,
a Supervisor of A accepts it from her home page, and B opens the record without the restricted
complainant details; then A refers a complaint to B and B accepts it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from redress.complaints.constants import AccessStatus, Status
from redress.complaints.models import AccessGrant, Complaint
from tests.e2e.helpers import assert_accessible, login

pytestmark = pytest.mark.e2e


def _switch(page: Page, base_url: str, user) -> None:
    page.context.clear_cookies()
    login(page, base_url, user, user.totp_secret)


def test_request_access_accept_from_home_and_open_the_record(page: Page, base_url, make_complaint, alice, mark, bill):
    complaint = make_complaint(mark, restrict_complainant=True, complainant_last_name="Zyskowski")

    login(page, base_url, bill, bill.totp_secret)
    page.goto(f"{base_url}/all-complaints/")
    expect(page.locator("h1")).to_have_text("All Complaints")
    assert_accessible(page)
    page.get_by_role("link", name=complaint.ref).click()
    expect(page.locator("h1")).to_have_text(f"Complaint {complaint.ref}")
    expect(page.locator("main")).not_to_contain_text("Zyskowski")
    assert_accessible(page)
    page.fill("#id_comment", "We have a complaint about the same loan.")
    page.get_by_role("button", name="Request access").click()
    expect(page.locator("main")).to_contain_text("waiting for a Supervisor of the owning agency")
    assert_accessible(page)

    _switch(page, base_url, alice)
    widget = page.locator("section", has=page.get_by_role("heading", name="Access requests"))
    expect(widget).to_contain_text(complaint.ref)
    assert_accessible(page)
    widget.get_by_role("link", name=re.compile(r"^Accept")).click()
    expect(page.locator("h1")).to_have_text("Accept the access request")
    assert_accessible(page)
    page.fill("#id_comment", "Granted for your review.")
    page.get_by_role("button", name="Accept the access request").click()
    expect(page.locator("h2#access-heading")).to_have_text("View Access")
    expect(page.locator("main")).to_contain_text("Granted")
    assert_accessible(page)
    assert AccessGrant.objects.get().status == AccessStatus.GRANTED

    _switch(page, base_url, bill)
    page.goto(f"{base_url}/shared-complaints/")
    assert_accessible(page)
    page.get_by_role("link", name=complaint.ref).click()
    expect(page.locator("#access-panel")).to_contain_text("granted your agency read-only access")
    expect(page.locator("main")).not_to_contain_text("Zyskowski")
    expect(page.get_by_role("link", name="Cancel complaint")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Details", exact=True).click()
    expect(page.locator("main")).to_contain_text("restricted to the owning agency")
    assert_accessible(page)


def test_refer_then_the_receiving_agency_accepts(page: Page, base_url, make_complaint, mark, bill, agency_b):
    complaint = make_complaint(mark, restrict_complainant=True, complainant_last_name="Zyskowski")

    login(page, base_url, mark, mark.totp_secret)
    page.goto(f"{base_url}/complaints/{complaint.ref}/")
    page.get_by_role("link", name="Refer to another agency").click()
    expect(page.locator("h1")).to_have_text("Refer to another agency")
    assert_accessible(page)
    page.select_option("#id_to_agency", str(agency_b.pk))
    page.fill("#id_comment", "The consumer lives in Texas.")
    page.get_by_role("button", name="Refer the complaint").click()
    expect(page.locator("#referral-panel")).to_contain_text(f"Referred to {agency_b.name}")
    assert_accessible(page)

    _switch(page, base_url, bill)
    widget = page.locator("section", has=page.get_by_role("heading", name="Referrals to your agency"))
    expect(widget).to_contain_text(complaint.ref)
    assert_accessible(page)
    widget.get_by_role("link", name=re.compile(r"^Open")).click()
    expect(page.locator("#referral-panel")).to_contain_text("Referred to your agency")
    expect(page.locator("main")).not_to_contain_text("Zyskowski")
    assert_accessible(page)
    page.get_by_role("link", name="Accept the referral").click()
    expect(page.locator("h1")).to_have_text("Accept the referral")
    assert_accessible(page)
    page.get_by_role("button", name="Accept the referral").click()
    expect(page.locator("main")).to_contain_text("Referred from")
    assert_accessible(page)
    page.get_by_role("link", name="Details", exact=True).click()
    expect(page.locator("main")).to_contain_text("Zyskowski")
    complaint.refresh_from_db()
    assert complaint.agency == agency_b and complaint.status == Status.OPEN and complaint.agency_poc == bill

    page.goto(f"{base_url}/reports/referrals/?view=decisions")
    expect(page.locator("main")).to_contain_text(complaint.ref)
    assert_accessible(page)
    assert Complaint.objects.filter(agency=agency_b).count() == 1
