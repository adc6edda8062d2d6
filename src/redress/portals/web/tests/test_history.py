from __future__ import annotations

import pytest
from django.db import transaction

from redress.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_history_page_lists_changes(client, agency_a, supervisor_a, sysadmin):
    with transaction.atomic():
        audit_record(
            actor=sysadmin,
            action="agency.updated",
            target=agency_a,
            old={"name": "Old"},
            new={"name": "New"},
            reason="Renamed by statute",
        )
    client.force_login(supervisor_a)
    response = client.get(f"/history/agencies.agency/{agency_a.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "<caption>" in html and 'scope="col"' in html
    for text in ("agency.updated", "Old", "New", "Renamed by statute", "Sys Admin"):
        assert text in html
    assert "style=" not in html and "<script>" not in html


def test_history_page_is_404_outside_scope(client, agency_a, supervisor_b, company_admin_x):
    for user in (supervisor_b, company_admin_x):
        client.force_login(user)
        assert client.get(f"/history/agencies.agency/{agency_a.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/history/agencies.agency/{agency_a.pk}/").status_code == 302
