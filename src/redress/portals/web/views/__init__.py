"""Pages shared by every kind of user: home, health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from redress.accounts.policy import actor_for


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)  # type: ignore[arg-type]
    return render(request, "web/home.html", {"actor": actor})
