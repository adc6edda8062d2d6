from __future__ import annotations

import datetime as dt

from ninja import Schema

from .fields import Text2, Text10, Text20, Text40, Text100, Text200, Text254, Text300


class CompanyOut(Schema):
    company_ref: str
    nmls_id: str | None
    legal_name: str
    other_names: list[str]
    street: str
    city: str
    state: str
    postal_code: str
    phone: str
    website: str
    business_types: list[str]
    created_at: dt.datetime
    version: int


class CompanyPage(Schema):
    items: list[CompanyOut]
    next_cursor: str | None


class CompanyIn(Schema):
    legal_name: Text300
    nmls_id: Text20 | None = None
    other_names: list[Text300] = []
    street: Text200 = ""
    city: Text100 = ""
    state: Text2 = ""
    postal_code: Text10 = ""
    phone: Text40 = ""
    website: Text200 = ""
    business_types: list[Text300] = []


class CompanyPatch(Schema):
    """Only the fields sent are changed. Registry fields (names, NMLS ID, business types) need
    registry rights; address and contact fields may also be changed by the company's administrators."""

    legal_name: Text300 | None = None
    nmls_id: Text20 | None = None
    other_names: list[Text300] | None = None
    street: Text200 | None = None
    city: Text100 | None = None
    state: Text2 | None = None
    postal_code: Text10 | None = None
    phone: Text40 | None = None
    website: Text200 | None = None
    business_types: list[Text300] | None = None


class CompanyUserOut(Schema):
    user_id: int
    email: str
    full_name: str
    is_account_admin: bool
    complaints_access: str
    is_active: bool
    version: int


class CompanyUserPage(Schema):
    items: list[CompanyUserOut]
    next_cursor: str | None


class CompanyUserIn(Schema):
    email: Text254
    full_name: Text200
    is_account_admin: bool = False
    complaints_access: Text10 = "none"
    phone: Text40 = ""


class CompanyUserPatch(Schema):
    is_account_admin: bool | None = None
    complaints_access: Text10 | None = None
    full_name: Text200 | None = None
