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


def test_admin_adds_a_user_with_no_complaints_role_who_then_sees_no_complaints(
    page, base_url, agency_admin_a, agency_a, make_user
):
    """Scenario 37 from the agency's user form: "No complaints role (supervisory activities only)"."""
    examiner = make_user(full_name="Eve Examiner")
    login(page, base_url, agency_admin_a, agency_admin_a.totp_secret)
    page.goto(f"{base_url}/agencies/{agency_a.pk}/")
    page.get_by_label("Email address").fill(examiner.email)
    page.get_by_label("Full name").fill("Eve Examiner")
    page.get_by_label("Job title").fill("Examiner")
    # No choice first: the role is still required, and the error is announced and marked.
    page.get_by_role("button", name="Add user").click()
    page.wait_for_load_state()
    expect(page.locator(".usa-alert--error")).to_contain_text("Choose a complaints role, or no complaints role.")
    assert not AgencyMembership.objects.filter(user=examiner).exists()
    assert_accessible(page)

    page.locator("label", has_text="No complaints role (supervisory activities only)").click()
    page.get_by_role("button", name="Add user").click()
    page.wait_for_load_state()
    membership = AgencyMembership.objects.get(user=examiner)
    assert (membership.agency_id, membership.complaints_role, membership.title) == (agency_a.pk, "", "Examiner")
    row = page.locator("main table tr", has_text="Eve Examiner")
    expect(row).to_contain_text("No complaints role (supervisory activities only)")
    assert_accessible(page)

    # The edit page shows the choice, and it can be changed back and forth.
    row.get_by_role("link", name="Edit").click()
    expect(page.locator("h1")).to_have_text("Edit Eve Examiner")
    expect(page.get_by_label("No complaints role (supervisory activities only)")).to_be_checked()
    assert_accessible(page)
    page.locator("label", has_text="Complaint Viewer").click()
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_load_state()
    membership.refresh_from_db()
    assert membership.complaints_role == "viewer"
    page.goto(f"{base_url}/agencies/{agency_a.pk}/users/{examiner.pk}/")
    page.locator("label", has_text="No complaints role (supervisory activities only)").click()
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_load_state()
    membership.refresh_from_db()
    assert membership.complaints_role == ""

    # Signed in, the examiner finds no Complaints module at all.
    page.context.clear_cookies()
    login(page, base_url, examiner, examiner.totp_secret)
    nav = page.get_by_role("navigation", name="Primary navigation")
    expect(nav.get_by_role("link", name="Companies")).to_be_visible()
    expect(nav.get_by_role("link", name="Complaints")).to_have_count(0)
    expect(nav.get_by_role("link", name="Reports")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("no complaints role")
    assert_accessible(page)
    for url in ("/complaints/", "/complaints/new/", "/all-complaints/", "/reports/ir-response-activity/"):
        response = page.goto(f"{base_url}{url}")
        assert response is not None and response.status == 404, url
    page.goto(f"{base_url}/")
    page.get_by_role("link", name="Supervisory activities").click()
    expect(page.locator("h1")).to_have_text("Supervisory activities")
    assert_accessible(page)


def test_demoting_the_agency_poc_of_open_complaints_is_refused_with_the_reason(
    page, base_url, agency_admin_a, agency_a, manager_a, company_x
):
    from redress.complaints.services import complaint_create
    from redress.complaints.tests.conftest import intake_details

    complaint_create(
        actor=manager_a,
        subject_type="company",
        subject_id=company_x.pk,
        details=intake_details(),
        submit_for_review=False,
    )
    login(page, base_url, agency_admin_a, agency_admin_a.totp_secret)
    page.goto(f"{base_url}/agencies/{agency_a.pk}/users/{manager_a.pk}/")
    expect(page.locator("#open-as-poc")).to_contain_text("is the Agency POC of 1 open complaint.")
    assert_accessible(page)
    page.locator("label", has_text="Complaint Viewer").click()
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".usa-alert--error")).to_contain_text("Assign it to another Complaint Supervisor or Manager")
    assert_accessible(page)
    assert AgencyMembership.objects.get(user=manager_a).complaints_role == "manager"
    page.get_by_role("link", name="See it on the Complaints list").click()
    expect(page.locator("h1")).to_have_text("Complaints")
    expect(page.locator("main table")).to_contain_text(manager_a.full_name)
