"""Agency administration: the system administrator adds an agency and its first user."""

import re

import pytest
from playwright.sync_api import expect

from redress.agencies.models import Agency, AgencyMembership
from tests.e2e.helpers import assert_accessible, assert_keyboard_navigable, login

pytestmark = pytest.mark.e2e


def test_sysadmin_creates_agency_and_user(page, base_url, sysadmin, agency_a):
    login(page, base_url, sysadmin, sysadmin.totp_secret)
    page.goto(f"{base_url}/agencies/")
    expect(page.locator("h1")).to_have_text("Agencies")
    expect(page.locator("table")).to_contain_text(agency_a.name)
    assert_accessible(page)
    assert_keyboard_navigable(page, main_target=agency_a.name)

    # An invalid agency first: the error summary and field errors, and nothing is created.
    page.get_by_label("Agency code").fill("bad code!")
    page.get_by_role("button", name="Add agency").click()
    expect(page.locator(".usa-alert--error")).to_be_visible()
    assert Agency.objects.count() == 1
    assert_accessible(page)

    page.get_by_label("Agency name").fill("Oregon Division of Financial Regulation")
    page.get_by_label("Agency code").fill("OR-DFR")
    page.get_by_label("State").fill("OR")
    page.get_by_label("Contact email").fill("complaints@or-dfr.example")
    page.get_by_role("button", name="Add agency").click()
    page.wait_for_load_state()
    agency = Agency.objects.get(code="OR-DFR")
    assert agency.name == "Oregon Division of Financial Regulation"
    if not re.search(rf"/agencies/{agency.pk}/$", page.url):
        page.goto(f"{base_url}/agencies/{agency.pk}/")
    expect(page.locator("h1")).to_have_text(agency.name)
    assert_accessible(page)

    page.get_by_label("Email address").fill("first.admin@or-dfr.example")
    page.get_by_label("Full name").fill("Olive Oregon")
    # USWDS draws its own radios and checkboxes; people click the label, so does the test.
    page.locator("label", has_text="Complaint Supervisor").click()
    page.locator("label", has_text="Account administrator").click()
    page.get_by_role("button", name="Add user").click()
    page.wait_for_load_state()
    membership = AgencyMembership.objects.get(user__email="first.admin@or-dfr.example")
    assert membership.agency_id == agency.pk
    assert membership.complaints_role == "supervisor" and membership.is_account_admin
    expect(page.locator("main table")).to_contain_text("Olive Oregon")
    assert_accessible(page)


def test_agency_admin_sees_own_agency_only(page, base_url, agency_admin_a, agency_b):
    login(page, base_url, agency_admin_a, agency_admin_a.totp_secret)
    page.get_by_role("link", name="Agency users").click()
    expect(page.locator("h1")).to_have_text(agency_admin_a.agency_membership.agency.name)
    assert_accessible(page)
    response = page.goto(f"{base_url}/agencies/{agency_b.pk}/")
    assert response is not None and response.status == 404
