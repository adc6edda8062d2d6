"""Adding and removing a complaint's related items from its Related items tab.

Each kind has its own small form; a refusal shows on that form's fields and changes nothing.
Removing asks for confirmation first, on a page of its own, so it needs no script."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from redress.accounts.models import User
from redress.complaints import related
from redress.complaints.models import Complaint
from redress.complaints.related import Kind, RelatedItems, related_items_for
from redress.core.errors import ApplicationError, NotFound, PermissionDenied

from ...forms.related import RELATED_FORMS
from . import record
from .actions import guard_post
from .common import abilities, load_complaint, record_url, refuse, require, user_of

LABELS = {
    Kind.COMPLAINT: "related complaint",
    Kind.COMPANY: "related company",
    Kind.INDIVIDUAL: "related individual",
    Kind.NON_NMLS_ENTITY: "related Non-NMLS entity",
    Kind.SUPERVISORY_ACTIVITY: "related supervisory activity",
    Kind.AGENT_LOCATION: "agent location",
}

_ADD: dict[str, Callable[..., Any]] = {
    Kind.COMPLAINT: related.related_complaint_add,
    Kind.COMPANY: related.related_company_add,
    Kind.INDIVIDUAL: related.related_individual_add,
    Kind.NON_NMLS_ENTITY: related.related_entity_add,
    Kind.SUPERVISORY_ACTIVITY: related.supervisory_activity_link,
    Kind.AGENT_LOCATION: related.agent_location_add,
}


def _tab_url(complaint: Complaint, kind: str = "") -> str:
    return record_url(complaint, "related") + (f"#related-{kind.replace('_', '-')}" if kind else "")


@login_required
@require_POST
def related_add(request: HttpRequest, ref: str, kind: str) -> HttpResponse:
    if kind not in RELATED_FORMS:
        raise Http404
    complaint = load_complaint(request, ref)
    guard_post(request, complaint, "related_add")
    form = RELATED_FORMS[kind](request.POST, prefix=kind)
    if form.is_valid():
        try:
            _ADD[kind](actor=user_of(request), ref=complaint.ref, **form.cleaned_data)
        except ApplicationError as exc:
            refuse(form, exc)
        else:
            messages.success(request, f"The {LABELS[kind]} was added to {complaint.ref}.")
            return redirect(_tab_url(complaint, kind))
    context = record.record_context(request, complaint, "related")
    if not context["related_editable"]:
        # Closed or canceled: the tab has no forms to show the refusal on, so it says it at the top.
        for error in form.non_field_errors() or ["This complaint can no longer be changed."]:
            messages.error(request, str(error))
        return redirect(_tab_url(complaint))
    context["related_forms"][kind] = form
    context["related_open"] = kind
    return render(request, "web/complaints/record.html", context, status=422)


def _item_label(items: RelatedItems, kind: str, item_id: int) -> str | None:
    """What the confirmation names: the same words the tab shows for the row."""
    rows: dict[str, list[tuple[int, str]]] = {
        Kind.COMPLAINT: [(c.id, f"complaint {c.ref}") for c in items.complaints],
        Kind.COMPANY: [(r.pk, f"company {r.company.legal_name}") for r in items.companies],
        Kind.INDIVIDUAL: [
            (r.pk, "individual " + (f"{r.first_name} {r.last_name}".strip() or f"NMLS ID {r.nmls_id}"))
            for r in items.individuals
        ],
        Kind.NON_NMLS_ENTITY: [(r.pk, f"Non-NMLS entity {r.entity}") for r in items.entities],
        Kind.SUPERVISORY_ACTIVITY: [(r.pk, f"supervisory activity {r.activity.ref}") for r in items.activities],
        Kind.AGENT_LOCATION: [(r.pk, f"agent location {r.agent_name}") for r in items.agent_locations],
    }
    return next((label for pk, label in rows.get(kind, []) if pk == item_id), None)


def _remove(request: HttpRequest, user: User, complaint: Complaint, kind: str, item_id: int, label: str) -> None:
    try:
        related.related_item_remove(actor=user, ref=complaint.ref, kind=kind, item_id=item_id)
    except (NotFound, PermissionDenied) as exc:
        refuse(forms.Form(), exc)
    except ApplicationError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"The {label} is no longer related to {complaint.ref}.")


@login_required
def related_remove(request: HttpRequest, ref: str, kind: str, item_id: int) -> HttpResponse:
    """GET, or the row's Remove button, shows the confirmation; its "Yes, remove" button removes."""
    if kind not in RELATED_FORMS:
        raise Http404
    complaint = load_complaint(request, ref)
    user = user_of(request)
    if request.method == "POST":
        guard_post(request, complaint, "related_remove")
    else:
        require(abilities(request, complaint).edit)
    try:
        label = _item_label(related_items_for(actor=user, ref=complaint.ref), kind, item_id)
    except NotFound as exc:
        raise Http404 from exc
    if label is None:
        raise Http404
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        _remove(request, user, complaint, kind, item_id, label)
        return redirect(_tab_url(complaint, kind))
    context = {"complaint": complaint, "kind": kind, "item_id": item_id, "label": label}
    return render(request, "web/complaints/related_remove.html", context)
