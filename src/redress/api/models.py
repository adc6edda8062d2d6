from __future__ import annotations

from django.conf import settings
from django.db import models

from redress.core import clock


class IdempotencyRecord(models.Model):
    """The stored outcome of a creating request sent with an ``Idempotency-Key``, so a retry of
    the same request replays it instead of creating the resource twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64, help_text="SHA-256 over method, path and body.")
    status_code = models.PositiveSmallIntegerField()
    response_body = models.TextField()
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=clock.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="uniq_idempotency_key_per_user")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
