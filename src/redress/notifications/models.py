from __future__ import annotations

from django.conf import settings
from django.db import models

from redress.core import clock

from .constants import OutboxStatus


class OutboxMessage(models.Model):
    """One email to one address. Written in the transaction of the change that caused it and
    delivered after commit, so a rolled-back change sends nothing and a crash loses nothing."""

    event = models.CharField(max_length=80, help_text="Event code, e.g. company.user_invited.")
    to_email = models.EmailField(max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="outbox_messages"
    )
    subject = models.CharField(max_length=255)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=clock.now)
    locked_at = models.DateTimeField(null=True, blank=True, help_text="When a worker claimed it for sending.")
    last_error = models.TextField(blank=True)
    dedupe_key = models.CharField(max_length=255, unique=True, null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.event} → {self.to_email} ({self.status})"


class Notification(models.Model):
    """An in-app notice shown to one user on their notifications page."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(max_length=80)
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    dedupe_key = models.CharField(max_length=255, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at", "created_at"], name="notification_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.title} for {self.user_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
