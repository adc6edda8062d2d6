"""Non-NMLS entities and their discussion (spec 7.7): a searchable list of every agency's entities,
and each entity's page with its details, how many complaints concern it and the discussion thread
that complaints staff of every agency read and post to.

Only agency users with a complaints role see these pages; anyone else gets 404, like an entity
that does not exist. Other agencies' complaints are counted, never listed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.complaints import policy
from redress.complaints.models import NonNmlsEntity
from redress.complaints.non_nmls_discussion import (
    discussion_post_create,
    discussion_posts_for,
    non_nmls_entities_for,
    non_nmls_entity_get_for,
)
from redress.core.errors import ApplicationError, NotFound

from ..forms.complaints import apply_service_error
from ..forms.non_nmls import DiscussionPostForm, EntitySearchForm

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_complaints_user(request: HttpRequest) -> None:
    if not policy.is_complaints_user(actor_for(_user(request))):
        raise Http404


@login_required
def entity_list(request: HttpRequest) -> HttpResponse:
    """Find an entity by name or Entity Tracking Number, e.g. before creating another one."""
    _require_complaints_user(request)
    form = EntitySearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    status = 422 if form.errors else 200
    paginator = Paginator(non_nmls_entities_for(actor=_user(request), query=query), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    base = {"q": query} if query else {}
    context: dict[str, Any] = {
        "form": form,
        "query": query,
        "page": page,
        "entities": list(page.object_list),
        "previous_url": "?" + urlencode({**base, "page": page.previous_page_number()}) if page.has_previous() else "",
        "next_url": "?" + urlencode({**base, "page": page.next_page_number()}) if page.has_next() else "",
        "can_search_subjects": actor_for(_user(request)).can_manage_complaints,
    }
    return render(request, "web/non_nmls/list.html", context, status=status)


def _entity(request: HttpRequest, tracking_number: str) -> NonNmlsEntity:
    _require_complaints_user(request)
    try:
        return non_nmls_entity_get_for(actor=_user(request), tracking_number=tracking_number)
    except NotFound as exc:
        raise Http404 from exc


def entity_url(entity: NonNmlsEntity) -> str:
    return reverse("web:non_nmls_entity_detail", args=[entity.tracking_number])


@login_required
def entity_detail(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """The entity and its discussion; a valid post is added and the page shown again (POST, redirect)."""
    entity = _entity(request, tracking_number)
    user = _user(request)
    status = 200
    if request.method == "POST":
        form = DiscussionPostForm(request.POST)
        if form.is_valid():
            try:
                post = discussion_post_create(
                    actor=user, tracking_number=entity.tracking_number, text=form.cleaned_data["text"]
                )
            except NotFound as exc:
                raise Http404 from exc
            except ApplicationError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, "Your post was added to the discussion.")
                return redirect(f"{entity_url(entity)}#post-{post.pk}")
        status = 422
    else:
        form = DiscussionPostForm()
    context = {
        "entity": entity,
        "posts": list(discussion_posts_for(actor=user, tracking_number=entity.tracking_number)),
        "form": form,
    }
    return render(request, "web/non_nmls/detail.html", context, status=status)
