"""Company enrollment and agency communication schemas."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from .fields import Text20, Text40, Text120, Text200, Text254

_NO_NUL = r"^[^\x00]*$"


class EnrollmentIn(Schema):
    email: Text254
    full_name: Text200
    phone: Text40 = ""


class EnrollmentOut(Schema):
    id: int
    company_ref: str
    company_name: str
    agency_code: str
    user_email: str
    user_full_name: str
    invited_by_email: str | None
    status: str = Field(description="invited, expired, accepted (finishing set-up) or complete.")
    created_at: dt.datetime
    expires_at: dt.datetime
    accepted_at: dt.datetime | None
    completed_at: dt.datetime | None
    reminder_count: int
    version: int


class EnrollmentPage(Schema):
    items: list[EnrollmentOut]
    next_cursor: str | None


class TemplateIn(Schema):
    name: Text120
    subject: Text200
    body: str = Field(..., max_length=20_000, pattern=_NO_NUL, description="Plain text with placeholders.")


class TemplatePatch(Schema):
    name: Text120 | None = None
    subject: Text200 | None = None
    body: str | None = Field(None, max_length=20_000, pattern=_NO_NUL)


class TemplateOut(Schema):
    id: int
    name: str
    subject: str
    body: str
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int


class TemplatePage(Schema):
    items: list[TemplateOut]
    next_cursor: str | None


class SendIn(Schema):
    template_id: int = Field(..., ge=1, le=2**63 - 1)
    mode: Text20 = Field(..., description="all, business_type, licence or list.")
    business_type: Text40 = ""
    company_refs: list[Text20] = Field(default_factory=list, max_length=2000, description="For mode=list.")


class SendRecipientOut(Schema):
    company_ref: str
    legal_name: str
    emails: list[str]
    outbox_ids: list[int]


class SendOut(Schema):
    id: int
    template_id: int | None
    template_name: str
    subject: str
    body: str
    filters: dict[str, object]
    sent_by_email: str | None
    sent_at: dt.datetime
    company_count: int
    email_count: int
    recipients: list[SendRecipientOut]


class SendPage(Schema):
    items: list[SendOut]
    next_cursor: str | None
