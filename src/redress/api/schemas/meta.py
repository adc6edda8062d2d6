from __future__ import annotations

from ninja import Schema


class MeOut(Schema):
    email: str
    full_name: str
    kind: str
    agency_id: int | None
    complaints_role: str | None
    is_agency_admin: bool
    company_id: int | None
    is_company_admin: bool
    complaints_access: str
