from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class HistoryEventOut(Schema):
    id: int
    occurred_at: dt.datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    target_label: str
    old_values: dict[str, Any]
    new_values: dict[str, Any]
    reason: str


class HistoryPage(Schema):
    items: list[HistoryEventOut]
    next_cursor: str | None
