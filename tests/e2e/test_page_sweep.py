"""Every page each kind of user can open: it loads, has one <h1>, and axe finds nothing.

The focused tests next to this one drive each page's interactions; this sweep makes sure no
page template (including ones reached only through a redirect) escapes the accessibility check.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import axe_violations, describe_violations, login

pytestmark = pytest.mark.e2e

COMMON = ["/", "/account/", "/notifications/", "/accounts/2fa/", "/accounts/password/change/", "/accounts/logout/"]

PAGES = {
    "sysadmin": [
        *COMMON,
        "/agencies/",
        "/agencies/{agency_a.pk}/",
        "/agencies/{agency_a.pk}/categories/",
        "/agencies/{agency_a.pk}/users/{supervisor_a.pk}/",
        "/companies/",
        "/companies/new/",
        "/companies/import/",
        "/companies/{company_x.pk}/",
        "/companies/{company_x.pk}/edit/",
        "/companies/{company_x.pk}/users/{company_user_x.pk}/",
        "/history/companies.company/{company_x.pk}/",
    ],
    "supervisor_a": [
        *COMMON,
        "/companies/",
        "/companies/{company_x.pk}/",
        "/companies/{company_x.pk}/edit/",
        "/companies/{company_x.pk}/enrollment/",
        "/enrollments/",
        "/complaints/",
        "/complaints/new/",
        "/complaints/new/non-nmls/",
        "/documents/",
        "/communications/",
        "/communications/templates/new/",
        "/communications/sends/",
        "/reports/ir-response-activity/",
        "/reports/complaints/",
        "/all-complaints/",
        "/shared-complaints/",
        "/reports/access-requests/",
        "/reports/access-requests/?view=history",
        "/reports/referrals/",
        "/supervisory-activities/",
        "/supervisory-activities/new/",
        "/non-nmls-entities/",
        "/history/companies.company/{company_x.pk}/",
    ],
    "agency_admin_a": [
        *COMMON,
        "/agencies/{agency_a.pk}/",
        "/agencies/{agency_a.pk}/users/{supervisor_a.pk}/",
        "/agencies/{agency_a.pk}/categories/",
    ],
    "viewer_a": [
        *COMMON,
        "/companies/",
        "/complaints/",
        "/supervisory-activities/",
        "/all-complaints/",
        "/non-nmls-entities/",
    ],
    "company_admin_x": [
        *COMMON,
        "/companies/{company_x.pk}/",
        "/companies/{company_x.pk}/edit/",
        "/companies/{company_x.pk}/users/{company_user_x.pk}/",
        "/enrollment/",
        "/company/complaints/",
    ],
    "company_viewer_x": [*COMMON, "/companies/{company_x.pk}/"],
}


@pytest.mark.parametrize("role", list(PAGES))
def test_every_page_is_accessible(page, base_url, request, role):
    objects = {
        name: request.getfixturevalue(name)
        for name in ("agency_a", "supervisor_a", "company_x", "company_user_x", "company_admin_x")
    }
    user = request.getfixturevalue(role)
    login(page, base_url, user, user.totp_secret)
    problems = []
    for template in PAGES[role]:
        path = template.format(**objects)
        response = page.goto(f"{base_url}{path}")
        status = response.status if response is not None else None
        if status != 200:
            problems.append(f"{path}: HTTP {status} (ended at {page.url})")
            continue
        headings = page.locator("h1").count()
        if headings != 1:
            problems.append(f"{path}: {headings} <h1> elements")
        violations = axe_violations(page)
        if violations:
            problems.append(f"{path} (ended at {page.url}):\n{describe_violations(violations)}")
    assert not problems, f"{role}:\n" + "\n".join(problems)
    expect(page.locator("body")).to_be_visible()
