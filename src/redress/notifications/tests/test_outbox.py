import datetime as dt
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from redress.notifications.constants import OutboxStatus
from redress.notifications.models import Notification, OutboxMessage
from redress.notifications.services import enqueue_email, notify
from redress.notifications.tasks import (
    backoff_seconds,
    deliver,
    deliver_due_messages,
    deliver_outbox_message,
    recover_stuck_messages,
)
from redress.notifications.tests.smtp import free_port

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)


def _enqueue(**kwargs):
    defaults = {"to": "someone@example.test", "subject": "Hello", "text_body": "Plain body", "event": "test.event"}
    defaults.update(kwargs)
    with transaction.atomic():
        return enqueue_email(**defaults)


def test_delivers_through_real_smtp_server_after_commit(smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue(
            to="alice@example.test", subject="IR due soon", text_body="Text part & more", html_body="<p>HTML part</p>"
        )
        assert smtp_server.messages == []  # nothing leaves before commit

    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received.subject == "IR due soon"
    assert received.rcpt_tos == ["alice@example.test"]
    assert "Text part & more" in received.text
    assert "<p>HTML part</p>" in received.html
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.sent_at is not None
    assert message.attempts == 1
    assert message.message_id and received.message["Message-ID"] == message.message_id


def test_notify_renders_text_and_html_through_smtp(smtp_server, django_capture_on_commit_callbacks, make_user):
    user = make_user("xena@example.test", full_name="Xena Admin")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        created = notify(
            event="test.generic",
            recipients=[user, "shared@example.test"],
            subject="New complaint",
            template="generic",
            context={"message": "Complaint <CMP-1> & friends"},
            link="/notifications/",
        )
    assert len(created) == 2
    [to_user] = smtp_server.to("xena@example.test")
    assert "Hello Xena," in to_user.text
    assert "Complaint <CMP-1> & friends" in to_user.text  # plain text is not HTML-escaped
    assert "Complaint &lt;CMP-1&gt; &amp; friends" in to_user.html  # HTML is
    assert "http://" in to_user.text and "/notifications/" in to_user.text
    [shared] = smtp_server.to("shared@example.test")
    assert "Hello," in shared.text
    assert Notification.objects.filter(user=user).count() == 1


def test_rollback_sends_nothing(smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ZeroDivisionError), transaction.atomic():
        enqueue_email(to="a@example.test", subject="s", text_body="b", event="e")
        raise ZeroDivisionError
    assert OutboxMessage.objects.count() == 0
    assert smtp_server.messages == []


def test_second_delivery_is_a_noop(smtp_server):
    with time_machine.travel(START, tick=False):
        message = _enqueue()
        assert deliver(message.pk) == "sent"
        assert deliver(message.pk) == "skipped"
        assert deliver_outbox_message.call(message.pk) == "skipped"
    assert len(smtp_server.messages) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_claim_lost_to_another_worker_sends_nothing(smtp_server):
    message = _enqueue()
    # Another worker's conditional UPDATE won the claim first.
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENDING)
    assert deliver(message.pk) == "skipped"
    assert smtp_server.messages == []


def test_failure_retries_with_backoff_then_succeeds(settings, smtp_server):
    good_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there
    with time_machine.travel(START, tick=False) as clock:
        message = _enqueue()
        assert deliver(message.pk) == "retry"
        message.refresh_from_db()
        assert message.status == OutboxStatus.PENDING
        assert message.attempts == 1
        assert message.next_attempt_at == START + dt.timedelta(seconds=60)
        assert message.last_error

        assert deliver(message.pk) == "skipped"  # not due yet
        clock.shift(dt.timedelta(seconds=61))
        assert deliver(message.pk) == "retry"
        message.refresh_from_db()
        assert message.attempts == 2
        assert message.next_attempt_at == START + dt.timedelta(seconds=61 + 120)

        settings.EMAIL_PORT = good_port
        clock.shift(dt.timedelta(minutes=5))
        assert deliver_due_messages() == {"recovered": 0, "sent": 1}
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.last_error == ""
    assert len(smtp_server.messages) == 1


def test_backoff_is_capped():
    assert [backoff_seconds(n) for n in (1, 2, 3)] == [60, 120, 240]
    assert backoff_seconds(30) == 6 * 3600


def test_dead_after_max_attempts(settings):
    settings.REDRESS_OUTBOX_MAX_ATTEMPTS = 3
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 2
    with time_machine.travel(START, tick=False) as clock:
        message = _enqueue()
        outcomes = []
        for _ in range(5):
            outcomes.append(deliver(message.pk))
            clock.shift(dt.timedelta(hours=7))
    assert outcomes == ["retry", "retry", "dead", "skipped", "skipped"]
    message.refresh_from_db()
    assert message.status == OutboxStatus.DEAD
    assert message.attempts == 3


def test_backend_exception_is_recorded(settings, monkeypatch):
    def boom(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"x@example.test": (550, b"no such user")})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", boom)
    message = _enqueue()
    assert deliver(message.pk) == "retry"
    message.refresh_from_db()
    assert "SMTPRecipientsRefused" in message.last_error
    assert mail.outbox == []


def test_stuck_sending_is_recovered():
    with time_machine.travel(START, tick=False) as clock:
        message = _enqueue()
        fresh = _enqueue(to="fresh@example.test")
        OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENDING, attempts=1, locked_at=START)
        clock.shift(dt.timedelta(minutes=10))
        OutboxMessage.objects.filter(pk=fresh.pk).update(
            status=OutboxStatus.SENDING, attempts=1, locked_at=START + dt.timedelta(minutes=10)
        )
        assert recover_stuck_messages() == 0
        clock.shift(dt.timedelta(minutes=6))
        assert recover_stuck_messages() == 1
        message.refresh_from_db()
        fresh.refresh_from_db()
        assert message.status == OutboxStatus.PENDING
        assert fresh.status == OutboxStatus.SENDING  # its worker may still be sending
        assert deliver(message.pk) == "sent"
    assert [m.to for m in mail.outbox] == [["someone@example.test"]]


def test_stuck_out_of_attempts_goes_dead(settings):
    settings.REDRESS_OUTBOX_MAX_ATTEMPTS = 2
    with time_machine.travel(START, tick=False) as clock:
        message = _enqueue()
        OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENDING, attempts=2, locked_at=START)
        clock.shift(dt.timedelta(minutes=20))
        assert recover_stuck_messages() == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.DEAD


def test_dedupe_key_creates_nothing_twice():
    first = _enqueue(dedupe_key="ir:7:reminder:2026-03-02")
    second = _enqueue(dedupe_key="ir:7:reminder:2026-03-02")
    assert first is not None
    assert second is None
    assert OutboxMessage.objects.count() == 1


def test_notify_dedupe_is_per_address(make_user):
    user = make_user("u@example.test")
    kwargs = {
        "event": "test.generic",
        "subject": "Reminder",
        "template": "generic",
        "context": {"message": "m"},
        "dedupe_key": "reminder:1",
    }
    with transaction.atomic():
        first = notify(recipients=[user, "extra@example.test"], **kwargs)
    with transaction.atomic():
        second = notify(recipients=[user, "extra@example.test", "new@example.test"], **kwargs)
    assert {m.to_email for m in first} == {"u@example.test", "extra@example.test"}
    assert [m.to_email for m in second] == ["new@example.test"]
    assert Notification.objects.filter(user=user).count() == 1


def test_notify_skips_inactive_and_duplicate_addresses(make_user):
    active = make_user("active@example.test")
    inactive = make_user("gone@example.test", is_active=False)
    with transaction.atomic():
        created = notify(
            event="test.generic",
            recipients=[active, inactive, "ACTIVE@example.test", active, "other@example.test"],
            subject="s",
            template="generic",
            context={"message": "m"},
        )
    assert sorted(m.to_email for m in created) == ["active@example.test", "other@example.test"]
    assert created[0].user == active
    assert Notification.objects.filter(user=active).count() == 1
    assert not Notification.objects.filter(user=inactive).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_enqueue_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        enqueue_email(to="a@example.test", subject="s", text_body="b", event="e")
    assert OutboxMessage.objects.count() == 0


def test_periodic_job_retries_due_messages(django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False):
        message = _enqueue()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_scheduled_jobs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1


def test_generic_template_renders_quote_and_details():
    with transaction.atomic():
        [message] = notify(
            event="test.generic",
            recipients=["agency@example.test"],
            subject="Send-back requested",
            template="generic",
            context={
                "message": "The company asked for a send-back.",
                "quote": "We attached the wrong <statement>.",
                "details": [("Complaint", "CMP-2026-000001"), ("IR", "IR-2026-000002")],
            },
        )
    assert '"We attached the wrong <statement>."' in message.text_body
    assert "Complaint: CMP-2026-000001" in message.text_body
    assert "We attached the wrong &lt;statement&gt;." in message.html_body
    assert "IR-2026-000002</td>" in message.html_body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_workers_send_once(monkeypatch):
    import threading

    from django.db import connections

    with transaction.atomic():
        message = enqueue_email(to="race@example.test", subject="s", text_body="b", event="e")
    # The commit above already delivered it (immediate task backend); put it back in the queue.
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.SENT
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.PENDING, attempts=0, sent_at=None)
    mail.outbox.clear()
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def worker():
        try:
            barrier.wait()
            outcomes.append(deliver(message.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["sent", "skipped", "skipped", "skipped"]
    assert len(mail.outbox) == 1
