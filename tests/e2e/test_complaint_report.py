"""Complaints Reports in a real browser: reached from the Reports navigation, the tables and chart,
a bad date range answered with a field error, counting closures by date closed, and the CSV
download. Every state of the page passes axe."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from redress.complaints.tests.report_scenario import build, days_ago
from tests.e2e.helpers import assert_accessible, assert_keyboard_navigable, login

pytestmark = pytest.mark.e2e


def test_complaints_report_page(page: Page, base_url, supervisor_a, supervisor_b, company_x, company_y, agency_a):
    build(
        supervisor=supervisor_a,
        other_supervisor=supervisor_b,
        company_x=company_x,
        company_y=company_y,
        agency=agency_a,
    )
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)

    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("navigation", name="Reports").get_by_role("link", name="Complaints Reports").click()
    expect(page.locator("h1")).to_have_text("Complaints Reports")
    # The default range (365 days) reaches the complaint received 60 days ago.
    expect(page.locator("#count-total")).to_have_text("6")
    status = page.locator("#table-status")
    expect(status.locator("caption")).to_contain_text("by their status now")
    expect(status.get_by_role("rowheader", name="Open", exact=True)).to_be_visible()
    expect(status.locator("tfoot")).to_contain_text("6")
    expect(page.get_by_role("img", name="Bar chart of complaints by status")).to_be_visible()
    expect(page.locator("#relief-total")).to_have_text("$123.45")
    assert_accessible(page)
    assert_keyboard_navigable(page, main_target="Show report")

    # A start date after the end date: a field error, linked from the error summary, no figures.
    page.fill("#id_date_from", days_ago(1).isoformat())
    page.fill("#id_date_to", days_ago(5).isoformat())
    page.get_by_role("button", name="Show report").click()
    expect(page.locator("#id_date_to-error")).to_contain_text("on or after the start date")
    expect(page.locator("#id_date_to")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#count-total")).to_have_count(0)
    assert_accessible(page)

    # Count closures by date closed over the last 30 days.
    page.fill("#id_date_from", days_ago(30).isoformat())
    page.fill("#id_date_to", days_ago(0).isoformat())
    # USWDS draws its own radios; people click the label, so does the test.
    page.locator("label", has_text="Date closed: complaints whose latest closure falls in the range").click()
    expect(page.locator("#id_closures_by_1")).to_be_checked()
    page.get_by_role("button", name="Show report").click()
    expect(page.locator("#count-total")).to_have_text("5")
    expect(page.locator("#count-closed")).to_have_text("3")
    expect(page.locator("#counting-basis")).to_contain_text("whose latest closure was between")
    expect(page.locator("#table-closure_reason").get_by_role("row", name="Invalid", exact=False)).to_contain_text("1")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename == f"complaints-report-{days_ago(30)}-{days_ago(0)}.csv"
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert ["Total closed", "3", "100.0"] in rows and ["Canceled complaints", "Left out"] in rows
