from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper

from redress.core import clock

from .constants import ComplaintsAccess


class Company(models.Model):
    """One shared registry entry for a supervised company, used by every agency."""

    company_ref = models.CharField(max_length=20, unique=True, help_text="System Company ID, e.g. CO-000123.")
    nmls_id = models.CharField(max_length=20, null=True, blank=True, unique=True)
    legal_name = models.CharField(max_length=300)
    other_names = models.JSONField(default=list, blank=True, help_text="Trade and former names.")
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.CharField(max_length=200, blank=True)
    business_types = models.JSONField(default=list, blank=True)
    complaints_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["legal_name"]
        verbose_name_plural = "companies"
        indexes = [models.Index(Upper("legal_name"), name="company_name_upper_idx")]

    def __str__(self) -> str:
        return self.legal_name


class Branch(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="branches")
    nmls_id = models.CharField(max_length=20, null=True, blank=True, unique=True)
    name = models.CharField(max_length=300)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "branches"

    def __str__(self) -> str:
        return self.name


class Individual(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="individuals")
    nmls_id = models.CharField(max_length=20, null=True, blank=True, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Supervision(models.Model):
    """An agency marks a company as one it supervises."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="supervisions")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="supervisions")
    since = models.DateField(default=clock.today)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "company"], name="uniq_supervision")]

    def __str__(self) -> str:
        return f"{self.agency_id} supervises {self.company_id}"


class StateLicense(models.Model):
    """A licence number the company holds with one agency."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="licenses")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="licenses")
    license_number = models.CharField(max_length=60)
    license_type = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "license_number"], name="uniq_license_per_agency")]

    def __str__(self) -> str:
        return self.license_number


class CompanyMembership(models.Model):
    """Makes a user a company user."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="company_membership")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="memberships")
    is_account_admin = models.BooleanField(default=False)
    complaints_access = models.CharField(
        max_length=10, choices=ComplaintsAccess.choices, default=ComplaintsAccess.NONE
    )
    created_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return f"{self.user} at {self.company}"


class NotificationAddress(models.Model):
    """An extra (often shared) address that receives the company's key complaint notices."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="notification_addresses")
    email = models.EmailField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "email"], name="uniq_company_notify_email")]

    def __str__(self) -> str:
        return self.email
