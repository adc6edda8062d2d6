"""Complaint statuses, the one transition table, and the coded value lists of the intake and closure forms."""

from __future__ import annotations

from django.db import models

REOPEN_WINDOW_DAYS = 365
DUPLICATE_WINDOW_DAYS = 30


class Status(models.TextChoices):
    PENDING = "pending", "Pending review"
    OPEN = "open", "Open"
    REFERRAL_IN_PROGRESS = "referral_in_progress", "Referral in progress"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Reopened"
    CANCELED = "canceled", "Canceled"


class Action(models.TextChoices):
    """Everything that changes a complaint's status."""

    CREATE_FOR_REVIEW = "create_for_review", "Submit for preliminary review"
    CREATE_BYPASS = "create_bypass", "Bypass preliminary review"
    COMPLETE_REVIEW = "complete_review", "Complete preliminary review"
    CLOSE = "close", "Close"
    REOPEN = "reopen", "Reopen"
    CANCEL = "cancel", "Cancel"
    REFER = "refer", "Refer"
    ACCEPT_REFERRAL = "accept_referral", "Accept the referral"
    REJECT_REFERRAL = "reject_referral", "Reject the referral"
    WITHDRAW_REFERRAL = "withdraw_referral", "Withdraw the referral"


# (action, from-status) -> to-status. A pair that is not here is refused; this table is the only
# place that knows which status may follow which.
TRANSITIONS: dict[tuple[str, str | None], str] = {
    (Action.CREATE_FOR_REVIEW, None): Status.PENDING,
    (Action.CREATE_BYPASS, None): Status.OPEN,
    (Action.COMPLETE_REVIEW, Status.PENDING): Status.OPEN,
    (Action.CLOSE, Status.PENDING): Status.CLOSED,
    (Action.CLOSE, Status.OPEN): Status.CLOSED,
    (Action.CLOSE, Status.REOPENED): Status.CLOSED,
    (Action.REOPEN, Status.CLOSED): Status.REOPENED,
    (Action.CANCEL, Status.PENDING): Status.CANCELED,
    (Action.CANCEL, Status.OPEN): Status.CANCELED,
    (Action.CANCEL, Status.REOPENED): Status.CANCELED,
    (Action.CANCEL, Status.REFERRAL_IN_PROGRESS): Status.CANCELED,
    # Referral to another agency (spec 2.2 T5-T7): only an open complaint is referred; accepting
    # moves ownership and reopens it for the new owner; rejecting or withdrawing hands it back open.
    (Action.REFER, Status.OPEN): Status.REFERRAL_IN_PROGRESS,
    (Action.ACCEPT_REFERRAL, Status.REFERRAL_IN_PROGRESS): Status.OPEN,
    (Action.REJECT_REFERRAL, Status.REFERRAL_IN_PROGRESS): Status.OPEN,
    (Action.WITHDRAW_REFERRAL, Status.REFERRAL_IN_PROGRESS): Status.OPEN,
}

# Statuses in which the intake data, POC, subject and violations can no longer change.
LOCKED_STATUSES = frozenset({Status.CLOSED, Status.CANCELED})
OPEN_STATUSES = frozenset({Status.PENDING, Status.OPEN, Status.REOPENED, Status.REFERRAL_IN_PROGRESS})


class ReferralStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CANCELED = "canceled", "Canceled"


class AccessStatus(models.TextChoices):
    """An access request and, once granted, the grant itself (spec 7.2)."""

    PENDING = "pending", "Pending"
    GRANTED = "granted", "Granted"
    REJECTED = "rejected", "Rejected"
    REMOVED = "removed", "Removed"
    CANCELED = "canceled", "Canceled"


class SubjectType(models.TextChoices):
    COMPANY = "company", "Company"
    BRANCH = "branch", "Branch"
    INDIVIDUAL = "individual", "Individual"
    NON_NMLS = "non_nmls", "Non-NMLS entity"


class HowReceived(models.TextChoices):
    PHONE = "phone", "Phone"
    MAIL = "mail", "Mail"
    EMAIL = "email", "Email"
    WEB = "web", "Web"
    WALK_IN = "walk_in", "Walk-in"
    REFERRAL = "referral", "Referral"


class ClosureReason(models.TextChoices):
    """The eleven SES closure reasons, in the order SES lists them."""

    CANCELLED_BY_COMPLAINANT = "cancelled_by_complainant", "Cancelled by Complainant"
    CLOSED_WITH_EXPLANATION = "closed_with_explanation", "Closed with Explanation"
    MONETARY_RELIEF = "monetary_relief", "Closed with Monetary Relief"
    NON_MONETARY_RELIEF = "non_monetary_relief", "Closed with Non-Monetary Relief"
    CEASED_COMMUNICATION = "ceased_communication", "Complainant Ceased Communication"
    DUPLICATE = "duplicate", "Duplicate"
    INVALID = "invalid", "Invalid"
    REFERRED_FEDERAL = "referred_federal", "Referred to Federal Agency"
    REFERRED_INVESTIGATION = "referred_investigation", "Referred to Investigation"
    REFERRED_OTHER_STATE_AGENCY = "referred_other_state_agency", "Referred to other State Agency"
    REFERRED_ATTORNEY_GENERAL = "referred_attorney_general", "Referred to State Attorney General"


# A preliminary review may only end in closure for these reasons (duplicate, invalid, or it
# belongs to another agency).
REVIEW_CLOSURE_REASONS = frozenset(
    {ClosureReason.DUPLICATE, ClosureReason.INVALID, ClosureReason.REFERRED_OTHER_STATE_AGENCY}
)


class ResearchKind(models.TextChoices):
    RESEARCH = "research", "Research"
    COMMUNICATION = "communication", "Communication"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    MAIL = "mail", "Mail"
    EMAIL = "email", "Email"
    IN_PERSON = "in_person", "In-Person"
    OTHER = "other", "Other"


class ContactParty(models.TextChoices):
    CONSUMER = "consumer", "Consumer"
    SUBJECT = "subject", "Subject"
    NONE = "none", "Not applicable"


class Jurisdiction(models.TextChoices):
    FEDERAL = "federal", "Federal"
    STATE = "state", "State"


# A post in a Non-NMLS entity's discussion (spec 7.7): enough for a few paragraphs, short enough
# to read in a thread.
DISCUSSION_POST_MAX_LENGTH = 4000
