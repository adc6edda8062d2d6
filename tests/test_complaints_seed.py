"""The demo complaint seeder: real CFPB records entered through the services, every status, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest

from redress.audit.models import AuditEvent
from redress.companies.models import Supervision
from redress.complaints.constants import Status
from redress.complaints.models import Closure, Complaint
from redress.core import clock
from redress.demo.complaints_seed import read_records, seed_complaints

pytestmark = pytest.mark.django_db


def test_seed_fifty_records(agency_a, supervisor_a, manager_a, company_x):
    created = seed_complaints(
        agency=agency_a,
        actors=[supervisor_a, manager_a],
        companies_by_name={company_x.legal_name: company_x},
        limit=50,
    )
    assert created == 50
    complaints = Complaint.objects.filter(agency=agency_a)
    records = {r["Complaint ID"]: r for r in read_records(50)}
    assert set(complaints.values_list("cfpb_id", flat=True)) == set(records)
    assert set(complaints.values_list("status", flat=True)) == {
        s.value for s in Status if s != Status.REFERRAL_IN_PROGRESS
    }
    today = clock.today()
    for complaint in complaints:
        record = records[complaint.cfpb_id]
        assert today - dt.timedelta(days=730) <= complaint.date_received < today
        assert (complaint.product, complaint.issue) == (record["Product"], record["Issue"])
        assert complaint.subject_name.upper() == record["Company"].upper()
        narrative = record["Consumer complaint narrative"].strip()
        assert complaint.summary == narrative if narrative else record["Issue"] in complaint.summary
        if complaint.closed_on:
            assert complaint.closed_on >= complaint.date_received
    relief = Closure.objects.filter(reason="monetary_relief")
    assert relief.exists() and all(c.monetary_relief_cents > 0 for c in relief)
    assert Closure.objects.exclude(reopened_at=None).exists()
    # Every subject is supervised by the agency; every complaint left its creation event.
    companies = set(complaints.values_list("company_id", flat=True))
    assert companies <= set(Supervision.objects.filter(agency=agency_a).values_list("company_id", flat=True))
    assert AuditEvent.objects.filter(action="complaint.created").count() == 50
    # A second run creates nothing and records nothing.
    events = AuditEvent.objects.count()
    again = seed_complaints(agency=agency_a, actors=[supervisor_a], companies_by_name={}, limit=50)
    assert again == 0 and Complaint.objects.count() == 50 and AuditEvent.objects.count() == events


def test_seed_needs_an_actor(agency_a):
    with pytest.raises(ValueError):
        seed_complaints(agency=agency_a, actors=[], companies_by_name={}, limit=5)
