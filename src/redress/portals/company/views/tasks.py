"""The company's task list (also shown on the home page)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..presenters import tasks_for
from .common import company_actor, user_of


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    company_actor(request)
    return render(request, "company/tasks.html", {"tasks": tasks_for(user_of(request))})
