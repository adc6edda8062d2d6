"""Research & communication entries (add and edit, also after closure) and alleged violations
(add; delete by the person who added it or the Agency POC)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from redress.complaints.models import Complaint
from redress.complaints.research import research_entry_add, research_entry_update
from redress.complaints.ui_selectors import research_entry_get_for
from redress.complaints.violations import violation_add, violation_delete
from redress.core import clock
from redress.core.errors import ApplicationError, NotFound, PermissionDenied

from ...forms.complaints import ResearchEntryForm, ViolationForm
from .actions import guard_post, run_action
from .common import done, load_complaint, refuse, user_of


@login_required
def research_add(request: HttpRequest, ref: str) -> HttpResponse:
    def perform(c: Complaint, form: forms.Form) -> None:
        data = dict(form.cleaned_data)
        data.pop("version", None)
        research_entry_add(actor=user_of(request), ref=c.ref, **data)

    return run_action(
        request,
        ref,
        action="research_add",
        allowed=lambda can: can.research,
        make_form=lambda c, data: ResearchEntryForm(data, initial={"occurred_on": clock.today()}),
        perform=perform,
        template="web/complaints/action_research.html",
        success="The entry was added to {ref}.",
        tab="research",
        extra=lambda c: {"entry": None},
    )


@login_required
def research_edit(request: HttpRequest, ref: str, entry_id: int) -> HttpResponse:
    complaint = load_complaint(request, ref)
    try:
        entry = research_entry_get_for(actor=user_of(request), complaint=complaint, entry_id=entry_id)
    except NotFound as exc:
        raise Http404 from exc

    def perform(c: Complaint, form: forms.Form) -> None:
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        research_entry_update(
            actor=user_of(request), ref=c.ref, entry_id=entry.pk, changes=data, expected_version=version
        )

    def make(c: Complaint, data: Any) -> forms.Form:
        initial = {f: getattr(entry, f) for f in ("kind", "method", "party", "occurred_on", "description")}
        return ResearchEntryForm(data, initial={**initial, "version": entry.version})

    return run_action(
        request,
        ref,
        action="research_update",
        allowed=lambda can: can.research,
        make_form=make,
        perform=perform,
        template="web/complaints/action_research.html",
        success="The entry on {ref} was saved.",
        tab="research",
        extra=lambda c: {"entry": entry},
    )


@login_required
def violation_new(request: HttpRequest, ref: str) -> HttpResponse:
    def perform(c: Complaint, form: forms.Form) -> None:
        violation_add(actor=user_of(request), ref=c.ref, **form.cleaned_data)

    return run_action(
        request,
        ref,
        action="violation_add",
        allowed=lambda can: can.violations,
        make_form=lambda c, data: ViolationForm(data),
        perform=perform,
        template="web/complaints/action_violation.html",
        success="The alleged violation was added to {ref}.",
        tab="violations",
    )


@login_required
@require_POST
def violation_remove(request: HttpRequest, ref: str, violation_id: int) -> HttpResponse:
    complaint = load_complaint(request, ref)
    guard_post(request, complaint, "violation_delete")
    try:
        violation_delete(actor=user_of(request), ref=complaint.ref, violation_id=violation_id)
    except (NotFound, PermissionDenied) as exc:
        refuse(forms.Form(), exc)
    except ApplicationError as exc:
        messages.error(request, exc.detail)
        return done(request, complaint, "violations")
    messages.success(request, "The alleged violation was deleted.")
    return done(request, complaint, "violations")
