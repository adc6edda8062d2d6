from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from redress.core import clock

from .constants import MEMBERSHIP_ROLE_CHOICES


class Agency(models.Model):
    """A state regulator using Redress. Holds its own settings for the complaint workflow."""

    code = models.CharField(
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9][A-Z0-9-]{1,19}$", "Use 2–20 capital letters, digits or hyphens.")],
        help_text="Short public code, e.g. MD-OFR.",
    )
    name = models.CharField(max_length=200, unique=True)
    state = models.CharField(max_length=2, help_text="Two-letter postal code of the state.")
    contact_email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    managers_can_send_irs = models.BooleanField(default=False)
    document_retention_years = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    created_at = models.DateTimeField(default=clock.now)
    version = models.PositiveIntegerField(default=1)
    ir_reminder_days_before = models.PositiveSmallIntegerField(
        default=3,
        validators=[MaxValueValidator(60)],
        help_text="Automatic IR reminders go out this many days before the due date (0 = only when overdue).",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class AgencyMembership(models.Model):
    """Makes a user an agency user: at most one complaints role (none for a user with system
    roles only, stored as ""), optionally account admin."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_membership")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    complaints_role = models.CharField(max_length=20, choices=MEMBERSHIP_ROLE_CHOICES, blank=True)
    is_account_admin = models.BooleanField(default=False)
    title = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["agency", "complaints_role"], name="agency_member_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_complaints_role_display()} at {self.agency.code}"
