"""The guided subject search and Non-NMLS entities."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Schema

from redress.complaints.constants import DISCUSSION_POST_MAX_LENGTH

from .fields import Text2, Text40, Text100, Text200, Text300


class SubjectOptionOut(Schema):
    """One subject a step found; use ``type`` and ``id`` as the complaint's subject."""

    type: str = Field(description="company, branch, individual or non_nmls")
    id: int
    name: str
    company_ref: str | None = Field(description="The System Company ID of the subject's company.")
    nmls_id: str | None = Field(description="The subject's own NMLS ID.")
    tracking_number: str | None = Field(description="Entity Tracking Number of a Non-NMLS entity.")
    city: str
    state: str
    found_by: list[str] = Field(description="The steps that found it.")


class SearchStepOut(Schema):
    step: str = Field(description="identifier, name, keywords, phone or website")
    run: bool = Field(description="Searched with a value.")
    skipped: bool = Field(description='Answered "I do not have this information" (phone and website only).')
    found: int


class SubjectSearchOut(Schema):
    items: list[SubjectOptionOut]
    steps: list[SearchStepOut]
    missing_steps: list[str] = Field(
        description="Required steps not yet searched (or, for phone and website, answered unknown)."
    )
    search_id: uuid.UUID | None = Field(
        description="Set only when every required step was tried and none found a subject: pass it to "
        "POST /non-nmls-entities, by the same user, within an hour, once."
    )
    search_expires_at: dt.datetime | None


class NonNmlsEntityIn(Schema):
    search_id: uuid.UUID = Field(description="The search_id of GET /subjects that found nothing.")
    name: Text300
    street: Text200 = ""
    city: Text100 = ""
    state: Text2 = ""
    phone: Text40 = ""
    website: Text200 = ""


class NonNmlsEntityOut(Schema):
    id: int
    tracking_number: str
    name: str
    street: str
    city: str
    state: str
    phone: str
    website: str
    created_at: dt.datetime


# --- Non-NMLS entity discussion (spec 7.7) ---------------------------------------------------


class NonNmlsEntitySummaryOut(Schema):
    """A Non-NMLS entity as every agency's complaints users see it."""

    tracking_number: str = Field(description="The Entity Tracking Number, e.g. ETN-000123.")
    name: str
    city: str
    state: str
    created_by_agency: str = Field(description="The name of the agency that created the entity.")
    created_at: dt.datetime
    complaint_count: int = Field(description="Complaints about the entity in every agency (a count only).")
    post_count: int = Field(description="Posts in the entity's discussion.")
    last_post_at: dt.datetime | None


class NonNmlsEntityPage(Schema):
    items: list[NonNmlsEntitySummaryOut]
    next_cursor: str | None


class NonNmlsEntityDetailOut(NonNmlsEntitySummaryOut):
    street: str
    phone: str
    website: str
    own_complaint_count: int = Field(description="Of complaint_count, those of the caller's agency.")


class DiscussionPostOut(Schema):
    id: int
    text: str
    author_name: str
    agency: str = Field(description="The name of the author's agency when they posted.")
    created_at: dt.datetime


class DiscussionPage(Schema):
    items: list[DiscussionPostOut] = Field(description="Oldest first.")
    next_cursor: str | None


class DiscussionPostIn(Schema):
    text: str = Field(
        ...,
        min_length=1,
        max_length=DISCUSSION_POST_MAX_LENGTH,
        pattern=r"^[^\x00]*$",
        description="Plain text; leading and trailing space is removed and something must remain.",
    )
