from django.db import models

MIN_COMPANY_ACCOUNT_ADMINS = 1
MAX_COMPANY_ACCOUNT_ADMINS = 3


class BusinessType(models.TextChoices):
    """The SES eligibility list, plus Commercial Bank for depository subjects."""

    AUCTION = "auction", "Auction"
    COMMERCIAL_BANK = "commercial_bank", "Commercial Bank"
    CREDIT_UNION = "credit_union", "Credit Union"
    COMMERCIAL_FINANCE = "commercial_finance", "Commercial Finance"
    CONSUMER_FINANCE = "consumer_finance", "Consumer Finance"
    DEBT = "debt", "Debt"
    MONEY_SERVICE_BUSINESS = "money_service_business", "Money Service Business"
    MORTGAGE_ORIGINATION = "mortgage_origination", "Mortgage Origination"
    MORTGAGE_SERVICING = "mortgage_servicing", "Mortgage Servicing"
    TECHNOLOGY_SERVICE_PROVIDER = "technology_service_provider", "Technology Service Provider"
    TRUST = "trust", "Trust"


class ComplaintsAccess(models.TextChoices):
    NONE = "none", "No complaints access"
    VIEW = "view", "View complaints"
    MANAGE = "manage", "Manage complaints"
