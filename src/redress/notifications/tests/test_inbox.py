import pytest
from django.db import transaction
from django.urls import reverse

from redress.core.errors import NotFound
from redress.notifications.models import Notification
from redress.notifications.selectors import notification_list_for
from redress.notifications.services import notification_mark_read, notifications_mark_all_read, notify

pytestmark = pytest.mark.django_db


def _notify(user, title, link=""):
    with transaction.atomic():
        notify(
            event="test.generic",
            recipients=[user],
            subject=title,
            template="generic",
            context={"message": f"Body of {title}"},
            link=link,
        )
    return Notification.objects.get(user=user, title=title)


def test_list_is_per_user_unread_first(make_user):
    alice, bob = make_user(), make_user()
    old = _notify(alice, "Old")
    new = _notify(alice, "New")
    _notify(bob, "Bob's")
    notification_mark_read(actor=alice, notification_id=new.pk)
    assert [n.title for n in notification_list_for(actor=alice)] == ["Old", "New"]
    assert [n.title for n in notification_list_for(actor=bob)] == ["Bob's"]
    assert old.body.strip() == "Body of Old"  # in-app body has no email greeting or footer


def test_cannot_mark_someone_elses_notification(make_user):
    alice, bob = make_user(), make_user()
    note = _notify(alice, "Private")
    with pytest.raises(NotFound):
        notification_mark_read(actor=bob, notification_id=note.pk)
    assert notifications_mark_all_read(actor=bob) == 0
    note.refresh_from_db()
    assert note.read_at is None


def test_page_shows_only_own_notifications(client, make_user):
    alice, bob = make_user(), make_user()
    _notify(alice, "For Alice")
    _notify(bob, "For Bob")
    client.force_login(alice)
    response = client.get(reverse("web:notification_list"))
    assert response.status_code == 200
    assert b"For Alice" in response.content
    assert b"For Bob" not in response.content
    assert b"1 unread notification" in response.content


def test_page_requires_login(client):
    response = client.get(reverse("web:notification_list"))
    assert response.status_code == 302


def test_mark_read_and_all_read_via_post(client, make_user):
    alice, bob = make_user(), make_user()
    first = _notify(alice, "One")
    _notify(alice, "Two")
    bobs = _notify(bob, "Bob's")
    client.force_login(alice)

    assert client.get(reverse("web:notification_read", args=[first.pk])).status_code == 405
    response = client.post(reverse("web:notification_read", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None

    assert client.post(reverse("web:notification_read", args=[bobs.pk])).status_code == 404
    bobs.refresh_from_db()
    assert bobs.read_at is None

    response = client.post(reverse("web:notification_read_all"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'id="inbox"' in response.content and b"<html" not in response.content
    assert not Notification.objects.filter(user=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=bob, read_at__isnull=True).count() == 1


def test_open_link_marks_read_and_redirects(client, make_user):
    alice = make_user()
    note = _notify(alice, "Go", link="/notifications/?from=test")
    client.force_login(alice)
    response = client.post(reverse("web:notification_read", args=[note.pk]), {"next": "link"})
    assert response.status_code == 302
    assert response["Location"] == "/notifications/?from=test"
