"""The in-app notifications list: accessible, and marking read works by keyboard with htmx."""

import re

import pytest
from django.db import transaction
from playwright.sync_api import expect

from redress.notifications.models import Notification
from redress.notifications.services import notify
from tests.e2e.helpers import assert_accessible, assert_keyboard_navigable, login

pytestmark = pytest.mark.e2e


def _notify(user, subject: str) -> None:
    with transaction.atomic():
        notify(
            event="test.event",
            recipients=[user],
            subject=subject,
            template="generic",
            context={"message": f"Details about {subject.lower()}."},
            link="/",
        )


def test_notifications_list_and_mark_read_by_keyboard(page, base_url, supervisor_a, viewer_a):
    _notify(supervisor_a, "Complaint assigned")
    _notify(supervisor_a, "Information request answered")
    _notify(viewer_a, "Not for the supervisor")
    login(page, base_url, supervisor_a, supervisor_a.totp_secret)
    page.goto(f"{base_url}/notifications/")
    expect(page.locator("h1")).to_have_text("Notifications")
    expect(page.locator("#inbox")).to_contain_text("You have 2 unread notifications.")
    expect(page.locator("main")).not_to_contain_text("Not for the supervisor")
    assert_accessible(page)
    assert_keyboard_navigable(page)

    button = page.get_by_role("button", name=re.compile(r"^Mark as read\W+Complaint assigned$"))
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#inbox")).to_contain_text("You have 1 unread notification.")
    expect(page.locator("#live-region")).to_have_text("Notification marked as read.")
    # Focus must not fall back to <body> when the button it was on is swapped away.
    assert page.evaluate("() => !!document.activeElement.closest('#inbox')")
    assert Notification.objects.filter(user=supervisor_a, read_at__isnull=True).count() == 1
    assert Notification.objects.filter(user=viewer_a, read_at__isnull=True).count() == 1
    assert_accessible(page)

    page.get_by_role("button", name="Mark all as read").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#inbox")).to_contain_text("You have no unread notifications.")
    assert Notification.objects.filter(user=supervisor_a, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(user=viewer_a, read_at__isnull=True).count() == 1
    assert_accessible(page)


def test_empty_notifications_list(page, base_url, company_viewer_x):
    login(page, base_url, company_viewer_x, company_viewer_x.totp_secret)
    page.goto(f"{base_url}/notifications/")
    expect(page.locator("#inbox")).to_contain_text("Nothing here yet.")
    assert_accessible(page)
