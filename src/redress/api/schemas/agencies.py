from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from .fields import Text2 as State
from .fields import Text20 as Code
from .fields import Text20 as Role
from .fields import Text120 as Title
from .fields import Text200 as Name
from .fields import Text254 as Email


class AgencyOut(Schema):
    code: str
    name: str
    state: str
    contact_email: str
    is_active: bool
    managers_can_send_irs: bool
    document_retention_years: int
    ir_reminder_days_before: int
    created_at: dt.datetime
    version: int


class AgencyPage(Schema):
    items: list[AgencyOut]
    next_cursor: str | None


class AgencyIn(Schema):
    code: Code
    name: Name
    state: State
    contact_email: Email = ""
    managers_can_send_irs: bool = False
    document_retention_years: int = Field(6, ge=1, le=100)


class AgencyPatch(Schema):
    """Only the fields sent are changed. Code, state and is_active are for system administrators."""

    code: Code | None = None
    name: Name | None = None
    state: State | None = None
    contact_email: Email | None = None
    is_active: bool | None = None
    managers_can_send_irs: bool | None = None
    document_retention_years: int | None = Field(None, ge=1, le=100)
    ir_reminder_days_before: int | None = Field(None, ge=0, le=60)


_ROLE = (
    'supervisor, manager or viewer; "" (empty) for no complaints role: a user with system roles only '
    "(supervisory activities), who sees no complaints at all"
)


class AgencyUserOut(Schema):
    user_id: int
    email: str
    full_name: str
    complaints_role: str = Field(description=_ROLE)
    is_account_admin: bool
    title: str
    is_active: bool
    version: int


class AgencyUserPage(Schema):
    items: list[AgencyUserOut]
    next_cursor: str | None


class AgencyUserIn(Schema):
    email: Email
    full_name: Name
    complaints_role: Role = Field(description=_ROLE)
    is_account_admin: bool = False
    title: Title = ""


class AgencyUserPatch(Schema):
    complaints_role: Role | None = Field(None, description=_ROLE)
    is_account_admin: bool | None = None
    is_active: bool | None = None
    full_name: Name | None = None
    title: Title | None = None
