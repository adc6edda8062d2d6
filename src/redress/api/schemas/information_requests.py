"""Information Request bodies, for the agency side and the company side. Dates are ISO 8601.

The company-side schemas have no agency-only fields: no Quick Look, no cancellation reason, no
reminder recipients, and only the A+C fields of a complaint (spec §3.2).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from .fields import Text200

_NO_NUL = r"^[^\x00]*$"
LongText = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=50_000)]
IrRef = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,20}$")]
Version = Annotated[int, Field(ge=1, le=999_999_999)]


class Versioned(Schema):
    version: Version | None = Field(None, description="The version you last read; alternatively send If-Match.")


# --- agency side: input ---------------------------------------------------------------------


class IRCreateIn(Schema):
    title: Text200
    description: LongText
    due_date: dt.date | None = None
    ready: bool = Field(True, description="True: save and send later (ready to send); false: a draft.")


class IRPatch(Schema):
    title: Text200 | None = None
    description: LongText | None = None
    due_date: dt.date | None = None
    ready: bool | None = None


class FirstUserIn(Schema):
    email: Annotated[str, StringConstraints(max_length=254)]
    full_name: Text200
    phone: Annotated[str, StringConstraints(max_length=40)] = ""


class IRSendIn(Schema):
    refs: list[IrRef] = Field(..., min_length=1, max_length=100, description="The IRs to send as one batch.")
    comment: LongText = Field("", description="Commentary to the company sent with the batch.")
    first_user: FirstUserIn | None = Field(
        None,
        description=(
            "For a company with no users yet: invite its first user (account administrator) in the same step."
            " The invitation and the send both happen, or neither."
        ),
    )


class BulkDueDateIn(Schema):
    refs: list[IrRef] = Field(..., min_length=1, max_length=100)
    due_date: dt.date


class CommentIn(Schema):
    title: Text200
    text: LongText


class ExtendIn(Versioned):
    due_date: dt.date


class CancelIn(Versioned):
    reason: LongText = ""


class QuickLookIn(Versioned):
    complete: bool


class SendBackIn(Versioned):
    due_date: dt.date
    explanation: LongText


# --- shared output -----------------------------------------------------------------------------


class DocumentRef(Schema):
    ref: uuid.UUID
    original_name: str
    size: int


class SendBackOut(Schema):
    round: int
    kind: str
    text: str
    new_due_date: dt.date | None
    created_at: dt.datetime


# --- agency side: output --------------------------------------------------------------------


class AgencyResponseOut(Schema):
    round: int
    text: str
    submitted_by: str
    submitted_at: dt.datetime | None
    timely: bool | None
    documents: list[DocumentRef]


class ReminderOut(Schema):
    kind: str
    sent_at: dt.datetime
    recipients: list[str]


class DueDateChangeOut(Schema):
    old_due_date: dt.date | None
    new_due_date: dt.date
    reason: str
    changed_at: dt.datetime


class IROut(Schema):
    ref: str
    complaint_ref: str
    number: int
    title: str
    description: str
    status: str
    status_label: str
    is_comment_only: bool
    due_date: dt.date | None
    original_due_date: dt.date | None
    send_comment: str
    round: int
    sent_at: dt.datetime | None
    response_received_at: dt.datetime | None
    canceled_at: dt.datetime | None
    quick_look_complete: bool
    quick_look_by: str
    quick_look_at: dt.datetime | None
    version: int
    responses: list[AgencyResponseOut]
    send_backs: list[SendBackOut]
    reminders: list[ReminderOut]
    due_date_changes: list[DueDateChangeOut]


class IRPage(Schema):
    items: list[IROut]
    next_cursor: str | None


# --- company side -----------------------------------------------------------------------------


class CompanyResponseOut(Schema):
    round: int
    status: str
    text: str | None = Field(description="Null when the response is hidden from you.")
    hidden_from_other_company_users: bool
    drafted_by: str
    submitted_at: dt.datetime | None
    documents: list[DocumentRef]


class CompanyIROut(Schema):
    ref: str
    complaint_ref: str
    agency: str
    number: int
    title: str
    description: str
    status: str
    status_label: str
    is_comment_only: bool
    due_date: dt.date | None
    original_due_date: dt.date | None
    send_comment: str
    sent_at: dt.datetime | None
    round: int
    responses: list[CompanyResponseOut] = []
    send_backs: list[SendBackOut] = []


class CompanyIRPage(Schema):
    items: list[CompanyIROut]
    next_cursor: str | None


class ResponseDraftIn(Schema):
    text: LongText = ""
    hidden: bool | None = Field(None, description="Hide the response from other company users.")


class ResponseDraftPatch(Versioned):
    text: LongText | None = None
    hidden: bool | None = None


class SubmitIn(Versioned):
    text: LongText | None = Field(None, description="Replace the draft's text before submitting.")


class SendBackRequestIn(Versioned):
    reason: LongText


class CompanyComplaintOut(Schema):
    """A complaint as the company sees it: A+C fields only."""

    ref: str
    status: str
    agency: str
    agency_poc: str
    created_on: dt.date
    subject_type: str
    subject_name: str
    subject_person: str = Field(
        description='The branch or individual the complaint is about, e.g. "Jane Doe (NMLS ID 123)"; '
        "empty when the subject is the company."
    )
    company_name: str
    company_ref: str
    company_nmls_id: str
    company_poc_id: int | None
    company_poc: str
    transaction_date: dt.date | None
    transaction_city: str
    transaction_state: str
    complainant_restricted: bool
    complainant_first_name: str | None
    complainant_last_name: str | None
    complainant_street: str | None
    complainant_city: str | None
    complainant_state: str | None
    complainant_postal_code: str | None
    version: int


class CompanyComplaintPage(Schema):
    items: list[CompanyComplaintOut]
    next_cursor: str | None


class AssignCompanyPocIn(Versioned):
    company_poc_id: Annotated[int, Field(ge=1, le=2**63 - 1)]


class CandidateOut(Schema):
    id: int
    name: str


class CandidateList(Schema):
    items: list[CandidateOut]


class ClosureMaterialOut(Schema):
    closed_on: dt.date
    comments_to_company: str
    documents: list[DocumentRef]


class ClosureMaterialList(Schema):
    items: list[ClosureMaterialOut]
