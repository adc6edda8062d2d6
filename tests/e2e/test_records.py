"""Records pages in a real browser: legal holds, the disposition report and the record downloads, with
axe on each."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from redress.core import clock
from redress.records.disposition import disposition_run
from redress.records.models import LegalHold
from redress.records.schedule import add_years
from redress.records.tests.conftest import closed_complaint  # noqa: F401  (fixture)
from tests.e2e.helpers import assert_accessible, login, tab_until

pytestmark = pytest.mark.e2e


def test_place_and_lift_a_hold(page, base_url, supervisor_a, closed_complaint):  # noqa: F811
    complaint = closed_complaint(supervisor_a)
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)
    page.get_by_role("link", name="Records").first.click()
    expect(page.locator("h1")).to_have_text("Legal holds")
    expect(page.locator("main")).to_contain_text("No active holds")
    assert_accessible(page)

    page.get_by_role("button", name="Place hold").click()
    expect(page.locator(".usa-alert--error")).to_be_visible()
    assert_accessible(page)

    page.locator("label", has_text="One complaint").click()
    page.get_by_label("Complaint ID").fill(complaint.ref)
    page.locator("#id_reason").fill("Litigation notice received")
    page.get_by_role("button", name="Place hold").click()
    expect(page.locator("main")).to_contain_text(f"Legal hold placed on {complaint.ref}")
    expect(page.get_by_role("table", name="Active legal holds")).to_contain_text("Litigation notice received")
    assert_accessible(page)
    assert LegalHold.objects.get().complaint == complaint

    page.get_by_label(f"Reason for lifting the hold on {complaint.ref}").fill("Case settled")
    page.get_by_role("button", name="Lift hold").click()
    expect(page.locator("main")).to_contain_text(f"Legal hold on {complaint.ref} lifted")
    expect(page.get_by_role("table", name="Holds lifted earlier")).to_contain_text("Case settled")
    assert_accessible(page)


def test_disposition_report_and_certificate(page, base_url, supervisor_a, closed_complaint):  # noqa: F811
    disposed = closed_complaint(supervisor_a, tag="old")
    soon = add_years(clock.today(), -supervisor_a.agency_membership.agency.document_retention_years)
    upcoming = closed_complaint(
        supervisor_a, tag="soon", when=dt.datetime.combine(soon + dt.timedelta(days=30), dt.time(12), tzinfo=dt.UTC)
    )
    run_id = disposition_run(as_of=dt.date(2026, 3, 10), dry_run=False).run_id

    login(page, base_url, supervisor_a, supervisor_a.totp_secret)
    page.goto(f"{base_url}/records/disposition/")
    expect(page.locator("h1")).to_have_text("Disposition report")
    expect(page.get_by_role("table", name="Disposition runs that destroyed documents of your agency")).to_contain_text(
        f"Certificate {run_id}"
    )
    expect(page.locator("main")).to_contain_text(upcoming.ref)
    assert_accessible(page)

    page.get_by_role("link", name=f"Certificate {run_id}").click()
    expect(page.locator("h1")).to_have_text(f"Disposition certificate {run_id}")
    table = page.get_by_role("table", name="Documents destroyed in this run")
    expect(table).to_contain_text(disposed.ref)
    expect(table).to_contain_text("closure-old.txt")
    assert_accessible(page)


def test_record_pdf_download_is_reachable_by_keyboard(page, base_url, supervisor_a, closed_complaint):  # noqa: F811
    complaint = closed_complaint(supervisor_a)
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)
    page.goto(f"{base_url}/complaints/{complaint.ref}/")
    link = page.get_by_role("link", name="Download the record (PDF)")
    expect(link).to_have_attribute("href", f"/records/export/{complaint.ref}.pdf")
    expect(page.get_by_role("link", name="Download the record (ZIP)")).to_be_visible()
    assert_accessible(page)

    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    tab_until(page, lambda f: (f.get("href") or "").endswith(f"{complaint.ref}.pdf"), limit=120)
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    assert download.suggested_filename == f"{complaint.ref}-record.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
