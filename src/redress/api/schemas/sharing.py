"""Referral and access-request bodies, and the basic view of any agency's complaint."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from .fields import Text20

Comment = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$", max_length=10_000)]
Version = Annotated[int, Field(ge=1, le=999_999_999)]


class ReferIn(Schema):
    to_agency: Text20 = Field(description="Code of the agency to refer to, e.g. TX-DOB.")
    comment: Comment = ""
    version: Version | None = Field(None, description="The complaint version you last read; or send If-Match.")


class DecisionIn(Schema):
    comment: Comment = Field("", description="Required to reject a referral; optional otherwise.")
    version: Version | None = Field(None, description="The complaint version you last read; or send If-Match.")


class AccessRequestIn(Schema):
    comment: Comment = ""


class AccessDecisionIn(Schema):
    comment: Comment = ""


class AgencyRef(Schema):
    code: str
    name: str


class ReferralOut(Schema):
    id: int
    complaint: str = Field(description="The Complaint ID.")
    status: str = Field(description="pending, accepted, rejected, withdrawn or canceled")
    from_agency: AgencyRef
    to_agency: AgencyRef
    referred_by: str
    referred_at: dt.datetime
    comment: str
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_comment: str
    complaint_status: str
    complaint_version: int | None = Field(None, description="Set for readers who may open the complaint.")


class ReferralPage(Schema):
    items: list[ReferralOut]
    next_cursor: str | None


class AccessGrantOut(Schema):
    id: int
    complaint: str = Field(description="The Complaint ID.")
    owning_agency: AgencyRef
    grantee_agency: AgencyRef
    status: str = Field(description="pending, granted, rejected, removed or canceled")
    requested_by: str
    requested_at: dt.datetime
    request_comment: str
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_comment: str
    removed_by: str | None
    removed_at: dt.datetime | None
    removal_comment: str


class AccessGrantList(Schema):
    items: list[AccessGrantOut]


class AccessGrantPage(Schema):
    items: list[AccessGrantOut]
    next_cursor: str | None


class BasicComplaintOut(Schema):
    """Basic information any agency complaints user may read: never complainant data, the
    summary, IRs, research or documents."""

    ref: str
    agency: AgencyRef
    subject_type: str
    subject_name: str
    company_nmls_id: str
    company_ref: str
    status: str
    created_on: dt.date
    date_received: dt.date
    closed_on: dt.date | None
    full_access: bool = Field(description="True when you may open the full record (GET /complaints/{ref}).")


class BasicComplaintPage(Schema):
    items: list[BasicComplaintOut]
    next_cursor: str | None
