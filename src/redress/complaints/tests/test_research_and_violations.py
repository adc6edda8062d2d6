import pytest

from redress.audit.models import AuditEvent
from redress.complaints import research, services, violations
from redress.complaints.models import AllegedViolation, ResearchEntry
from redress.core import clock
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed

pytestmark = pytest.mark.django_db


def _close(complaint, actor):
    services.complaint_close(
        actor=actor, ref=complaint.ref, closure={"reason": "closed_with_explanation"}, expected_version=None
    )


def test_research_can_be_added_and_edited_after_closure(make_complaint, supervisor_a, manager_a):
    complaint = make_complaint(supervisor_a)
    _close(complaint, supervisor_a)
    entry = research.research_entry_add(
        actor=manager_a,
        ref=complaint.ref,
        kind="communication",
        method="phone",
        party="consumer",
        occurred_on=clock.today(),
        description="Called the consumer to confirm the refund arrived.",
    )
    updated = research.research_entry_update(
        actor=supervisor_a,
        ref=complaint.ref,
        entry_id=entry.pk,
        changes={"description": "Consumer confirmed the refund."},
        expected_version=entry.version,
    )
    assert updated.description == "Consumer confirmed the refund." and updated.version == 2
    event = AuditEvent.objects.filter(action="complaint.research_updated").get()
    assert event.old_values["description"].startswith("Called the consumer")
    with pytest.raises(PreconditionFailed):
        research.research_entry_update(
            actor=supervisor_a,
            ref=complaint.ref,
            entry_id=entry.pk,
            changes={"description": "stale"},
            expected_version=1,
        )
    entry.refresh_from_db()
    assert entry.description == "Consumer confirmed the refund."


def test_research_refused_for_viewers_other_agencies_and_canceled(make_complaint, supervisor_a, viewer_a, supervisor_b):
    complaint = make_complaint(supervisor_a)
    kwargs = {"ref": complaint.ref, "kind": "research", "occurred_on": clock.today(), "description": "Portal check."}
    with pytest.raises(PermissionDenied):
        research.research_entry_add(actor=viewer_a, **kwargs)
    with pytest.raises(NotFound):
        research.research_entry_add(actor=supervisor_b, **kwargs)
    services.complaint_cancel(actor=supervisor_a, ref=complaint.ref, reason="Entered twice.", expected_version=None)
    with pytest.raises(ApplicationError) as exc:
        research.research_entry_add(actor=supervisor_a, **kwargs)
    assert exc.value.code == "complaint_locked"
    assert not ResearchEntry.objects.exists()
    assert AuditEvent.objects.filter(action="complaint.research_add.denied", is_security=True).count() == 1


def test_research_validation_names_each_field(make_complaint, supervisor_a):
    complaint = make_complaint(supervisor_a)
    with pytest.raises(ApplicationError) as exc:
        research.research_entry_add(
            actor=supervisor_a,
            ref=complaint.ref,
            kind="communication",
            method="",
            party="nobody",
            occurred_on=None,
            description=" ",
        )
    assert {e["field"] for e in exc.value.extra["errors"]} == {"method", "party", "occurred_on", "description"}


def test_violation_needs_a_description_and_locks_after_closure(make_complaint, supervisor_a):
    complaint = make_complaint(supervisor_a)
    with pytest.raises(ApplicationError):
        violations.violation_add(actor=supervisor_a, ref=complaint.ref, description="  ")
    v = violations.violation_add(
        actor=supervisor_a,
        ref=complaint.ref,
        description="Late fee charged on a timely payment",
        citation="12 CFR 1026.36(c)",
        jurisdiction="federal",
    )
    assert v.citation == "12 CFR 1026.36(c)"
    _close(complaint, supervisor_a)
    with pytest.raises(ApplicationError) as exc:
        violations.violation_add(actor=supervisor_a, ref=complaint.ref, description="Another")
    assert exc.value.code == "complaint_locked"
    assert AllegedViolation.objects.count() == 1


def test_only_the_poc_deletes_someone_elses_violation(make_complaint, supervisor_a, manager_a):
    complaint = make_complaint(supervisor_a)  # supervisor_a is the Agency POC
    mine = violations.violation_add(actor=manager_a, ref=complaint.ref, description="Manager's finding")
    theirs = violations.violation_add(actor=supervisor_a, ref=complaint.ref, description="POC's finding")
    with pytest.raises(PermissionDenied):
        violations.violation_delete(actor=manager_a, ref=complaint.ref, violation_id=theirs.pk)
    assert AllegedViolation.objects.filter(pk=theirs.pk).exists()
    violations.violation_delete(actor=manager_a, ref=complaint.ref, violation_id=mine.pk)
    violations.violation_delete(actor=supervisor_a, ref=complaint.ref, violation_id=theirs.pk)
    assert not AllegedViolation.objects.exists()
    assert AuditEvent.objects.filter(action="complaint.violation_delete.denied").count() == 1
