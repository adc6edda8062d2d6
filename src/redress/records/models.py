from __future__ import annotations

from django.conf import settings
from django.db import models

from redress.core import clock

from .constants import HoldScope


class LegalHold(models.Model):
    """Suspends disposition for a complaint, a company's complaints at one agency, or a whole agency."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="legal_holds")
    scope = models.CharField(max_length=12, choices=HoldScope.choices)
    complaint = models.ForeignKey(
        "complaints.Complaint", null=True, blank=True, on_delete=models.PROTECT, related_name="legal_holds"
    )
    company = models.ForeignKey(
        "companies.Company", null=True, blank=True, on_delete=models.PROTECT, related_name="legal_holds"
    )
    reason = models.TextField()
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=clock.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-placed_at", "-id"]
        indexes = [models.Index(fields=["agency", "lifted_at"], name="hold_agency_active_idx")]

    def __str__(self) -> str:
        return f"Legal hold {self.pk} ({self.get_scope_display()})"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None

    @property
    def target_label(self) -> str:
        if self.scope == HoldScope.COMPLAINT and self.complaint is not None:
            return self.complaint.ref
        if self.scope == HoldScope.COMPANY and self.company is not None:
            return str(self.company.legal_name)
        return "Whole agency"


class DispositionRun(models.Model):
    """One execution of the disposition schedule; its items are the destruction certificate."""

    as_of = models.DateField()
    started_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    complaint_count = models.PositiveIntegerField(default=0)
    document_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Disposition run {self.pk} as of {self.as_of}"


class DisposedDocument(models.Model):
    """One certificate line: what was destroyed, under which schedule, and whether the bytes are gone."""

    run = models.ForeignKey(DispositionRun, on_delete=models.PROTECT, related_name="items")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.PROTECT, related_name="+")
    document = models.OneToOneField("documents.Document", on_delete=models.PROTECT, related_name="+")
    document_ref = models.CharField(max_length=36)
    name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    storage_name = models.CharField(max_length=255)
    schedule = models.CharField(max_length=200)
    disposed_at = models.DateTimeField()
    bytes_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["agency", "run"], name="disposed_agency_run_idx"),
            models.Index(fields=["bytes_deleted_at"], name="disposed_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.document_ref})"
