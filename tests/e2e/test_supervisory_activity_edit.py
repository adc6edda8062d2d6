"""Changing a supervisory activity's details in a real browser: from the record's "Edit details",
an unknown company first (the error is announced and marked on the field), then a valid change
that the record shows. axe checks every page state."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from redress.audit.models import AuditEvent
from redress.complaints import related
from redress.complaints.models import SupervisoryActivity
from tests.e2e.helpers import assert_accessible, assert_keyboard_navigable, login

pytestmark = pytest.mark.e2e


def test_edit_an_activity_with_an_error_first(page: Page, base_url, manager_a, company_x, company_y):
    activity = related.supervisory_activity_create(
        actor=manager_a, activity_type="examination", company=company_x, name="2026 servicing exam"
    )
    login(page, base_url, manager_a, manager_a.totp_secret)
    page.goto(f"{base_url}/supervisory-activities/{activity.ref}/")
    page.get_by_role("link", name="Edit details").click()
    expect(page.locator("h1")).to_have_text(f"Edit supervisory activity {activity.ref}")
    expect(page.get_by_label("Name")).to_have_value("2026 servicing exam")
    expect(page.get_by_label("Company NMLS ID")).to_have_value(company_x.nmls_id)
    assert_accessible(page)
    assert_keyboard_navigable(page, main_target="Supervisory activities")

    # An NMLS ID the registry does not know: refused, the input kept, nothing saved.
    page.get_by_label("Name").fill("Servicing investigation")
    page.get_by_label("Company NMLS ID").fill("424242")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_load_state()
    expect(page.locator(".usa-alert--error")).to_contain_text("No company with that ID is in the registry.")
    expect(page.get_by_label("Company NMLS ID")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Name")).to_have_value("Servicing investigation")
    assert SupervisoryActivity.objects.get(pk=activity.pk).version == 1
    assert_accessible(page)

    # Corrected: another type, status and company.
    page.get_by_label("Company NMLS ID").fill(company_y.nmls_id)
    page.locator("label", has_text="Investigation").click()
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text(f"Supervisory activity {activity.ref}")
    main = page.locator("main")
    expect(main).to_contain_text(f"Changes to supervisory activity {activity.ref} were saved.")
    expect(main).to_contain_text("Servicing investigation")
    expect(main).to_contain_text(company_y.legal_name)
    expect(main).to_contain_text("In progress")
    assert_accessible(page)
    activity.refresh_from_db()
    assert (activity.activity_type, activity.status, activity.company_id, activity.version) == (
        "investigation",
        "in_progress",
        company_y.pk,
        2,
    )
    assert AuditEvent.objects.filter(action="supervisory_activity.updated").count() == 1
