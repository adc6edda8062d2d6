from django.db import models


class ReferenceCounter(models.Model):
    """The last number handed out for one reference scope (e.g. ``CMP-2026``)."""

    scope = models.CharField(max_length=40, unique=True)
    last_value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope}: {self.last_value}"


class JobRun(models.Model):
    """One period of one periodic job; the unique key makes re-runs no-ops."""

    run_key = models.CharField(max_length=120, unique=True)
    started_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.run_key
