"""Writing notifications: outbox email rows and in-app notices.

Invariants:
- ``enqueue_email`` and ``notify`` run inside the caller's transaction: the email rows commit or
  roll back with the change they announce. Delivery is scheduled with ``transaction.on_commit``,
  so nothing is sent for a rolled-back change and a crash before delivery loses nothing (the
  periodic ``outbox.retry`` job picks up every due row).
- A ``dedupe_key`` is unique: repeating it creates no second row (and so no second email); ``notify``
  suffixes it per address and per in-app recipient.
- Inactive users receive neither email nor in-app notices. Addresses are compared case-insensitively,
  one outbox row per distinct address.
- A user only ever reads or marks their own in-app notifications; anyone else's answer NotFound.
  Marking read is a personal reading receipt, not a change to a business record, so it is not audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from email.utils import make_msgid, parseaddr
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from redress.core import clock
from redress.core.errors import NotFound

from .models import Notification, OutboxMessage

if TYPE_CHECKING:
    from redress.accounts.models import User


def _message_id() -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "redress.invalid"
    return make_msgid(domain=domain)


def _schedule_delivery(message_id: int) -> None:
    # Imported late: tasks imports this module's models and the task registry at import time.
    from .tasks import deliver_outbox_message

    deliver_outbox_message.enqueue(message_id)


def enqueue_email(
    *,
    to: str,
    subject: str,
    text_body: str,
    html_body: str = "",
    event: str,
    user: User | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """Queue one email; returns None when ``dedupe_key`` was already used."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("enqueue_email must be called inside the transaction of the change it announces")
    if dedupe_key is not None and OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        # The savepoint keeps the caller's transaction usable if a concurrent insert wins the key.
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                event=event,
                to_email=to.strip(),
                user=user,
                subject=" ".join(subject.split())[:255],
                text_body=text_body,
                html_body=html_body,
                dedupe_key=dedupe_key,
                message_id=_message_id(),
                next_attempt_at=clock.now(),
            )
    except IntegrityError:
        if dedupe_key is not None and OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    pk = message.pk
    transaction.on_commit(lambda: _schedule_delivery(pk), robust=True)
    return message


def _absolute(link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.SITE_URL.rstrip("/") + "/" + link.lstrip("/")


def render_email(template: str, context: dict[str, Any], *, bare: bool = False) -> tuple[str, str]:
    """Render ``email/<template>.txt`` and ``.html``; ``bare`` drops greeting and footer (in-app use)."""
    ctx = {"site_url": settings.SITE_URL, "bare": bare, **context}
    text = render_to_string(f"email/{template}.txt", ctx).strip() + "\n"
    html = "" if bare else render_to_string(f"email/{template}.html", ctx)
    return text, html


def notify(
    *,
    event: str,
    recipients: Iterable[User | str],
    subject: str,
    template: str,
    context: dict[str, Any],
    link: str = "",
    actor: User | None = None,
    agency_id: int | None = None,
    company_id: int | None = None,
    dedupe_key: str | None = None,
) -> list[OutboxMessage]:
    """Email every distinct address and leave an in-app notice for every user recipient.

    ``actor``, ``agency_id`` and ``company_id`` are passed to the templates (who did it, for whom);
    the caller's own audit event already records the business change.
    """
    from redress.accounts.models import User

    link_url = _absolute(link)
    base_ctx = {
        **context,
        "subject": subject,
        "link": link,
        "link_url": link_url,
        "actor": actor,
        "agency_id": agency_id,
        "company_id": company_id,
    }
    created: list[OutboxMessage] = []
    seen_addresses: set[str] = set()
    seen_users: set[int] = set()
    for recipient in recipients:
        user: User | None
        if isinstance(recipient, User):
            if not recipient.is_active or recipient.pk in seen_users:
                continue
            seen_users.add(recipient.pk)
            user, address = recipient, recipient.email
            _notify_in_app(
                user=user,
                event=event,
                title=subject,
                template=template,
                ctx=base_ctx,
                link=link,
                dedupe_key=f"{dedupe_key}:user:{user.pk}" if dedupe_key else None,
            )
        else:
            user, address = None, str(recipient)
        address = address.strip()
        if not address or address.lower() in seen_addresses:
            continue
        seen_addresses.add(address.lower())
        text, html = render_email(template, {**base_ctx, "recipient": user})
        message = enqueue_email(
            to=address,
            subject=subject,
            text_body=text,
            html_body=html,
            event=event,
            user=user,
            dedupe_key=f"{dedupe_key}:{address.lower()}" if dedupe_key else None,
        )
        if message is not None:
            created.append(message)
    return created


def _notify_in_app(
    *, user: User, event: str, title: str, template: str, ctx: dict[str, Any], link: str, dedupe_key: str | None
) -> Notification | None:
    if dedupe_key is not None and Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    body, _ = render_email(template, {**ctx, "recipient": user}, bare=True)
    try:
        with transaction.atomic():
            return Notification.objects.create(
                user=user,
                event=event,
                title=" ".join(title.split())[:255],
                body=body,
                link=link[:500],
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        if dedupe_key is not None:
            return None
        raise


def notification_mark_read(*, actor: User, notification_id: int) -> Notification:
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id, user_id=actor.pk).first()
        if notification is None:
            raise NotFound("Notification not found.")
        if notification.read_at is None:
            notification.read_at = clock.now()
            notification.save(update_fields=["read_at"])
        return notification


def notifications_mark_all_read(*, actor: User) -> int:
    with transaction.atomic():
        return Notification.objects.filter(user_id=actor.pk, read_at__isnull=True).update(read_at=clock.now())
