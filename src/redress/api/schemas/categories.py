"""Complaint categories: the agency's own list (agency users only; companies never see them)."""

from __future__ import annotations

from ninja import Field, Schema

from .fields import Text200


class CategoryRefOut(Schema):
    """A category a complaint carries."""

    id: int
    name: str


class CategoryOut(CategoryRefOut):
    active: bool = Field(description="false: no longer offered; complaints that carry it keep it.")
    position: int
    version: int


class CategoryList(Schema):
    items: list[CategoryOut]


class CategoryIn(Schema):
    name: Text200


class CategoryPatch(Schema):
    """Only the fields sent are changed."""

    name: Text200 | None = None
    active: bool | None = None
