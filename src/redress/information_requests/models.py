from __future__ import annotations

from django.conf import settings
from django.db import models

from redress.core import clock

from .constants import IRStatus, ReminderKind, RequestOutcome, ResponseStatus, SendBackKind


class InformationRequest(models.Model):
    """One question the agency puts to the company on a complaint (or a comment with no question)."""

    ref = models.CharField(max_length=20, unique=True, help_text="Public reference, e.g. IR-2026-000123.")
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="information_requests")
    number = models.PositiveIntegerField(help_text="1, 2, 3… within the complaint.")
    title = models.CharField(max_length=200)
    description = models.TextField()
    due_date = models.DateField(null=True, blank=True)
    original_due_date = models.DateField(
        null=True, blank=True, help_text="The due date it was first sent with; kept through extensions."
    )
    status = models.CharField(max_length=24, choices=IRStatus.choices)
    is_comment_only = models.BooleanField(default=False)
    send_comment = models.TextField(blank=True, help_text="Commentary to the company sent with the batch.")
    round = models.PositiveIntegerField(default=1, help_text="Response round; a send-back starts the next one.")

    # Agency-only marker: never exposed to company users.
    quick_look_complete = models.BooleanField(default=False)
    quick_look_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quick_look_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response_received_at = models.DateTimeField(null=True, blank=True)
    canceled_at = models.DateTimeField(null=True, blank=True)
    canceled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["complaint_id", "number"]
        verbose_name = "information request"
        constraints = [models.UniqueConstraint(fields=["complaint", "number"], name="uniq_ir_number")]
        indexes = [
            models.Index(fields=["status", "due_date"], name="ir_status_due_idx"),
            models.Index(fields=["due_date"], name="ir_due_idx"),
            models.Index(fields=["complaint", "status"], name="ir_complaint_status_idx"),
            models.Index(fields=["sent_at"], name="ir_sent_idx"),
        ]

    def __str__(self) -> str:
        return self.ref

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class IRResponse(models.Model):
    """The company's answer for one round of an IR; a send-back opens the next round."""

    information_request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="responses")
    round = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    hidden_from_other_company_users = models.BooleanField(
        default=False, help_text="Only the drafter, the Company POC and the agency see it."
    )
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    last_edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True, help_text="Local date of submission, for reports.")
    due_date_at_submission = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["information_request_id", "round"]
        constraints = [models.UniqueConstraint(fields=["information_request", "round"], name="uniq_ir_response_round")]
        indexes = [
            models.Index(fields=["status", "submitted_on"], name="ir_response_submitted_idx"),
            models.Index(fields=["submitted_by"], name="ir_response_submitter_idx"),
        ]

    def __str__(self) -> str:
        return f"Response {self.round} to IR {self.information_request_id}"

    @property
    def is_timely(self) -> bool | None:
        if self.submitted_on is None or self.due_date_at_submission is None:
            return None
        return self.submitted_on <= self.due_date_at_submission


class SendBack(models.Model):
    """A send-back by the agency, or a company's request for one (with its outcome)."""

    information_request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="send_backs")
    round = models.PositiveIntegerField(help_text="The response round that was (or was asked to be) sent back.")
    kind = models.CharField(max_length=16, choices=SendBackKind.choices)
    new_due_date = models.DateField(null=True, blank=True)
    text = models.TextField(help_text="The agency's explanation, or the company's reason.")
    outcome = models.CharField(max_length=10, choices=RequestOutcome.choices, default=RequestOutcome.NOT_APPLICABLE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["information_request", "created_at"], name="ir_sendback_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (round {self.round})"


class Reminder(models.Model):
    """One reminder about an outstanding IR: manual (by a user) or automatic (by the daily job)."""

    information_request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(default=clock.now)
    sent_on = models.DateField(default=clock.today)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipients = models.JSONField(default=list, help_text="Email addresses it went to.")

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            # At most one automatic reminder per IR per day, whatever reruns the job.
            models.UniqueConstraint(
                fields=["information_request", "sent_on"],
                condition=~models.Q(kind="manual"),
                name="uniq_auto_reminder_per_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder at {self.sent_at:%Y-%m-%d %H:%M}"

    @property
    def is_automatic(self) -> bool:
        return self.kind != ReminderKind.MANUAL


class DueDateChange(models.Model):
    """Extension history: every change of a sent IR's due date."""

    information_request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="due_date_changes"
    )
    old_due_date = models.DateField(null=True, blank=True)
    new_due_date = models.DateField()
    reason = models.CharField(max_length=16, default="extension")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.old_due_date} → {self.new_due_date}"
