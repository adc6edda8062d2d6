"""Forms of intake step A: the guided subject search and the Non-NMLS entity. They only parse
input; the subject search and the services decide what a step finds and whether an entity may
be created."""

from __future__ import annotations

from typing import Any

from django import forms

from redress.complaints.subject_selectors import SearchCriteria

from .complaints import STATE_CHOICES, _required

UNKNOWN = "I do not have this information"


class SubjectSearchForm(forms.Form):
    identifier = forms.CharField(
        label="Company ID, NMLS ID, state licence number or Entity Tracking Number",
        max_length=60,
        required=False,
        help_text="Optional. For example CO-000123 or 2739.",
    )
    name = forms.CharField(label="Name", max_length=200, required=False, help_text="Part of the name is enough.")
    city = forms.CharField(label="City", max_length=100, required=False)
    state = forms.ChoiceField(label="State", choices=STATE_CHOICES, required=False)
    keywords = forms.CharField(
        label="Keywords",
        max_length=200,
        required=False,
        help_text="Words from a trade or former name, or an individual's first or last name; every word must match.",
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=40,
        required=False,
        help_text="With the area code, for example 410-555-0100.",
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    phone_unknown = forms.BooleanField(label=UNKNOWN, required=False)
    website = forms.CharField(
        label="Website",
        max_length=200,
        required=False,
        help_text="For example example.com; www. and https:// are ignored.",
    )
    website_unknown = forms.BooleanField(label=UNKNOWN, required=False)

    def criteria(self) -> SearchCriteria:
        return SearchCriteria.from_values(self.cleaned_data)

    def is_blank(self) -> bool:
        return not any(
            (self.data.get(name) or "").strip()
            for name in ("identifier", "name", "city", "state", "keywords", "phone", "website")
        )


class NonNmlsEntityForm(forms.Form):
    search = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    name = forms.CharField(label="Entity name", max_length=300, error_messages=_required("entity name"))
    street = forms.CharField(label="Street address", max_length=200, required=False)
    city = forms.CharField(label="City", max_length=100, required=False)
    state = forms.ChoiceField(label="State", choices=STATE_CHOICES, required=False)
    phone = forms.CharField(label="Phone", max_length=40, required=False)
    website = forms.CharField(label="Website", max_length=200, required=False)

    def entity_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("search", None)
        return data
