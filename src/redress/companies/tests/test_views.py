from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from redress.accounts.models import User
from redress.companies import services
from redress.companies.models import Branch, Company, CompanyMembership, NotificationAddress, Supervision

from .helpers import db_state

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "companies_sample.csv"


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def test_list_for_agency_user_with_search(login, supervisor_a, company_x, company_y):
    client = login(supervisor_a)
    response = client.get(reverse("web:company_list"))
    assert response.status_code == 200
    assert company_x.legal_name in response.text and company_y.legal_name in response.text
    assert reverse("web:company_create") in response.text
    response = client.get(reverse("web:company_list"), {"q": "ocwen"})
    assert company_x.legal_name in response.text and company_y.legal_name not in response.text


def test_list_pages_with_cursor(login, sysadmin):
    for i in range(30):
        services.company_create(actor=None, legal_name=f"Lender {i:02d}")
    client = login(sysadmin)
    first = client.get(reverse("web:company_list"))
    assert "Lender 24" in first.text and "Lender 25" not in first.text
    next_url = first.context["next_url"]
    second = client.get(reverse("web:company_list") + next_url)
    assert "Lender 25" in second.text and "Lender 00" not in second.text
    assert client.get(reverse("web:company_list"), {"cursor": "junk"}).status_code == 200


def test_list_redirects_company_user_and_hides_from_others(login, company_user_x, company_x, make_user):
    response = login(company_user_x).get(reverse("web:company_list"))
    assert response.status_code == 302 and response.url == reverse("web:company_detail", args=[company_x.pk])
    assert login(make_user()).get(reverse("web:company_list")).status_code == 404


def test_detail_scope(login, company_user_x, company_x, company_y, viewer_a):
    client = login(company_user_x)
    assert client.get(reverse("web:company_detail", args=[company_x.pk])).status_code == 200
    assert client.get(reverse("web:company_detail", args=[company_y.pk])).status_code == 404
    response = login(viewer_a).get(reverse("web:company_detail", args=[company_y.pk]))
    assert response.status_code == 200 and "Edit profile" not in response.text


def test_create_page(login, manager_a, viewer_a):
    client = login(manager_a)
    assert client.get(reverse("web:company_create")).status_code == 200
    response = client.post(
        reverse("web:company_create"),
        {"company-legal_name": "Fairway Lending LLC", "company-nmls_id": "4242", "company-business_types": ["debt"]},
    )
    company = Company.objects.get(nmls_id="4242")
    assert response.status_code == 302 and company.business_types == ["debt"]
    response = client.post(reverse("web:company_create"), {"company-legal_name": "Dup", "company-nmls_id": "4242"})
    assert response.status_code == 422 and "already belongs" in response.text
    assert login(viewer_a).get(reverse("web:company_create")).status_code == 404


def test_edit_page_with_version(login, company_admin_x, company_admin_y, company_x):
    client = login(company_admin_x)
    url = reverse("web:company_edit", args=[company_x.pk])
    page = client.get(url)
    assert page.status_code == 200 and "company-legal_name" not in page.text  # contact fields only
    response = client.post(url, {"company-phone": "410-555-0100", "company-version": "1"})
    assert response.status_code == 302
    company_x.refresh_from_db()
    assert company_x.phone == "410-555-0100" and company_x.version == 2
    stale = client.post(url, {"company-phone": "410-555-0111", "company-version": "1"})
    assert stale.status_code == 422 and "changed since you loaded it" in stale.text
    assert login(company_admin_y).get(url).status_code == 404


def test_import_page(login, supervisor_a, agency_a, viewer_a):
    client = login(supervisor_a)
    assert client.get(reverse("web:company_import")).status_code == 200
    bad = b"nmls_id,legal_name,state\n1,Good,MD\nx,Bad,MD\n2,Also bad,ZZ\n"
    response = client.post(reverse("web:company_import"), {"file": SimpleUploadedFile("c.csv", bad, "text/csv")})
    assert response.status_code == 422
    assert [(e.row, e.column) for e in response.context["row_errors"]] == [(3, "nmls_id"), (4, "state")]
    assert not Company.objects.exists()
    upload = SimpleUploadedFile("c.csv", SAMPLE.read_bytes(), "text/csv")
    response = client.post(reverse("web:company_import"), {"file": upload})
    assert response.status_code == 302 and Company.objects.count() == 50
    assert Supervision.objects.filter(agency=agency_a).exists()
    assert login(viewer_a).get(reverse("web:company_import")).status_code == 404


def test_company_admin_adds_user_and_sets_contact(login, company_admin_x, company_x):
    client = login(company_admin_x)
    url = reverse("web:company_user_add", args=[company_x.pk])
    response = client.post(
        url, {"newuser-email": "pat@ocwen.example", "newuser-full_name": "Pat", "newuser-complaints_access": "manage"}
    )
    assert response.status_code == 302
    pat = User.objects.get(email="pat@ocwen.example")
    response = client.post(
        reverse("web:company_contact_set", args=[company_x.pk]), {"contact-user": pat.pk, "contact-version": "1"}
    )
    assert response.status_code == 302
    company_x.refresh_from_db()
    assert company_x.complaints_contact == pat
    dup = client.post(
        url, {"newuser-email": "pat@ocwen.example", "newuser-full_name": "P", "newuser-complaints_access": "none"}
    )
    assert dup.status_code == 422 and "already has an account" in dup.text


def test_user_pages_refused_to_non_admins(login, company_user_x, supervisor_a, company_admin_x, company_x):
    url = reverse("web:company_user_add", args=[company_x.pk])
    data = {"newuser-email": "z@ocwen.example", "newuser-full_name": "Z", "newuser-complaints_access": "none"}
    before = db_state()
    for user in (company_user_x, supervisor_a):
        assert login(user).post(url, data).status_code == 404
        edit = reverse("web:company_user_edit", args=[company_x.pk, company_admin_x.pk])
        assert login(user).get(edit).status_code == 404
    assert db_state() == before


def test_user_edit_page(login, company_admin_x, company_viewer_x, company_x):
    client = login(company_admin_x)
    url = reverse("web:company_user_edit", args=[company_x.pk, company_viewer_x.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"member-complaints_access": "manage", "member-version": "1", "action": "save"})
    assert response.status_code == 302
    assert CompanyMembership.objects.get(user=company_viewer_x).complaints_access == "manage"
    response = client.post(url, {"action": "deactivate"})
    assert response.status_code == 302 and not User.objects.get(pk=company_viewer_x.pk).is_active
    own = reverse("web:company_user_edit", args=[company_x.pk, company_admin_x.pk])
    last = client.post(own, {"member-complaints_access": "manage", "member-version": "1", "action": "save"})
    assert last.status_code == 422 and "at least one account administrator" in last.text


def test_supervise_branch_licence_and_addresses(login, supervisor_a, agency_a, company_x, company_admin_x, viewer_a):
    client = login(supervisor_a)
    assert client.post(reverse("web:company_supervise", args=[company_x.pk]), {"action": "mark"}).status_code == 302
    assert Supervision.objects.filter(agency=agency_a, company=company_x).exists()
    detail = client.get(reverse("web:company_detail", args=[company_x.pk]))
    assert "Stop supervising" in detail.text
    client.post(reverse("web:company_branch_add", args=[company_x.pk]), {"branch-name": "Main", "branch-nmls_id": "5"})
    branch = Branch.objects.get(company=company_x)
    client.post(reverse("web:company_license_add", args=[company_x.pk]), {"license-license_number": "ML-9"})
    assert "ML-9" in client.get(reverse("web:company_detail", args=[company_x.pk])).text
    remove = reverse("web:company_part_remove", args=[company_x.pk, "branch", branch.pk])
    assert login(viewer_a).post(remove).status_code == 404 and Branch.objects.exists()
    assert login(supervisor_a).post(remove).status_code == 302 and not Branch.objects.exists()
    admin = login(company_admin_x)
    admin.post(reverse("web:company_address_add", args=[company_x.pk]), {"address-email": "Team@Ocwen.example"})
    assert NotificationAddress.objects.filter(company=company_x, email="team@ocwen.example").exists()
    bad = admin.post(reverse("web:company_address_add", args=[company_x.pk]), {"address-email": "nope"})
    assert bad.status_code == 422
    admin.post(reverse("web:company_address_remove", args=[company_x.pk]), {"email": "team@ocwen.example"})
    assert not NotificationAddress.objects.exists()
    assert admin.post(reverse("web:company_supervise", args=[company_x.pk]), {"action": "unmark"}).status_code == 404
