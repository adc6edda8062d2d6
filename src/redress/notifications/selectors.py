"""Reading in-app notifications.

Invariant: every query is filtered by the requesting user; nobody sees another user's notices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F, QuerySet

from .models import Notification

if TYPE_CHECKING:
    from redress.accounts.models import User


def notification_list_for(*, actor: User) -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first within each group."""
    return Notification.objects.filter(user_id=actor.pk).order_by(
        F("read_at").desc(nulls_first=True), "-created_at", "-pk"
    )


def notification_unread_count_for(*, actor: User) -> int:
    return Notification.objects.filter(user_id=actor.pk, read_at__isnull=True).count()
