from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema


class DocumentOut(Schema):
    ref: uuid.UUID
    original_name: str
    size: int
    sha256: str
    content_type: str
    uploaded_at: dt.datetime
    context: str
    visibility: str


class DocumentList(Schema):
    items: list[DocumentOut]
