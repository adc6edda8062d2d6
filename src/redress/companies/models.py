from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Upper

from redress.core import clock
from redress.core.contact import phone_digits, website_host

from .constants import BusinessType, ComplaintsAccess


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
    business_types = models.JSONField(default=list, blank=True, help_text="BusinessType codes, sorted.")
    search_text = models.TextField(
        blank=True, editable=False, help_text="Legal name and other names, one per line, kept by the services."
    )
    phone_digits = models.CharField(
        max_length=40, blank=True, editable=False, help_text="The phone number's digits, for the subject search."
    )
    website_host = models.CharField(
        max_length=200, blank=True, editable=False, help_text="The website's host name, for the subject search."
    )
    complaints_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["legal_name"]
        verbose_name_plural = "companies"
        indexes = [
            # Serves the registry's stable keyset order (upper(legal_name), id).
            models.Index(Upper("legal_name"), F("id"), name="company_name_upper_id_idx"),
            models.Index(fields=["state"], name="company_state_idx"),
            models.Index(fields=["phone_digits"], name="company_phone_digits_idx"),
            models.Index(fields=["website_host"], name="company_website_host_idx"),
        ]

    def __str__(self) -> str:
        return self.legal_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Derived here rather than in each service so no write path can leave them stale.
        self.search_text = "\n".join([self.legal_name, *self.other_names])
        self.phone_digits = phone_digits(self.phone)
        self.website_host = website_host(self.website)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            derived = {"search_text"} if {"legal_name", "other_names"} & set(update_fields) else set()
            derived |= {"phone_digits"} if "phone" in update_fields else set()
            derived |= {"website_host"} if "website" in update_fields else set()
            kwargs["update_fields"] = {*update_fields, *derived}
        super().save(*args, **kwargs)


class CompanyBusinessType(models.Model):
    """One business type of a company, as a row so the registry can filter on it with an index
    on every database (``Company.business_types`` is the same list, for display)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="business_type_rows")
    business_type = models.CharField(max_length=40, choices=BusinessType.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "business_type"], name="uniq_company_business_type")]
        indexes = [models.Index(fields=["business_type", "company"], name="company_btype_idx")]

    def __str__(self) -> str:
        return f"{self.company_id}: {self.business_type}"


class Branch(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="branches")
    nmls_id = models.CharField(max_length=20, null=True, blank=True, unique=True)
    name = models.CharField(max_length=300)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    version = models.PositiveIntegerField(default=1)

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
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["last_name", "first_name"]
        # The subject search's keyword step matches each word to a first or last name.
        indexes = [
            models.Index(Upper("last_name"), name="individual_last_upper_idx"),
            models.Index(Upper("first_name"), name="individual_first_upper_idx"),
        ]

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
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "license_number"], name="uniq_license_per_agency")]

    def __str__(self) -> str:
        return self.license_number


class CompanyMembership(models.Model):
    """Makes a user a company user."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="company_membership")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="memberships")
    is_account_admin = models.BooleanField(default=False)
    complaints_access = models.CharField(max_length=10, choices=ComplaintsAccess.choices, default=ComplaintsAccess.NONE)
    created_at = models.DateTimeField(default=clock.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["company", "is_account_admin"], name="company_member_admin_idx")]

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


class EnrollmentInvitation(models.Model):
    """An agency's invitation to a company's first user. Only a keyed hash of the link's secret is
    stored; the secret itself exists only in the email."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="enrollment_invitations")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollment_invitation"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="enrollment_invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, blank=True, help_text="Empty once the link is used or replaced.")
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(default=clock.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    company_confirmed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    reminders = models.JSONField(default=list, blank=True, help_text="[{at, by}] for every reminder sent.")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "completed_at"], name="enrollment_agency_idx")]

    def __str__(self) -> str:
        return f"Enrollment of {self.company_id} by {self.agency_id}"

    @property
    def status(self) -> str:
        if self.completed_at is not None:
            return "complete"
        if self.accepted_at is not None:
            return "accepted"
        return "expired" if self.expires_at <= clock.now() else "invited"


class CommunicationTemplate(models.Model):
    """An agency's editable announcement to the companies it supervises (plain text with a few
    whitelisted placeholders)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="communication_templates")
    name = models.CharField(max_length=120)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="uniq_comm_template_name")]

    def __str__(self) -> str:
        return self.name


class CommunicationSend(models.Model):
    """One send of a template: a snapshot of what went out, to whom, chosen how, and by whom."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="communication_sends")
    template = models.ForeignKey(
        CommunicationTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="sends"
    )
    template_name = models.CharField(max_length=120)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    filters = models.JSONField(default=dict, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=clock.now)
    recipients = models.JSONField(
        default=list, blank=True, help_text="Per company: id, ref, name, emails and outbox ids (empty: no recipient)."
    )
    company_count = models.PositiveIntegerField(default=0)
    email_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.template_name} sent {self.sent_at:%Y-%m-%d}"
