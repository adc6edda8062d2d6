"""Supervisory activity (examination or investigation stub) request and response bodies."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from .fields import Text20, Text200


class ActivityIn(Schema):
    activity_type: Literal["examination", "investigation", "other"]
    name: Text200 = ""
    status: Literal["", "scheduled", "in_progress", "completed"] = Field("", description="Default: scheduled.")
    nmls_id: Text20 = Field("", description="The company the activity concerns, by NMLS ID (optional).")
    company_ref: Text20 = Field("", description="Or by Company ID, e.g. CO-000123.")


class ActivityPatch(Schema):
    """Only the fields sent are changed. The company is given like on creation, by NMLS ID or by
    Company ID; sending them empty removes it."""

    activity_type: Literal["examination", "investigation", "other"] | None = None
    name: Text200 | None = None
    status: Literal["scheduled", "in_progress", "completed"] | None = None
    nmls_id: Text20 | None = Field(None, description="The company the activity concerns, by NMLS ID.")
    company_ref: Text20 | None = Field(None, description="Or by Company ID, e.g. CO-000123.")
    version: int | None = Field(None, ge=1, le=999_999_999, description="The version you last read; or send If-Match.")


class ActivityCompanyOut(Schema):
    id: int
    legal_name: str
    company_ref: str
    nmls_id: str | None


class ActivityOut(Schema):
    ref: str = Field(description="The SA ID, e.g. SA-000123.")
    activity_type: str
    name: str
    status: str
    company: ActivityCompanyOut | None
    created_at: dt.datetime
    complaint_count: int = Field(description="Complaints linked to the activity.")
    version: int = Field(description="Send it back as If-Match (or the body's version) when changing the activity.")


class ActivityPage(Schema):
    items: list[ActivityOut]
    next_cursor: str | None


class LinkedComplaintOut(Schema):
    ref: str
    status: str
    subject_name: str
    date_received: dt.date


class ActivityDetailOut(ActivityOut):
    complaints: list[LinkedComplaintOut]


class ActivityLinkIn(Schema):
    complaint_ref: Text20 = Field(..., min_length=1, description="A complaint of your agency.")


class CompanyCountOut(Schema):
    company_id: int
    legal_name: str
    activities: int
    complaints: int = Field(description="Distinct complaints linked to the company's activities.")


class CompanyCountList(Schema):
    items: list[CompanyCountOut]
