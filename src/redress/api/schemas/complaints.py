"""Complaint request and response bodies. Money is integer cents (``*_cents``), dates ISO 8601."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from .categories import CategoryRefOut
from .documents import DocumentOut
from .fields import Text2, Text10, Text20, Text40, Text100, Text200, Text254

MAX_CENTS = 10**15
_NO_NUL = r"^[^\x00]*$"
LongText = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=50_000)]
Note = Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=10_000)]
Cents = Annotated[int, Field(ge=0, le=MAX_CENTS)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]

SubjectKind = Literal["company", "branch", "individual", "non_nmls"]
DocumentRefIn = Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F-]{32,36}$", max_length=36)]


class SubjectIn(Schema):
    """The subject, by its id from a search or by a public identifier."""

    type: SubjectKind
    id: Id | None = None
    company_ref: Text20 = ""
    nmls_id: Text20 = ""
    tracking_number: Text20 = Field("", description="Entity Tracking Number of a Non-NMLS entity.")


class DetailsIn(Schema):
    date_received: dt.date
    how_received: Text20 = Field(description="phone, mail, email, web, walk_in or referral")
    cfpb_id: Text20 = ""
    business_type: Text40
    business_activities: list[Text200] = Field([], max_length=20)
    product: Text200
    sub_product: Text200 = ""
    issue: Text200
    sub_issue: Text200 = ""
    summary: LongText
    desired_outcome: LongText = ""
    amount_in_dispute_cents: Cents | None = None
    sent_to_subject_on: dt.date | None = None
    transaction_date: dt.date | None = None
    transaction_city: Text100 = ""
    transaction_state: Text2 = ""
    complainant_first_name: Text100
    complainant_last_name: Text100
    complainant_street: Text200 = ""
    complainant_city: Text100 = ""
    complainant_state: Text2 = ""
    complainant_postal_code: Text10 = ""
    complainant_phone: Text40 = ""
    complainant_email: Text254 = ""
    restrict_complainant: bool = False
    categories: list[Id] = Field(
        [], max_length=50, description="Ids of your agency's categories in use (GET /categories)."
    )


class DetailsPatch(Schema):
    """Only the fields sent are changed."""

    date_received: dt.date | None = None
    how_received: Text20 | None = None
    cfpb_id: Text20 | None = None
    business_type: Text40 | None = None
    business_activities: list[Text200] | None = Field(None, max_length=20)
    product: Text200 | None = None
    sub_product: Text200 | None = None
    issue: Text200 | None = None
    sub_issue: Text200 | None = None
    summary: LongText | None = None
    desired_outcome: LongText | None = None
    amount_in_dispute_cents: Cents | None = None
    sent_to_subject_on: dt.date | None = None
    transaction_date: dt.date | None = None
    transaction_city: Text100 | None = None
    transaction_state: Text2 | None = None
    complainant_first_name: Text100 | None = None
    complainant_last_name: Text100 | None = None
    complainant_street: Text200 | None = None
    complainant_city: Text100 | None = None
    complainant_state: Text2 | None = None
    complainant_postal_code: Text10 | None = None
    complainant_phone: Text40 | None = None
    complainant_email: Text254 | None = None
    restrict_complainant: bool | None = None
    categories: list[Id] | None = Field(
        None,
        max_length=50,
        description="Replaces the complaint's categories (ids); one it already has may stay after deactivation.",
    )


class ComplaintIn(Schema):
    subject: SubjectIn
    details: DetailsIn
    submit_for_review: bool = Field(False, description="true: PENDING preliminary review; false: bypass, OPEN.")
    individual_first_name: Text100 = Field(
        "", description="Subject type individual: required when the registry has no first name for the person."
    )
    individual_last_name: Text100 = Field(
        "", description="Subject type individual: required when the registry has no last name for the person."
    )
    document_refs: list[DocumentRefIn] = Field(
        [],
        max_length=25,
        description="Refs of documents your agency uploaded earlier (POST /documents) and has not attached to "
        "anything; they become the complaint's intake documents, in the same transaction (all or none).",
    )
    documents_visibility: Literal["agency_only", "agency_and_company"] = Field(
        "agency_only",
        description="Who may read the intake documents: agency_and_company lets the complaint's company read "
        "them once it can see the complaint (after the first Information Request is sent).",
    )


class Versioned(Schema):
    version: Annotated[int, Field(ge=1, le=999_999_999)] | None = Field(
        None, description="The version you last read; alternatively send If-Match."
    )


class ReviewIn(Versioned):
    agency_poc_id: Id
    changes: DetailsPatch | None = None


class AssignPocIn(Versioned):
    agency_poc_id: Id


class SubjectChangeIn(Versioned):
    subject: SubjectIn


class CloseIn(Versioned):
    reason: Text40
    monetary_relief_cents: Annotated[int, Field(ge=0, le=MAX_CENTS)] | None = None
    relief_paid_on: dt.date | None = None
    referred_to_agency_name: Text200 = ""
    internal_notes: Note = ""
    share_with_company: bool = False
    comments_to_company: Note = ""
    document_refs: list[DocumentRefIn] = Field(
        [],
        max_length=25,
        description="Refs of documents your agency uploaded earlier (POST /documents) and has not attached "
        "to anything; they become closure documents, shared with the company when the closure is.",
    )


class ReasonIn(Versioned):
    reason: Note


class PersonOut(Schema):
    id: int
    name: str


class SubjectOut(Schema):
    type: str
    name: str
    company_ref: str | None
    nmls_id: str | None
    tracking_number: str | None


class SubjectPersonOut(Schema):
    """The individual or branch a complaint is about (its company is the subject)."""

    name: str
    nmls_id: str | None


class ComplaintSummaryOut(Schema):
    ref: str
    status: str
    agency: str
    subject: SubjectOut
    agency_poc: PersonOut | None
    date_received: dt.date
    how_received: str
    cfpb_id: str
    product: str
    issue: str
    closed_on: dt.date | None
    days_open: int
    version: int
    categories: list[CategoryRefOut] = Field([], description="Your agency's categories on the complaint (by id).")


class ComplaintOut(ComplaintSummaryOut):
    business_type: str
    business_activities: list[str]
    sub_product: str
    sub_issue: str
    summary: str
    desired_outcome: str
    amount_in_dispute_cents: int | None
    sent_to_subject_on: dt.date | None
    transaction_date: dt.date | None
    transaction_city: str
    transaction_state: str
    restrict_complainant: bool
    individual: SubjectPersonOut | None = Field(None, description="Set when the subject type is individual.")
    branch: SubjectPersonOut | None = Field(None, description="Set when the subject type is branch.")
    complainant: dict[str, str] | None = Field(description="Null when the complainant is restricted from you.")
    documents: list[DocumentOut] = Field([], description="The complaint's own (intake) documents you may read.")
    created_at: dt.datetime
    canceled_at: dt.datetime | None
    cancel_reason: str | None


class ComplaintPage(Schema):
    items: list[ComplaintSummaryOut]
    next_cursor: str | None


class ClosureOut(Schema):
    id: int
    reason: str
    reason_label: str
    monetary_relief_cents: int | None
    relief_paid_on: dt.date | None
    referred_to_agency_name: str
    internal_notes: str | None
    share_with_company: bool
    comments_to_company: str
    closed_on: dt.date
    closed_at: dt.datetime
    closed_by: str
    reopened_at: dt.datetime | None
    reopen_reason: str | None
    documents: list[DocumentOut] = Field([], description="Closure documents the caller may read.")


class ClosureList(Schema):
    items: list[ClosureOut]


class ResearchIn(Schema):
    kind: Text20 = Field(description="research or communication")
    method: Text20 = ""
    party: Text20 = "none"
    occurred_on: dt.date
    description: LongText


class ResearchPatch(Versioned):
    kind: Text20 | None = None
    method: Text20 | None = None
    party: Text20 | None = None
    occurred_on: dt.date | None = None
    description: LongText | None = None


class ResearchOut(Schema):
    id: int
    kind: str
    method: str
    party: str
    occurred_on: dt.date
    description: str
    created_by: str
    created_at: dt.datetime
    version: int


class ResearchList(Schema):
    items: list[ResearchOut]


class ViolationIn(Schema):
    description: LongText
    citation: Annotated[str, StringConstraints(pattern=_NO_NUL, max_length=300)] = ""
    jurisdiction: Text10 = ""


class ViolationOut(Schema):
    id: int
    jurisdiction: str
    citation: str
    description: str
    created_by: str
    created_at: dt.datetime


class ViolationList(Schema):
    items: list[ViolationOut]


RelatedKind = Literal["complaint", "company", "individual", "non_nmls_entity", "supervisory_activity", "agent_location"]


class RelatedIn(Schema):
    """Which fields apply depends on ``kind``: complaint → related_ref; company → nmls_id or
    company_ref; individual → nmls_id or first_name + last_name; non_nmls_entity →
    tracking_number; supervisory_activity → activity_ref; agent_location → agent_name (+ address)."""

    kind: RelatedKind
    related_ref: Text20 = ""
    nmls_id: Text20 = ""
    company_ref: Text20 = ""
    first_name: Text100 = ""
    last_name: Text100 = ""
    tracking_number: Text20 = ""
    activity_ref: Text20 = ""
    agent_name: Text200 = ""
    street: Text200 = ""
    city: Text100 = ""
    state: Text2 = ""
    postal_code: Text10 = ""
    phone: Text40 = ""
    email: Text254 = ""


class RelatedItemOut(Schema):
    id: int
    kind: str
    label: str
    reference: str = Field(description="Complaint ID, NMLS ID, Company ID, Entity Tracking Number or SA ID.")
    detail: dict[str, str]


class RelatedList(Schema):
    items: list[RelatedItemOut]
