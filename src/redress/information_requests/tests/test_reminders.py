"""Automatic reminders (N10): who gets them, when, and only once per IR per day."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from redress.core import clock
from redress.core.scheduling import registered_jobs, run_due_jobs
from redress.information_requests import services
from redress.information_requests.constants import ReminderKind
from redress.information_requests.models import Reminder
from redress.information_requests.reminders import ir_send_due_reminders
from redress.notifications.models import OutboxMessage

from .conftest import EXTRA_ADDRESS, at, later

pytestmark = pytest.mark.django_db


def _auto_emails() -> set[str]:
    return set(OutboxMessage.objects.filter(event__startswith="ir.reminder.").values_list("to_email", flat=True))


def test_job_is_registered_daily():
    assert "ir.reminders" in {job.name for job in registered_jobs()}


def test_due_soon_reminder_reaches_company_and_agency_poc_once_a_day(cast, make_complaint, add_ir):
    mark = cast["mark"]
    complaint = make_complaint(mark)
    ir = add_ir(mark, complaint, due=later(10))
    far = add_ir(mark, complaint, title="Later one", due=later(30))
    services.ir_send(actor=mark, complaint_ref=complaint.ref, refs=[ir.ref, far.ref])

    with at(later(8)):
        assert ir_send_due_reminders() == 1
        assert ir_send_due_reminders() == 0  # same day: nothing more
        with pytest.raises(IntegrityError), transaction.atomic():
            Reminder.objects.create(information_request=ir, kind=ReminderKind.DUE_SOON, sent_on=clock.today())
    reminders = list(Reminder.objects.filter(information_request=ir))
    assert [r.kind for r in reminders] == [ReminderKind.DUE_SOON]
    assert set(reminders[0].recipients) == {cast["xander"].email, EXTRA_ADDRESS, mark.email}
    assert _auto_emails() == {cast["xander"].email, EXTRA_ADDRESS, mark.email}
    assert not Reminder.objects.filter(information_request=far).exists()

    with at(later(9)):
        assert ir_send_due_reminders() == 1
    with at(later(12)):
        assert ir_send_due_reminders() == 1
    kinds = list(Reminder.objects.filter(information_request=ir).values_list("kind", flat=True))
    assert kinds == [ReminderKind.DUE_SOON, ReminderKind.DUE_SOON, ReminderKind.OVERDUE]


def test_reminders_go_to_the_company_poc_when_assigned(with_poc, cast):
    with at(later(13)):
        ir_send_due_reminders()
    assert _auto_emails() == {cast["xavi"].email, cast["mark"].email}


def test_scheduler_runs_the_job_once_per_day(sent_ir):
    with at(later(12)):
        first = dict(run_due_jobs())
        second = dict(run_due_jobs())
    assert first["ir.reminders"] == "1 IR reminder(s) sent"
    assert second["ir.reminders"] == "already ran for this period"
    assert Reminder.objects.count() == 1


def test_agency_setting_moves_the_window_and_locked_or_answered_irs_are_skipped(cast, make_complaint, add_ir, agency_a):
    mark = cast["mark"]
    agency_a.ir_reminder_days_before = 0
    agency_a.save(update_fields=["ir_reminder_days_before"])
    complaint = make_complaint(mark)
    ir = add_ir(mark, complaint, due=later(10))
    services.ir_send(actor=mark, complaint_ref=complaint.ref, refs=[ir.ref])
    with at(later(9)):
        assert ir_send_due_reminders() == 0
    with at(later(10)):
        assert ir_send_due_reminders() == 1

    from redress.complaints.services import complaint_close

    complaint.refresh_from_db()
    complaint_close(actor=mark, ref=complaint.ref, closure={"reason": "invalid"}, expected_version=None)
    with at(later(11)):
        assert ir_send_due_reminders() == 0
