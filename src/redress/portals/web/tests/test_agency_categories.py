"""The agency's complaint-category page: account administrators add, rename, activate and deactivate."""

from __future__ import annotations

import pytest

from redress.complaints.categories import DEFAULT_NAMES
from redress.complaints.models import ComplaintCategory

pytestmark = pytest.mark.django_db


def url(agency, *rest) -> str:
    return f"/agencies/{agency.pk}/categories/" + "".join(f"{r}/" for r in rest)


def test_admin_sees_the_list_and_adds(client, agency_admin_a, agency_a):
    client.force_login(agency_admin_a)
    detail = client.get(f"/agencies/{agency_a.pk}/").content.decode()
    assert url(agency_a) in detail
    html = client.get(url(agency_a)).content.decode()
    assert DEFAULT_NAMES[0] in html and "In use (16)" in html
    response = client.post(url(agency_a), {"name": "Elder financial exploitation"})
    assert response.status_code == 302
    assert ComplaintCategory.objects.filter(agency=agency_a, name="Elder financial exploitation").exists()
    response = client.post(url(agency_a), {"name": "elder FINANCIAL exploitation"})
    assert response.status_code == 422
    assert "already has a category named" in response.content.decode()
    response = client.post(url(agency_a), {"name": ""})
    assert response.status_code == 422 and "Enter the category name." in response.content.decode()


def test_admin_renames_and_deactivates(client, agency_admin_a, agency_a):
    category = ComplaintCategory.objects.filter(agency=agency_a).first()
    client.force_login(agency_admin_a)
    assert client.get(url(agency_a, category.pk)).status_code == 200
    response = client.post(url(agency_a, category.pk), {"name": "Mortgage payments", "version": 1})
    assert response.status_code == 302
    stale = client.post(url(agency_a, category.pk), {"name": "Mortgage trouble", "version": 1})
    assert stale.status_code == 422 and "changed by someone else" in stale.content.decode()
    response = client.post(url(agency_a, category.pk, "active"), {"active": "0", "version": 2})
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.name, category.is_active) == ("Mortgage payments", False)
    html = client.get(url(agency_a)).content.decode()
    assert "No longer in use (1)" in html and "Activate<span" in html
    client.post(url(agency_a, category.pk, "active"), {"active": "1", "version": 3})
    category.refresh_from_db()
    assert category.is_active


@pytest.mark.parametrize("user", ["supervisor_a", "viewer_a", "supervisor_b", "company_admin_x"])
def test_others_get_a_missing_page(request, client, user, agency_a):
    category = ComplaintCategory.objects.filter(agency=agency_a).first()
    client.force_login(request.getfixturevalue(user))
    assert client.get(url(agency_a)).status_code == 404
    assert client.post(url(agency_a), {"name": "Mine"}).status_code == 404
    assert client.post(url(agency_a, category.pk, "active"), {"active": "0", "version": 1}).status_code == 404
    category.refresh_from_db()
    assert category.is_active and not ComplaintCategory.objects.filter(name="Mine").exists()


def test_category_of_another_agency_is_missing(client, agency_admin_a, agency_a, agency_b):
    theirs = ComplaintCategory.objects.filter(agency=agency_b).first()
    client.force_login(agency_admin_a)
    assert client.get(url(agency_a, theirs.pk)).status_code == 404
    assert client.post(url(agency_a, theirs.pk, "active"), {"active": "0", "version": 1}).status_code == 404
