from django.db import models


class DocumentContext(models.TextChoices):
    """Why a file was uploaded (spec §10)."""

    INTAKE = "intake", "Complaint intake"
    IR = "ir", "Information request"
    RESPONSE = "response", "Company response"
    CLOSURE = "closure", "Closure materials"
    RESEARCH = "research", "Research and communication"
    CANCELLATION = "cancellation", "Cancellation"
    REFERRAL = "referral", "Referral"
    COMPANY = "company", "Company record"
    OTHER = "other", "Other"


class DocumentVisibility(models.TextChoices):
    AGENCY_ONLY = "agency_only", "Agency only"
    AGENCY_AND_COMPANY = "agency_and_company", "Agency and company"


STORAGE_PREFIX = "documents"
SNIFF_BYTES = 8192
CHUNK_BYTES = 1024 * 1024
# Uploaded but never committed (crash, or an outer transaction rolled back) after this long: orphan.
ORPHAN_GRACE_SECONDS = 6 * 3600
