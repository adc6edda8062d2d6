"""Intake step A: the guided subject search, and creating a Non-NMLS entity when it found nothing.

The search runs every step the user filled in (identifier, name and location, keywords, phone,
website) and says per step what it found. "Create New Non-NMLS Entity" is offered only when every
required step was searched (or, for phone and website, answered "I do not have this
information") and none found a subject; the server records that search, and creating the entity
is refused without it, whatever the browser sends."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from redress.accounts.policy import actor_for
from redress.complaints.non_nmls_discussion import non_nmls_entities_similar
from redress.complaints.services import non_nmls_entity_create
from redress.complaints.subject_search import criteria_labels, subject_search_check, subject_search_run
from redress.complaints.subject_selectors import SearchCriteria, guided_subject_search
from redress.complaints.ui_selectors import SubjectOption
from redress.core.errors import ApplicationError, Conflict

from ...forms.subjects import NonNmlsEntityForm, SubjectSearchForm
from .common import refuse, require, require_agency_user, user_of

NOTHING_TO_SEARCH = "Enter something to search for in at least one step."


def _require_create(request: HttpRequest) -> None:
    require_agency_user(request)
    require(actor_for(user_of(request)).can_manage_complaints)


def search_subjects(request: HttpRequest, form: SubjectSearchForm) -> tuple[bool, list[SubjectOption]]:
    """(searched?, results) of a bound search form, without recording anything (change of subject)."""
    if not form.is_valid():
        return False, []
    if form.is_blank():
        form.add_error(None, NOTHING_TO_SEARCH)
        return False, []
    try:
        return True, guided_subject_search(actor=user_of(request), criteria=form.criteria()).results
    except ApplicationError as exc:
        refuse(form, exc)
        return False, []


@login_required
def complaint_new(request: HttpRequest) -> HttpResponse:
    """Step A: the guided search. A search that tried every required step is recorded."""
    _require_create(request)
    form = SubjectSearchForm(request.GET or None)
    context: dict[str, Any] = {
        "form": form,
        "search": None,
        "steps": {},
        "create_url": "",
        "choose_url": reverse("web:complaint_intake"),
    }
    status = 200
    if form.is_bound and form.is_valid():
        if form.is_blank():
            form.add_error(None, NOTHING_TO_SEARCH)
        else:
            try:
                recorded = subject_search_run(actor=user_of(request), criteria=form.criteria())
            except ApplicationError as exc:
                refuse(form, exc)
            else:
                context["search"] = recorded.outcome
                context["steps"] = {s.step: s for s in recorded.outcome.steps}
                if recorded.search_id is not None:
                    query = urlencode({"search": str(recorded.search_id)})
                    context["create_url"] = f"{reverse('web:complaint_non_nmls_new')}?{query}"
    if form.errors:
        status = 422
    return render(request, "web/complaints/new_subject.html", context, status=status)


def _initial(record_criteria: dict[str, Any]) -> dict[str, str]:
    c = SearchCriteria.from_values(record_criteria)
    return {"name": c.name, "city": c.city, "state": c.state, "phone": c.phone, "website": c.website}


@login_required
def complaint_non_nmls_new(request: HttpRequest) -> HttpResponse:
    """Create a Non-NMLS entity on the proof of a search that found nothing, then enter the complaint."""
    _require_create(request)
    user = user_of(request)
    status = 200
    searched: list[tuple[str, str]] = []
    similar_to = ""
    if request.method == "POST":
        form = NonNmlsEntityForm(request.POST)
        if form.is_valid():
            try:
                entity = non_nmls_entity_create(
                    actor=user, search_id=form.cleaned_data["search"], **form.entity_fields()
                )
            except ApplicationError as exc:
                refuse(form, exc)
                status = exc.status
            else:
                messages.success(request, f"Non-NMLS entity “{entity.name}” ({entity.tracking_number}) was created.")
                return redirect(f"{reverse('web:complaint_intake')}?subject=non_nmls:{entity.pk}")
        else:
            status = 422
        try:
            searched = criteria_labels(subject_search_check(actor=user, search_id=request.POST.get("search")))
        except Conflict:
            searched = []
        similar_to = str(request.POST.get("name") or "")
    else:
        try:
            record = subject_search_check(actor=user, search_id=request.GET.get("search"))
        except Conflict as exc:
            messages.error(request, exc.detail)
            return redirect("web:complaint_new")
        searched = criteria_labels(record)
        form = NonNmlsEntityForm(initial={"search": str(record.ref), **_initial(record.criteria)})
        criteria = SearchCriteria.from_values(record.criteria)
        similar_to = f"{criteria.name} {criteria.keywords}"
    # Spec 3.1: before creating an entity, check the discussion on similar ones (any shared word,
    # where the search needed every word).
    context = {
        "form": form,
        "searched": searched,
        "similar": non_nmls_entities_similar(actor=user, name=similar_to),
        "choose_url": reverse("web:complaint_intake"),
    }
    return render(request, "web/complaints/new_non_nmls.html", context, status=status)
