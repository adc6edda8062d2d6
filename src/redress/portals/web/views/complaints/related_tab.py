"""What the Related items tab of a complaint shows: every kind of related item, and for users who
may change the complaint while it is not locked, one small add form per kind."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest

from redress.complaints.models import Complaint
from redress.complaints.related import related_items_for
from redress.core.errors import NotFound

from ...forms.related import RELATED_FORMS
from .common import abilities, user_of


def related_tab_context(request: HttpRequest, complaint: Complaint) -> dict[str, Any]:
    """A view that just refused an add swaps its bound form in and names it in ``related_open``."""
    try:
        items = related_items_for(actor=user_of(request), ref=complaint.ref)
    except NotFound as exc:
        raise Http404 from exc
    # The same rule the services enforce: managers of the owning agency, until closed or canceled.
    editable = abilities(request, complaint).edit
    related_forms: dict[str, forms.Form] = {}
    if editable:
        related_forms = {kind: form_class(prefix=kind) for kind, form_class in RELATED_FORMS.items()}
    return {
        "related": items,
        "related_editable": editable,
        "related_forms": related_forms,
        "related_open": "",
    }
