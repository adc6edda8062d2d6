"""The Complaints Reports filter form. It parses input; the report selector checks the rules again
(date order, known values), so a hand-made URL can do no more than the form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from redress.companies.constants import BusinessType
from redress.complaints.report_selectors import CLOSURES_BY_CLOSED, CLOSURES_BY_RECEIVED

from .complaints import DATE_WIDGET

_DATE_ERRORS = {"invalid": "Enter the date as a real date, for example 2026-06-15."}
CLOSURES_BY_CHOICES = [
    (CLOSURES_BY_RECEIVED, "Date received: closed complaints among those received in the range"),
    (CLOSURES_BY_CLOSED, "Date closed: complaints whose latest closure falls in the range, whenever received"),
]
TOP_SUBJECT_CHOICES = [(10, "10"), (25, "25"), (50, "50")]
DEFAULTS = {"closures_by": CLOSURES_BY_RECEIVED, "top_subjects": "10"}


class ComplaintReportForm(forms.Form):
    date_from = forms.DateField(label="Received from", widget=DATE_WIDGET, required=False, error_messages=_DATE_ERRORS)
    date_to = forms.DateField(label="Received to", widget=DATE_WIDGET, required=False, error_messages=_DATE_ERRORS)
    closures_by = forms.ChoiceField(
        label="Count closure reasons and monetary relief by",
        choices=CLOSURES_BY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how to count closures.", "invalid_choice": "Choose how to count closures."},
    )
    agency_poc = forms.TypedChoiceField(label="Agency POC", required=False, coerce=int, empty_value=None)
    business_type = forms.ChoiceField(
        label="Business type", required=False, choices=[("", "Any"), *BusinessType.choices]
    )
    product = forms.ChoiceField(label="Product", required=False)
    top_subjects = forms.TypedChoiceField(
        label="Subjects listed by name", choices=TOP_SUBJECT_CHOICES, coerce=int, required=False
    )

    def __init__(self, *args: Any, pocs: list[tuple[int, str]], products: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency_poc"].choices = [("", "Anyone"), *pocs]  # type: ignore[attr-defined]
        self.fields["product"].choices = [("", "Any"), *((p, p) for p in products)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return data
