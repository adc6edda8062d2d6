"""Crash safety with real commits (transactional tests, so on_commit really fires)."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage

from redress.records import disposition as disp
from redress.records.disposition import complaint_documents, disposition_run
from redress.records.models import DisposedDocument, DispositionRun

DUE = dt.date(2026, 3, 10)


def _state(complaint):
    return [
        (d.pk, d.disposed_at, d.disposition_note, default_storage.exists(d.storage_name))
        for d in complaint_documents(complaint)
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_crash_between_complaints_leaves_each_whole_and_the_next_run_completes(
    closed_complaint, supervisor_a, company_y, monkeypatch
):
    first = closed_complaint(supervisor_a, tag="one")
    second = closed_complaint(supervisor_a, tag="two", company=company_y)
    second_before = _state(second)
    real_dispose, real_audit = disp._dispose_complaint, disp.audit_record
    calls = []

    def crash_inside_second(**kwargs):
        calls.append(kwargs["complaint_id"])
        if len(calls) == 2:
            # Fails after the first document of the second complaint is already marked.
            def audit_then_crash(**audit_kwargs):
                real_audit(**audit_kwargs)
                raise RuntimeError("power cut")

            monkeypatch.setattr(disp, "audit_record", audit_then_crash)
        return real_dispose(**kwargs)

    monkeypatch.setattr(disp, "_dispose_complaint", crash_inside_second)
    with pytest.raises(RuntimeError, match="power cut"):
        disposition_run(as_of=DUE, dry_run=False)
    assert calls == [first.pk, second.pk]
    # The first complaint is fully disposed, bytes included; the second is untouched.
    assert all(disposed and not exists for _, disposed, _, exists in _state(first))
    assert _state(second) == second_before
    crashed = DispositionRun.objects.get()
    assert crashed.finished_at is None and crashed.items.count() == 3

    monkeypatch.setattr(disp, "_dispose_complaint", real_dispose)
    monkeypatch.setattr(disp, "audit_record", real_audit)
    result = disposition_run(as_of=DUE, dry_run=False)
    assert (result.disposed_complaints, result.disposed_documents) == (1, 3)
    assert all(disposed and not exists for _, disposed, _, exists in _state(second))
    assert DisposedDocument.objects.filter(bytes_deleted_at__isnull=True).count() == 0
    assert DisposedDocument.objects.count() == 6


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bytes_left_behind_are_deleted_by_the_next_run(closed_complaint, supervisor_a, monkeypatch):
    complaint = closed_complaint(supervisor_a)

    def storage_down(name):
        raise OSError("storage unavailable")

    monkeypatch.setattr(default_storage, "delete", storage_down)
    disposition_run(as_of=DUE, dry_run=False)
    state = _state(complaint)
    assert all(disposed and exists for _, disposed, _, exists in state)
    assert DisposedDocument.objects.filter(bytes_deleted_at__isnull=True).count() == 3
    monkeypatch.undo()

    result = disposition_run(as_of=DUE, dry_run=False)
    assert result.run_id is None and result.finished_files == 3
    assert all(disposed and not exists for _, disposed, _, exists in _state(complaint))
    assert DisposedDocument.objects.filter(bytes_deleted_at__isnull=True).count() == 0
