"""IR statuses, the one transition table, and the IR exchange's value lists (spec §4.2)."""

from __future__ import annotations

from django.db import models

# Automatic reminders go out this many days before the due date unless the agency sets its own.
DEFAULT_REMINDER_DAYS_BEFORE = 3
MAX_TITLE_LENGTH = 200
MAX_TEXT_LENGTH = 50_000


class IRStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    READY_TO_SEND = "ready_to_send", "Ready to send"
    SENT_TO_COMPANY = "sent_to_company", "Sent to company"
    COMPANY_DRAFT = "company_draft", "Response drafted"
    IN_COMPANY_REVIEW = "in_company_review", "With the Company POC for review"
    SENT_TO_AGENCY = "sent_to_agency", "Response received"
    SEND_BACK_REQUESTED = "send_back_requested", "Send-back requested"
    CANCELED = "canceled", "Canceled"


class IRAction(models.TextChoices):
    """Everything that changes an IR's status (or keeps it, where the table says so)."""

    SAVE_DRAFT = "save_draft", "Save as draft"
    SAVE_READY = "save_ready", "Save and send later"
    SEND = "send", "Send"
    EXTEND = "extend", "Extend the due date of"
    CANCEL = "cancel", "Cancel"
    REMIND = "remind", "Send a reminder for"
    COMPANY_DRAFT = "company_draft", "Draft a response to"
    SEND_TO_POC = "send_to_poc", "Send to the Company POC"
    SUBMIT = "submit", "Submit a response to"
    SEND_BACK = "send_back", "Send back"
    REQUEST_SEND_BACK = "request_send_back", "Request a send-back of"
    DECLINE_SEND_BACK = "decline_send_back", "Decline the send-back request of"


# Sent and waiting for the company: the agency may extend, remind and cancel; the company drafts.
OUTSTANDING = (IRStatus.SENT_TO_COMPANY, IRStatus.COMPANY_DRAFT, IRStatus.IN_COMPANY_REVIEW)
UNSENT = frozenset({IRStatus.DRAFT, IRStatus.READY_TO_SEND})
RESPONSE_RECEIVED = frozenset({IRStatus.SENT_TO_AGENCY, IRStatus.SEND_BACK_REQUESTED})

# (action, from-status) -> to-status. A pair that is not here is refused; this table is the only
# place that knows which IR status may follow which.
TRANSITIONS: dict[tuple[str, str | None], str] = {
    (IRAction.SAVE_DRAFT, None): IRStatus.DRAFT,
    (IRAction.SAVE_DRAFT, IRStatus.DRAFT): IRStatus.DRAFT,
    (IRAction.SAVE_DRAFT, IRStatus.READY_TO_SEND): IRStatus.DRAFT,
    (IRAction.SAVE_READY, None): IRStatus.READY_TO_SEND,
    (IRAction.SAVE_READY, IRStatus.DRAFT): IRStatus.READY_TO_SEND,
    (IRAction.SAVE_READY, IRStatus.READY_TO_SEND): IRStatus.READY_TO_SEND,
    (IRAction.SEND, IRStatus.DRAFT): IRStatus.SENT_TO_COMPANY,
    (IRAction.SEND, IRStatus.READY_TO_SEND): IRStatus.SENT_TO_COMPANY,
    **{(IRAction.EXTEND, s): s for s in OUTSTANDING},
    **{(IRAction.REMIND, s): s for s in OUTSTANDING},
    **{(IRAction.CANCEL, s): IRStatus.CANCELED for s in OUTSTANDING},
    (IRAction.COMPANY_DRAFT, IRStatus.SENT_TO_COMPANY): IRStatus.COMPANY_DRAFT,
    (IRAction.COMPANY_DRAFT, IRStatus.COMPANY_DRAFT): IRStatus.COMPANY_DRAFT,
    (IRAction.COMPANY_DRAFT, IRStatus.IN_COMPANY_REVIEW): IRStatus.IN_COMPANY_REVIEW,
    (IRAction.SEND_TO_POC, IRStatus.COMPANY_DRAFT): IRStatus.IN_COMPANY_REVIEW,
    (IRAction.SUBMIT, IRStatus.SENT_TO_COMPANY): IRStatus.SENT_TO_AGENCY,
    (IRAction.SUBMIT, IRStatus.COMPANY_DRAFT): IRStatus.SENT_TO_AGENCY,
    (IRAction.SUBMIT, IRStatus.IN_COMPANY_REVIEW): IRStatus.SENT_TO_AGENCY,
    (IRAction.SEND_BACK, IRStatus.SENT_TO_AGENCY): IRStatus.SENT_TO_COMPANY,
    (IRAction.SEND_BACK, IRStatus.SEND_BACK_REQUESTED): IRStatus.SENT_TO_COMPANY,
    (IRAction.REQUEST_SEND_BACK, IRStatus.SENT_TO_AGENCY): IRStatus.SEND_BACK_REQUESTED,
    (IRAction.DECLINE_SEND_BACK, IRStatus.SEND_BACK_REQUESTED): IRStatus.SENT_TO_AGENCY,
}


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "Sent to the Company POC for review"
    SUBMITTED = "submitted", "Submitted"


class SendBackKind(models.TextChoices):
    AGENCY = "agency", "Sent back by the agency"
    COMPANY_REQUEST = "company_request", "Requested by the company"


class RequestOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Sent back"
    DECLINED = "declined", "Declined"
    NOT_APPLICABLE = "n/a", "Not applicable"


class ReminderKind(models.TextChoices):
    MANUAL = "manual", "Manual"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
