"""The signed-in user's in-app notifications: list, mark one read, mark all read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from redress.core.errors import NotFound
from redress.notifications.selectors import notification_list_for, notification_unread_count_for
from redress.notifications.services import notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 50


def _list_context(request: HttpRequest) -> dict[str, object]:
    user = request.user
    page = Paginator(notification_list_for(actor=user), PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    return {"page": page, "unread_count": notification_unread_count_for(actor=user)}  # type: ignore[arg-type]


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/notifications/list.html", _list_context(request))


def _after_post(request: HttpRequest, announce: str) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        ctx = _list_context(request)
        ctx["announce"] = announce
        return render(request, "web/notifications/list.html#inbox", ctx)
    return redirect("web:notification_list")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notification = notification_mark_read(actor=request.user, notification_id=pk)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Http404 from exc
    target = request.POST.get("next", "")
    if (
        target == "link"
        and notification.link
        and url_has_allowed_host_and_scheme(
            notification.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return redirect(notification.link)
    return _after_post(request, "Notification marked as read.")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notifications_mark_all_read(actor=request.user)  # type: ignore[arg-type]
    return _after_post(request, "All notifications marked as read.")
