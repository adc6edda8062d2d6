from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema


class HoldIn(Schema):
    scope: Literal["complaint", "company", "agency"]
    reason: str = Field(..., min_length=1, max_length=2000)
    complaint_ref: str = Field("", max_length=20, description="For scope `complaint`, e.g. CMP-2026-000123.")
    company_id: int | None = Field(None, ge=1, le=2**63 - 1, description="For scope `company`.")


class HoldLiftIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class HoldOut(Schema):
    id: int
    scope: str
    target: str
    complaint_ref: str | None
    company_id: int | None
    reason: str
    placed_at: dt.datetime
    placed_by: str
    active: bool
    lifted_at: dt.datetime | None
    lift_reason: str
    version: int


class HoldPage(Schema):
    items: list[HoldOut]
    next_cursor: str | None


class DisposedDocumentOut(Schema):
    complaint_ref: str
    document_ref: str
    name: str
    sha256: str
    size: int
    schedule: str
    disposed_at: dt.datetime
    bytes_deleted_at: dt.datetime | None


class DispositionRunOut(Schema):
    id: int
    as_of: dt.date
    started_at: dt.datetime
    finished_at: dt.datetime | None
    certificate: list[DisposedDocumentOut]
