"""The services run in autocommit mode in production (no surrounding test transaction): locking
reads must sit inside their own transactions there."""

import pytest

from redress.complaints import research, services, violations
from redress.complaints.constants import Status
from redress.core import clock


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_full_lifecycle_outside_a_test_transaction(make_complaint, supervisor_a, manager_a):
    complaint = make_complaint(manager_a, review=True)
    complaint = services.complaint_complete_review(
        actor=supervisor_a,
        ref=complaint.ref,
        agency_poc=manager_a,
        changes={"cfpb_id": "99"},
        expected_version=complaint.version,
    )
    complaint = services.complaint_assign_poc(
        actor=manager_a, ref=complaint.ref, poc=supervisor_a, expected_version=complaint.version
    )
    v = violations.violation_add(actor=supervisor_a, ref=complaint.ref, description="Finding")
    violations.violation_delete(actor=supervisor_a, ref=complaint.ref, violation_id=v.pk)
    services.complaint_close(
        actor=supervisor_a, ref=complaint.ref, closure={"reason": "closed_with_explanation"}, expected_version=None
    )
    entry = research.research_entry_add(
        actor=supervisor_a,
        ref=complaint.ref,
        kind="research",
        occurred_on=clock.today(),
        description="Checked the CFPB portal.",
    )
    research.research_entry_update(
        actor=supervisor_a,
        ref=complaint.ref,
        entry_id=entry.pk,
        changes={"description": "Checked twice."},
        expected_version=None,
    )
    complaint = services.complaint_reopen(
        actor=supervisor_a, ref=complaint.ref, reason="New facts", expected_version=None
    )
    assert complaint.status == Status.REOPENED and complaint.cfpb_id == "99"
