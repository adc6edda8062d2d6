"""Demo complaints carry the agency's category that matches their product / issue pair."""

from __future__ import annotations

import pytest

from redress.complaints.categories import category_names, pair_name
from redress.complaints.models import Complaint, ComplaintCategory
from redress.demo.complaints_seed import seed_complaints

pytestmark = pytest.mark.django_db


def test_seeded_complaints_get_the_matching_category(agency_a, supervisor_a, company_x):
    seed_complaints(
        agency=agency_a, actors=[supervisor_a], companies_by_name={company_x.legal_name: company_x}, limit=60
    )
    names = set(ComplaintCategory.objects.filter(agency=agency_a).values_list("name", flat=True))
    tagged = 0
    for complaint in Complaint.objects.filter(agency=agency_a):
        pair = pair_name(complaint.product, complaint.issue)
        expected = [pair] if pair in names else []
        assert category_names(complaint) == expected
        tagged += bool(expected)
    assert tagged >= 10
