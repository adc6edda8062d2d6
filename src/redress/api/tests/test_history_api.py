from __future__ import annotations

import pytest
from django.db import transaction

from redress.audit.services import audit_record

from .conftest import assert_problem, bearer

pytestmark = pytest.mark.django_db


def test_audit_history_for_agency(client, agency_a, supervisor_a, supervisor_b, company_admin_x, sysadmin):
    with transaction.atomic():
        for i in range(5):
            audit_record(actor=sysadmin, action="agency.updated", target=agency_a, new={"n": i})
    url = f"/api/v1/audit/agencies.agency/{agency_a.pk}?limit=2"
    seen, next_url = [], url
    while next_url:
        body = client.get(next_url, headers=bearer(supervisor_a, name="p")).json()
        seen.extend(item["new_values"]["n"] for item in body["items"])
        next_url = url + f"&cursor={body['next_cursor']}" if body["next_cursor"] else None
    assert seen == [0, 1, 2, 3, 4]
    for outsider in (supervisor_b, company_admin_x):
        assert_problem(client.get(url, headers=bearer(outsider)), 404, "not_found")
