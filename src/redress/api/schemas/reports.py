"""Agency reports: the Complaints Reports figures (agency complaints users only)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema


class CodeCount(Schema):
    code: str = Field(description="The stored value, stable for programs.")
    label: str = Field(description="The name people read.")
    count: int


class CategoryCount(Schema):
    id: int = Field(description="A category of your agency (GET /categories).")
    name: str
    active: bool = Field(description="false: no longer offered; listed only while complaints in the range carry it.")
    count: int


class SubjectCount(Schema):
    kind: Literal["company", "non_nmls", "none"] = Field(
        description="company (complaints about its branches and individuals count under it), non_nmls, or none "
        "when no subject was recorded."
    )
    id: int | None = Field(description="The company's or Non-NMLS entity's id.")
    name: str
    identifier: str = Field(description="The company's NMLS ID or the Non-NMLS entity's tracking number.")
    count: int


class SubjectCounts(Schema):
    top: list[SubjectCount] = Field(description="The subjects with the most complaints, most first (ties by name).")
    other_subjects: int = Field(description="How many subjects are not in top.")
    other_complaints: int = Field(description="Their complaints, summed.")
    subjects: int = Field(description="Distinct subjects of the complaints counted.")


class MonetaryRelief(Schema):
    closed_complaints: int = Field(description="Closed complaints counted (as by_closure_reason).")
    complaints_with_relief: int = Field(description="Of those, complaints whose latest closure recorded relief.")
    total_cents: int = Field(description="Sum of that relief in cents.")


class SummaryFiltersOut(Schema):
    date_from: dt.date
    date_to: dt.date
    closures_by: Literal["received", "closed"]
    agency_poc_id: int | None
    business_type: str | None
    product: str | None
    top_subjects: int


class ComplaintSummaryOut(Schema):
    """Counts of your agency's complaints. Canceled complaints are left out, and a complaint
    referred to another agency and accepted there counts for that agency. ``total``, ``by_status``,
    ``by_business_type``, ``by_category`` and ``by_subject`` count the complaints received in the
    range; ``by_closure_reason`` and ``monetary_relief`` count complaints closed now, by their latest
    closure, as ``filters.closures_by`` says."""

    filters: SummaryFiltersOut = Field(description="The filters applied, defaults filled in.")
    total: int = Field(description="Complaints received in the range.")
    by_status: list[CodeCount] = Field(description="Every status except canceled, zeros included.")
    closed_total: int
    by_closure_reason: list[CodeCount] = Field(description="Every closure reason, zeros included.")
    by_business_type: list[CodeCount] = Field(description="Every business type, zeros included.")
    by_category: list[CategoryCount] = Field(
        description="Every active category of your agency in list order, zeros included. A complaint with several "
        "categories counts under each."
    )
    without_category: int = Field(description="Complaints with no category.")
    by_subject: SubjectCounts
    monetary_relief: MonetaryRelief
