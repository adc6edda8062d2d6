from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from redress.core import clock

from .constants import DocumentContext, DocumentVisibility


class Document(models.Model):
    """One uploaded file. The bytes live in the configured storage under a random key; the
    user's file name is kept only as metadata and offered back on download."""

    ref = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="Public, unguessable id.")
    original_name = models.CharField(max_length=255)
    storage_name = models.CharField(max_length=255, unique=True)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=120, help_text="Sniffed from the first bytes.")
    declared_content_type = models.CharField(max_length=120, blank=True, help_text="What the browser claimed.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=clock.now)
    context = models.CharField(max_length=20, choices=DocumentContext.choices)
    visibility = models.CharField(
        max_length=20, choices=DocumentVisibility.choices, default=DocumentVisibility.AGENCY_ONLY
    )
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    company = models.ForeignKey(
        "companies.Company", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    attached_type = models.CharField(
        max_length=100, blank=True, help_text="app_label.model of the record it belongs to, e.g. complaints.complaint."
    )
    attached_id = models.CharField(max_length=64, blank=True)
    disposed_at = models.DateTimeField(null=True, blank=True)
    disposition_note = models.CharField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        indexes = [
            models.Index(fields=["attached_type", "attached_id"], name="document_attached_idx"),
            models.Index(fields=["agency", "uploaded_at"], name="document_agency_idx"),
            models.Index(fields=["company", "uploaded_at"], name="document_company_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agency__isnull=False) | models.Q(company__isnull=False),
                name="document_has_owner",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_disposed(self) -> bool:
        return self.disposed_at is not None
