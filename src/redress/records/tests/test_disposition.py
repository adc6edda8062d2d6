import datetime as dt

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command

from redress.audit.models import AuditEvent
from redress.complaints.services import complaint_close, complaint_reopen
from redress.documents.models import Document
from redress.notifications.models import Notification, OutboxMessage
from redress.records import disposition as disp
from redress.records.disposition import complaint_documents, disposition_run, disposition_warn
from redress.records.models import DisposedDocument, DispositionRun
from redress.records.schedule import add_years, disposition_date
from redress.records.services import legal_hold_place

from .conftest import CLOSED_AT

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 3, 10)


def _run(capture, as_of=DUE, dry_run=False):
    with capture(execute=True):
        return disposition_run(as_of=as_of, dry_run=dry_run)


def _state(complaint):
    return [
        (d.pk, d.disposed_at, d.disposition_note, default_storage.exists(d.storage_name))
        for d in complaint_documents(complaint)
    ]


def test_add_years_handles_29_february():
    assert add_years(dt.date(2024, 2, 29), 6) == dt.date(2030, 2, 28)
    assert add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)


def test_scenario_40_retention_purge(
    closed_complaint, supervisor_a, manager_a, django_capture_on_commit_callbacks, company_x
):
    old = closed_complaint(supervisor_a, tag="old")
    recent = closed_complaint(supervisor_a, tag="recent")
    # Reopened and reclosed later in the year: the clock restarts from the new closure.
    with time_machine.travel(CLOSED_AT + dt.timedelta(days=200), tick=False):
        complaint_reopen(actor=supervisor_a, ref=recent.ref, reason="New evidence.", expected_version=None)
        complaint_close(actor=supervisor_a, ref=recent.ref, closure={"reason": "invalid"}, expected_version=None)
    recent.refresh_from_db()
    assert disposition_date(old) == DUE
    assert disposition_date(recent) == dt.date(2026, 9, 26)
    old_docs = list(complaint_documents(old))
    assert len(old_docs) == 3 and all(default_storage.exists(d.storage_name) for d in old_docs)
    before_fields = {f.attname: getattr(old, f.attname) for f in old._meta.concrete_fields}
    recent_before = _state(recent)

    # 30 days ahead the Supervisors (not Managers) are warned, once.
    with django_capture_on_commit_callbacks(execute=True):
        assert disposition_warn(as_of=DUE - dt.timedelta(days=30)) == 1
        assert disposition_warn(as_of=DUE - dt.timedelta(days=29)) == 0
    notes = Notification.objects.filter(event="records.disposition_due")
    assert [n.user for n in notes] == [supervisor_a]
    assert old.ref in notes[0].title
    assert OutboxMessage.objects.filter(event="records.disposition_due").count() == 1
    assert disposition_warn(as_of=DUE - dt.timedelta(days=31)) == 0

    audit_before = AuditEvent.objects.count()
    result = _run(django_capture_on_commit_callbacks)
    assert (result.disposed_complaints, result.disposed_documents) == (1, 3)
    for document in old_docs:
        document.refresh_from_db()
        assert document.disposed_at is not None
        assert document.disposition_note.startswith("Disposed on ")
        assert "MD-OFR complaint documents, 6 years after the latest closure" in document.disposition_note
        assert not default_storage.exists(document.storage_name)
    old.refresh_from_db()
    assert {f.attname: getattr(old, f.attname) for f in old._meta.concrete_fields} == before_fields
    assert _state(recent) == recent_before
    disposed_events = AuditEvent.objects.filter(action="document.disposed")
    assert sorted(int(e.target_id) for e in disposed_events) == sorted(d.pk for d in old_docs)
    assert AuditEvent.objects.count() > audit_before
    assert (
        AuditEvent.objects.filter(action="document.uploaded", target_id__in=[str(d.pk) for d in old_docs]).count() == 3
    )

    # The certificate lists exactly what was destroyed.
    run = DispositionRun.objects.get(pk=result.run_id)
    assert run.finished_at is not None and (run.complaint_count, run.document_count) == (1, 3)
    lines = {(i.document_ref, i.name, i.sha256, i.size) for i in run.items.all()}
    assert lines == {(str(d.ref), d.original_name, d.sha256, d.size) for d in old_docs}
    assert all(i.bytes_deleted_at is not None for i in run.items.all())

    # Idempotent: a second run finds nothing and changes nothing.
    again = _run(django_capture_on_commit_callbacks)
    assert again.run_id is None and again.disposed_documents == 0
    assert DispositionRun.objects.count() == 1


def test_dry_run_changes_nothing(closed_complaint, supervisor_a, django_capture_on_commit_callbacks):
    complaint = closed_complaint(supervisor_a)
    before = _state(complaint)
    events = AuditEvent.objects.count()
    result = _run(django_capture_on_commit_callbacks, dry_run=True)
    assert [p.complaint.pk for p in result.planned] == [complaint.pk]
    assert "3 document(s) would be disposed" in result.summary()
    assert _state(complaint) == before
    assert AuditEvent.objects.count() == events
    assert not DispositionRun.objects.exists() and not DisposedDocument.objects.exists()


def test_not_due_yet_is_kept(closed_complaint, supervisor_a, django_capture_on_commit_callbacks):
    complaint = closed_complaint(supervisor_a)
    before = _state(complaint)
    result = _run(django_capture_on_commit_callbacks, as_of=DUE - dt.timedelta(days=1))
    assert result.run_id is None and _state(complaint) == before


@pytest.mark.parametrize("scope", ["complaint", "company", "agency"])
def test_a_hold_blocks_disposition_until_lifted(
    closed_complaint, supervisor_a, company_x, django_capture_on_commit_callbacks, scope
):
    from redress.records.services import legal_hold_lift

    complaint = closed_complaint(supervisor_a)
    hold = legal_hold_place(
        actor=supervisor_a, scope=scope, reason="Litigation", complaint_ref=complaint.ref, company_id=company_x.pk
    )
    before = _state(complaint)
    assert _run(django_capture_on_commit_callbacks).disposed_documents == 0
    assert _state(complaint) == before
    legal_hold_lift(actor=supervisor_a, hold_id=hold.pk, reason="Case settled", expected_version=hold.version)
    assert _run(django_capture_on_commit_callbacks).disposed_documents == 3


def test_another_agencys_hold_does_not_block(
    closed_complaint, supervisor_a, supervisor_b, django_capture_on_commit_callbacks
):
    complaint = closed_complaint(supervisor_a)
    legal_hold_place(actor=supervisor_b, scope="agency", reason="Our own litigation")
    assert _run(django_capture_on_commit_callbacks).disposed_documents == 3
    assert all(d.disposed_at for d in complaint_documents(complaint))


def test_reopen_restarts_the_clock(closed_complaint, supervisor_a, django_capture_on_commit_callbacks):
    complaint = closed_complaint(supervisor_a)
    with time_machine.travel(CLOSED_AT + dt.timedelta(days=30), tick=False):
        complaint_reopen(actor=supervisor_a, ref=complaint.ref, reason="More to do.", expected_version=None)
    complaint.refresh_from_db()
    assert disposition_date(complaint) is None
    before = _state(complaint)
    assert _run(django_capture_on_commit_callbacks, as_of=DUE + dt.timedelta(days=400)).disposed_documents == 0
    assert _state(complaint) == before
    with time_machine.travel(CLOSED_AT + dt.timedelta(days=60), tick=False):
        complaint_close(actor=supervisor_a, ref=complaint.ref, closure={"reason": "invalid"}, expected_version=None)
    complaint.refresh_from_db()
    assert disposition_date(complaint) == dt.date(2026, 5, 9)
    assert _run(django_capture_on_commit_callbacks, as_of=dt.date(2026, 5, 8)).disposed_documents == 0
    assert _run(django_capture_on_commit_callbacks, as_of=dt.date(2026, 5, 9)).disposed_documents == 3


def test_eligibility_is_rechecked_under_the_lock(
    closed_complaint, supervisor_a, django_capture_on_commit_callbacks, monkeypatch
):
    complaint = closed_complaint(supervisor_a)
    real_plan = disp.disposition_plan

    def plan_then_hold(**kwargs):
        planned = real_plan(**kwargs)
        legal_hold_place(actor=supervisor_a, scope="complaint", reason="Late hold", complaint_ref=complaint.ref)
        return planned

    monkeypatch.setattr(disp, "disposition_plan", plan_then_hold)
    before = _state(complaint)
    result = _run(django_capture_on_commit_callbacks)
    assert len(result.planned) == 1 and result.disposed_documents == 0
    assert _state(complaint) == before


def test_management_command(closed_complaint, supervisor_a, capsys):
    complaint = closed_complaint(supervisor_a)
    call_command("records", "disposition", "run", "--as-of", DUE.isoformat(), "--dry-run")
    out = capsys.readouterr().out
    assert f"{complaint.ref}: would dispose 3 document(s)" in out
    assert not Document.objects.filter(disposed_at__isnull=False).exists()
    call_command("records", "disposition", "run", "--as-of", DUE.isoformat())
    assert "disposed 3 document(s) of 1 complaint(s)" in capsys.readouterr().out
    assert Document.objects.filter(disposed_at__isnull=False).count() == 3


def test_the_daily_job_warns_and_disposes_once_per_day(
    closed_complaint, supervisor_a, django_capture_on_commit_callbacks
):
    from redress.core.scheduling import run_due_jobs

    complaint = closed_complaint(supervisor_a)
    with time_machine.travel(dt.datetime(2026, 3, 11, 3, tzinfo=dt.UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            outcomes = dict(run_due_jobs())
        assert "disposed 3 document(s) of 1 complaint(s)" in outcomes["records.disposition"]
        assert all(not default_storage.exists(d.storage_name) for d in complaint_documents(complaint))
        assert dict(run_due_jobs())["records.disposition"] == "already ran for this period"
