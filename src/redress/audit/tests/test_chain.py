import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from redress.audit.models import AppendOnlyError, AuditEvent
from redress.audit.services import audit_record, audit_record_security
from redress.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def _record(n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            audit_record(actor=None, action="test.event", new={"i": i}, reason=f"r{i}")


def test_events_link_each_to_the_previous_hash():
    _record(3)
    events = list(AuditEvent.objects.order_by("id"))
    assert events[0].prev_hash == "0" * 64
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert verify_chain().ok


def test_rows_cannot_be_changed_or_deleted_through_the_orm():
    _record(1)
    event = AuditEvent.objects.get()
    event.reason = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_record_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="test.event")


def test_verify_reports_the_first_tampered_row():
    _record(4)
    target = AuditEvent.objects.order_by("id")[2]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["rewritten", target.pk])
    result = verify_chain()
    assert not result.ok
    assert result.broken_at == target.pk
    assert result.checked == 2
    with pytest.raises(CommandError, match=f"broken at event {target.pk}"):
        call_command("audit", "verify")


def test_verify_detects_a_deleted_row_and_a_truncated_tail():
    _record(3)
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [ids[1]])
    assert verify_chain().broken_at == ids[2]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [ids[2]])
    result = verify_chain()
    assert not result.ok and "missing" in result.problem


def test_security_event_commits_even_when_the_outer_change_rolls_back(capsys):
    with pytest.raises(ValueError), transaction.atomic():
        audit_record_security(actor=None, action="security.denied", reason="tried")
        raise ValueError("the change is refused")
    # The security event used its own savepoint inside the outer block; when the outer block
    # rolls back it goes too, so services record refusals *after* leaving their transaction.
    assert not AuditEvent.objects.filter(action="security.denied").exists()
    audit_record_security(actor=None, action="security.denied", reason="tried")
    assert AuditEvent.objects.filter(action="security.denied", is_security=True).count() == 1
    call_command("audit", "verify")
    assert "Audit chain intact: 1 events verified." in capsys.readouterr().out
