from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower, Upper

from redress.core import clock
from redress.core.contact import phone_digits, website_host

from .constants import (
    DISCUSSION_POST_MAX_LENGTH,
    AccessStatus,
    ClosureReason,
    ContactMethod,
    ContactParty,
    HowReceived,
    Jurisdiction,
    ReferralStatus,
    ResearchKind,
    Status,
    SubjectType,
)


class TaxonomyVersion(models.Model):
    """A versioned product / sub-product / issue / sub-issue tree. Complaints keep the labels they
    were filed with and the version they were checked against, so a new version never rewrites history."""

    name = models.CharField(max_length=200)
    tree = models.JSONField(help_text="{products: [{name, sub_products: [..], issues: [{name, sub_issues: [..]}]}]}")
    is_current = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="one_current_taxonomy"
            )
        ]

    def __str__(self) -> str:
        return self.name


class NonNmlsEntity(models.Model):
    """An unknown, unreachable or possibly unlicensed entity. It can be a complaint subject but can
    take no part in the exchange (no IRs)."""

    tracking_number = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=300)
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.CharField(max_length=200, blank=True)
    phone_digits = models.CharField(max_length=40, blank=True, editable=False)
    website_host = models.CharField(max_length=200, blank=True, editable=False)
    created_by_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "Non-NMLS entity"
        verbose_name_plural = "Non-NMLS entities"
        indexes = [
            models.Index(Upper("name"), name="nonnmls_name_upper_idx"),
            models.Index(fields=["phone_digits"], name="nonnmls_phone_digits_idx"),
            models.Index(fields=["website_host"], name="nonnmls_website_host_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.tracking_number})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Derived on every save, like the company registry's, so the subject search never misses.
        self.phone_digits = phone_digits(self.phone)
        self.website_host = website_host(self.website)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "phone_digits", "website_host"}
        super().save(*args, **kwargs)


class SubjectSearch(models.Model):
    """One guided subject search that tried every required step, as the server ran it: the proof
    a Non-NMLS entity may be created (only by the same user, within an hour, once, and only when
    nothing was found)."""

    ref = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="Public, unguessable id.")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    criteria = models.JSONField(help_text="What each step searched for, after normalisation.")
    steps_run = models.JSONField(default=list, help_text="Steps searched with a value.")
    steps_skipped = models.JSONField(default=list, help_text='Steps answered "I do not have this information".')
    found = models.JSONField(default=dict, help_text="Subjects found per step run.")
    found_count = models.PositiveIntegerField(help_text="Distinct subjects found by all steps together.")
    created_at = models.DateTimeField(default=clock.now)
    entity = models.OneToOneField(
        NonNmlsEntity, null=True, blank=True, on_delete=models.PROTECT, related_name="subject_search"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "subject searches"
        indexes = [models.Index(fields=["actor", "created_at"], name="subject_search_actor_idx")]

    def __str__(self) -> str:
        return f"Subject search {self.ref}"


class Complaint(models.Model):
    ref = models.CharField(max_length=20, unique=True)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="complaints")
    agency_poc = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=24, choices=Status.choices)

    # Subject: always hangs off the company, except for a Non-NMLS entity.
    subject_type = models.CharField(max_length=12, choices=SubjectType.choices)
    company = models.ForeignKey(
        "companies.Company", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    branch = models.ForeignKey("companies.Branch", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    individual = models.ForeignKey(
        "companies.Individual", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    non_nmls_entity = models.ForeignKey(
        NonNmlsEntity, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    subject_name = models.CharField(max_length=300, help_text="Denormalised for lists and search.")

    # Complaint details
    date_received = models.DateField()
    how_received = models.CharField(max_length=12, choices=HowReceived.choices)
    cfpb_id = models.CharField(max_length=20, blank=True)
    business_type = models.CharField(max_length=40)
    business_activities = models.JSONField(default=list, blank=True)
    taxonomy = models.ForeignKey(TaxonomyVersion, on_delete=models.PROTECT, related_name="+")
    product = models.CharField(max_length=200)
    sub_product = models.CharField(max_length=200, blank=True)
    issue = models.CharField(max_length=200)
    sub_issue = models.CharField(max_length=200, blank=True)
    summary = models.TextField()
    desired_outcome = models.TextField(blank=True)
    amount_in_dispute_cents = models.BigIntegerField(null=True, blank=True)
    sent_to_subject_on = models.DateField(null=True, blank=True)

    # Transaction details
    transaction_date = models.DateField(null=True, blank=True)
    transaction_city = models.CharField(max_length=100, blank=True)
    transaction_state = models.CharField(max_length=2, blank=True)

    # Complainant details
    complainant_first_name = models.CharField(max_length=100)
    complainant_last_name = models.CharField(max_length=100)
    complainant_street = models.CharField(max_length=200, blank=True)
    complainant_city = models.CharField(max_length=100, blank=True)
    complainant_state = models.CharField(max_length=2, blank=True)
    complainant_postal_code = models.CharField(max_length=10, blank=True)
    complainant_phone = models.CharField(max_length=40, blank=True)
    complainant_email = models.EmailField(blank=True)
    restrict_complainant = models.BooleanField(default=False)

    # Lifecycle
    created_at = models.DateTimeField(default=clock.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    first_ir_sent_at = models.DateTimeField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True, help_text="Date of the latest closure.")
    canceled_at = models.DateTimeField(null=True, blank=True)
    canceled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    company_poc = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The company user who alone submits IR responses on this complaint.",
    )

    class Meta:
        ordering = ["-date_received", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "-date_received"], name="cmp_agency_status_idx"),
            models.Index(fields=["agency", "agency_poc", "status"], name="cmp_agency_poc_idx"),
            models.Index(fields=["agency", "-date_received", "-id"], name="cmp_agency_received_idx"),
            models.Index(fields=["agency", "closed_on"], name="cmp_agency_closed_idx"),
            models.Index(fields=["agency", "how_received"], name="cmp_agency_how_idx"),
            models.Index(fields=["agency", "business_type"], name="cmp_agency_business_idx"),
            models.Index(fields=["agency", "product", "issue"], name="cmp_agency_product_idx"),
            models.Index(fields=["company", "status"], name="cmp_company_status_idx"),
            models.Index(fields=["cfpb_id"], name="cmp_cfpb_idx"),
            models.Index(Upper("complainant_last_name"), name="cmp_complainant_last_idx"),
            models.Index(Upper("subject_name"), name="cmp_subject_name_idx"),
        ]

    def __str__(self) -> str:
        return self.ref

    @property
    def is_locked(self) -> bool:
        return self.status in (Status.CLOSED, Status.CANCELED)

    @property
    def days_open(self) -> int:
        """Closure date (or today, while open) minus the date received."""
        end: dt.date = self.closed_on if self.status == Status.CLOSED and self.closed_on else clock.today()
        return max(0, (end - self.date_received).days)

    @property
    def retention_starts_on(self) -> dt.date | None:
        """Document retention counts from the latest closure; a reopened complaint restarts it."""
        return self.closed_on if self.status == Status.CLOSED else None

    @property
    def complainant_name(self) -> str:
        return f"{self.complainant_first_name} {self.complainant_last_name}".strip()

    @property
    def subject_person(self) -> str:
        """The branch or individual the complaint is about, with its NMLS ID ("" for a company or
        Non-NMLS subject): part of the Subject, which the company sees too."""
        if self.individual_id is not None and self.individual is not None:
            name = f"{self.individual.first_name} {self.individual.last_name}".strip()
            nmls_id = self.individual.nmls_id
        elif self.branch_id is not None and self.branch is not None:
            name, nmls_id = self.branch.name, self.branch.nmls_id
        else:
            return ""
        return f"{name} (NMLS ID {nmls_id})" if nmls_id else name


class Closure(models.Model):
    """One closure of a complaint; reopening keeps it, so every closure stays in All Closures."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="closures")
    reason = models.CharField(max_length=40, choices=ClosureReason.choices)
    monetary_relief_cents = models.BigIntegerField(null=True, blank=True)
    relief_paid_on = models.DateField(null=True, blank=True)
    referred_to_agency_name = models.CharField(max_length=200, blank=True)
    internal_notes = models.TextField(blank=True)
    share_with_company = models.BooleanField(default=False)
    comments_to_company = models.TextField(blank=True)
    closed_on = models.DateField()
    closed_at = models.DateTimeField()
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reopen_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["closed_at", "id"]
        indexes = [models.Index(fields=["complaint", "closed_at"], name="closure_complaint_idx")]

    def __str__(self) -> str:
        return f"{self.complaint_id} closed {self.closed_on}: {self.get_reason_display()}"


class ResearchEntry(models.Model):
    """A contact or research step logged outside the system; editable even after closure."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="research_entries")
    kind = models.CharField(max_length=16, choices=ResearchKind.choices)
    method = models.CharField(max_length=16, choices=ContactMethod.choices, blank=True)
    party = models.CharField(max_length=16, choices=ContactParty.choices, default=ContactParty.NONE)
    occurred_on = models.DateField()
    description = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name_plural = "research entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}"


class AllegedViolation(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="violations")
    jurisdiction = models.CharField(max_length=10, choices=Jurisdiction.choices, blank=True)
    citation = models.CharField(max_length=300, blank=True)
    description = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.citation or self.description[:60]


# --- categories (spec 3.2: an agency-configurable list, agency-only) ----------------------------


class ComplaintCategory(models.Model):
    """One entry of an agency's own category list. Categories are never deleted: a deactivated one
    is no longer offered but stays on the complaints that carry it."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="complaint_categories")
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=clock.now)
    version = models.PositiveIntegerField(default=1)
    complaints = models.ManyToManyField(
        Complaint, through="ComplaintCategoryLink", related_name="categories", blank=True
    )

    class Meta:
        ordering = ["position", "name", "id"]
        verbose_name_plural = "complaint categories"
        constraints = [models.UniqueConstraint(Lower("name"), models.F("agency"), name="uniq_category_name_per_agency")]

    def __str__(self) -> str:
        return self.name


class ComplaintCategoryLink(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="category_links")
    category = models.ForeignKey(ComplaintCategory, on_delete=models.PROTECT, related_name="complaint_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["complaint", "category"], name="uniq_complaint_category")]
        # The list's category filter walks from the category to its complaints.
        indexes = [models.Index(fields=["category", "complaint"], name="category_complaint_idx")]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.category_id}"


# --- related items (spec 3.2 "optional related items", 7.6 supervisory-activity link) ----------


class SupervisoryActivity(models.Model):
    """A stub for an examination or investigation, so complaints can be linked to it both ways."""

    class Kind(models.TextChoices):
        EXAMINATION = "examination", "Examination"
        INVESTIGATION = "investigation", "Investigation"
        OTHER = "other", "Other"

    class State(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    ref = models.CharField(max_length=20, unique=True)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="supervisory_activities")
    company = models.ForeignKey(
        "companies.Company", null=True, blank=True, on_delete=models.PROTECT, related_name="supervisory_activities"
    )
    activity_type = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=State.choices, default=State.SCHEDULED)
    name = models.CharField(max_length=200, blank=True)
    complaints = models.ManyToManyField(
        Complaint, through="ComplaintSupervisoryActivity", related_name="supervisory_activities"
    )
    created_at = models.DateTimeField(default=clock.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "supervisory activities"

    def __str__(self) -> str:
        return self.ref


class _RelatedRow(models.Model):
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class ComplaintSupervisoryActivity(_RelatedRow):
    """One symmetric link: the same row shows on the complaint and on the activity."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="activity_links")
    activity = models.ForeignKey(SupervisoryActivity, on_delete=models.CASCADE, related_name="complaint_links")

    class Meta(_RelatedRow.Meta):
        constraints = [models.UniqueConstraint(fields=["complaint", "activity"], name="uniq_complaint_activity")]


class RelatedComplaint(_RelatedRow):
    """Stored once, shown on both complaints."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="related_complaint_links")
    related = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="related_complaint_backlinks")

    class Meta(_RelatedRow.Meta):
        constraints = [
            models.UniqueConstraint(fields=["complaint", "related"], name="uniq_related_complaint"),
            models.CheckConstraint(condition=~models.Q(complaint=models.F("related")), name="related_not_self"),
        ]


class RelatedCompany(_RelatedRow):
    """How one complaint concerns more than one company: the others are related companies."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="related_companies")
    company = models.ForeignKey("companies.Company", on_delete=models.PROTECT, related_name="+")

    class Meta(_RelatedRow.Meta):
        constraints = [models.UniqueConstraint(fields=["complaint", "company"], name="uniq_related_company")]


class RelatedIndividual(_RelatedRow):
    """By NMLS ID (linked to the registry when it knows the person) or by first and last name."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="related_individuals")
    individual = models.ForeignKey(
        "companies.Individual", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nmls_id = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)


class RelatedNonNmlsEntity(_RelatedRow):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="related_entities")
    entity = models.ForeignKey(NonNmlsEntity, on_delete=models.PROTECT, related_name="+")

    class Meta(_RelatedRow.Meta):
        constraints = [models.UniqueConstraint(fields=["complaint", "entity"], name="uniq_related_entity")]


class AgentLocation(_RelatedRow):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="agent_locations")
    agent_name = models.CharField(max_length=200)
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.CharField(max_length=254, blank=True)


# --- sharing between agencies (spec 7.1 referrals, 7.2 access requests) -------------------------


class Referral(models.Model):
    """One referral of a complaint from its owning agency to another. An accepted one is the
    complaint's "referred from" link; at most one per complaint is pending."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="referrals")
    from_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.PENDING)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    referred_at = models.DateTimeField(default=clock.now)
    comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-referred_at", "-id"]
        indexes = [
            models.Index(fields=["to_agency", "status", "-referred_at"], name="referral_to_status_idx"),
            models.Index(fields=["from_agency", "status", "-referred_at"], name="referral_from_status_idx"),
            models.Index(fields=["complaint", "status"], name="referral_complaint_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"],
                condition=models.Q(status=ReferralStatus.PENDING),
                name="one_pending_referral_per_complaint",
            ),
            models.CheckConstraint(condition=~models.Q(from_agency=models.F("to_agency")), name="referral_not_self"),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.complaint_id} to {self.to_agency_id} ({self.status})"


class AccessGrant(models.Model):
    """Another agency's request for detail-level (read-only) access to a complaint and, once a
    Supervisor of the owner grants it, the grant itself. At most one is pending or granted per
    complaint and agency; decided rows stay as the Access History."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="access_grants")
    grantee_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=AccessStatus.choices, default=AccessStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=clock.now)
    request_comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removal_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["grantee_agency", "status", "-requested_at"], name="access_grantee_status_idx"),
            models.Index(fields=["complaint", "status"], name="access_complaint_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "grantee_agency"],
                condition=models.Q(status__in=[AccessStatus.PENDING, AccessStatus.GRANTED]),
                name="one_open_access_grant_per_agency",
            )
        ]

    def __str__(self) -> str:
        return f"Access to {self.complaint_id} for {self.grantee_agency_id} ({self.status})"


# --- Non-NMLS entity discussion (spec 7.7) -------------------------------------------------------


class NonNmlsEntityPost(models.Model):
    """One post in a Non-NMLS entity's discussion thread, read by complaints users of every agency
    so they can spot the same bad actor. Posts are never edited or removed (the thread is a record)."""

    entity = models.ForeignKey(NonNmlsEntity, on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The author's agency when posting: it stays right if the author later moves agency.
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=DISCUSSION_POST_MAX_LENGTH)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "Non-NMLS entity discussion post"
        indexes = [models.Index(fields=["entity", "created_at"], name="nonnmls_post_entity_idx")]

    def __str__(self) -> str:
        return f"Post {self.pk} on {self.entity_id}"
