"""Related items and supervisory activities in a real browser: add and remove on the complaint's
Related items tab with the keyboard only, record an activity, link a complaint from its side,
and see the link from both sides (scenario 38). axe checks every page state."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from redress.complaints import related
from redress.complaints.models import ComplaintSupervisoryActivity, SupervisoryActivity
from redress.complaints.services import complaint_create
from redress.complaints.tests.conftest import intake_details
from tests.e2e.helpers import assert_accessible, login, tab_until

pytestmark = pytest.mark.e2e


def _complaint(actor, company):
    return complaint_create(
        actor=actor, subject_type="company", subject_id=company.pk, details=intake_details(), submit_for_review=False
    )


def _press(page: Page, text: str, *, tag: str = "") -> None:
    """Tab to the control whose text starts with ``text`` and press Enter on it."""
    tab_until(
        page,
        lambda f: (
            f.get("inMain")
            and " ".join((f.get("text") or "").split()).startswith(text)
            and (not tag or f.get("tag") == tag)
        ),
        limit=120,
    )
    page.keyboard.press("Enter")


def test_add_and_remove_related_items_with_the_keyboard(page: Page, base_url, supervisor_a, company_x):
    complaint = _complaint(supervisor_a, company_x)
    activity = related.supervisory_activity_create(
        actor=supervisor_a, activity_type="examination", company=company_x, name="Servicing exam"
    )
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)
    page.goto(f"{base_url}/complaints/{complaint.ref}/")
    page.get_by_role("navigation", name="Complaint record sections").get_by_role("link", name="Related items").click()
    expect(page.locator("h2").first).to_have_text("Related items")
    expect(page.locator("main")).to_contain_text("No related supervisory activities.")
    assert_accessible(page)

    # Open the disclosure and submit an unknown ID first: the error shows on the field.
    page.locator("main").focus()
    _press(page, "Add a related supervisory activity", tag="summary")
    expect(page.get_by_label("Supervisory activity ID")).to_be_visible()
    tab_until(page, lambda f: f.get("id") == "id_supervisory_activity-activity_ref")
    page.keyboard.type("SA-999999")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".usa-alert--error")).to_contain_text("No supervisory activity SA-999999 in your agency.")
    expect(page.get_by_label("Supervisory activity ID")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    page.get_by_label("Supervisory activity ID").fill("")
    page.get_by_label("Supervisory activity ID").focus()
    page.keyboard.type(activity.ref)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text(f"The related supervisory activity was added to {complaint.ref}.")
    table = page.get_by_role("table", name=f"Examinations and investigations linked to {complaint.ref}")
    expect(table.get_by_role("link", name=activity.ref)).to_be_visible()
    assert_accessible(page)

    # An agent location too, so that removing one row leaves the others in place.
    page.locator("main").focus()
    _press(page, "Add an agent location", tag="summary")
    tab_until(page, lambda f: f.get("id") == "id_agent_location-agent_name")
    page.keyboard.type("Corner Store Agent")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("table", name=f"Agent locations of {complaint.ref}")).to_contain_text("Corner Store Agent")

    # Remove the activity: the row's button asks first, on a page that passes axe.
    page.locator("main").focus()
    _press(page, f"Remove {activity.ref}", tag="button")
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text(f"Remove the supervisory activity {activity.ref}?")
    assert_accessible(page)
    page.locator("main").focus()
    _press(page, "Yes, remove", tag="button")
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text(f"is no longer related to {complaint.ref}")
    expect(page.locator("main")).to_contain_text("No related supervisory activities.")
    expect(page.get_by_role("table", name=f"Agent locations of {complaint.ref}")).to_be_visible()
    assert not ComplaintSupervisoryActivity.objects.exists()
    assert_accessible(page)


def test_viewer_sees_the_related_tab_read_only(page: Page, base_url, supervisor_a, viewer_a, company_x):
    complaint = _complaint(supervisor_a, company_x)
    related.agent_location_add(actor=supervisor_a, ref=complaint.ref, agent_name="Main St Agent")
    login(page, base_url, viewer_a, viewer_a.totp_secret)
    page.goto(f"{base_url}/complaints/{complaint.ref}/related/")
    expect(page.get_by_role("table", name=f"Agent locations of {complaint.ref}")).to_contain_text("Main St Agent")
    expect(page.get_by_role("button", name="Remove Main St Agent")).to_have_count(0)
    expect(page.locator("main details")).to_have_count(0)
    assert_accessible(page)


def test_supervisory_activity_pages_and_scenario_38(page: Page, base_url, supervisor_a, company_x):
    complaint = _complaint(supervisor_a, company_x)
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Companies").click()
    page.get_by_role("link", name="Supervisory activities").click()
    expect(page.locator("h1")).to_have_text("Supervisory activities")
    expect(page.locator("main")).to_contain_text("No supervisory activities have been recorded")
    assert_accessible(page)

    page.get_by_role("link", name="Record a supervisory activity").click()
    expect(page.locator("h1")).to_have_text("Record a supervisory activity")
    assert_accessible(page)
    page.get_by_role("button", name="Record activity").click()
    expect(page.locator(".usa-alert--error")).to_contain_text("Choose the type.")
    assert_accessible(page)
    page.locator("label", has_text="Examination").click()
    page.get_by_label("Name").fill("2026 servicing exam")
    page.get_by_label("Company NMLS ID").fill(company_x.nmls_id)
    page.get_by_role("button", name="Record activity").click()
    activity = SupervisoryActivity.objects.get()
    expect(page.locator("h1")).to_have_text(f"Supervisory activity {activity.ref}")
    expect(page.locator("main")).to_contain_text("No complaints are linked to this activity.")
    assert_accessible(page)

    # Link the complaint from the activity's side.
    page.get_by_label("Complaint ID").fill(complaint.ref)
    page.get_by_role("button", name="Link complaint").click()
    linked = page.get_by_role("table", name=f"Complaints linked to {activity.ref}")
    expect(linked.get_by_role("link", name=complaint.ref)).to_be_visible()
    assert_accessible(page)

    # The schedule view counts it for the company ...
    page.get_by_role("link", name="Supervisory activities").first.click()
    counts = page.get_by_role("table", name="Supervisory activities and linked complaints per company")
    expect(counts.get_by_role("row", name=company_x.legal_name)).to_contain_text("1")
    assert_accessible(page)
    # ... and the complaint lists the activity among its related items.
    page.goto(f"{base_url}/complaints/{complaint.ref}/related/")
    expect(page.get_by_role("link", name=activity.ref)).to_be_visible()
