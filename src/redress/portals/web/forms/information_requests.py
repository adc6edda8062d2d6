"""Forms of the agency's Information Request pages and the IR Response Activity report. They
parse input; the IR services check every rule (future due dates, lengths, transitions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from redress.information_requests.constants import MAX_TITLE_LENGTH, IRStatus

from .complaints import DATE_WIDGET

_DATE_ERRORS = {"invalid": "Enter the date as a real date, for example 2026-06-15."}


def _due(label: str = "Due date", *, required: bool = True, help_text: str = "") -> forms.DateField:
    errors = {"required": f"Enter the {label.lower()}.", **_DATE_ERRORS}
    return forms.DateField(
        label=label, widget=DATE_WIDGET, required=required, error_messages=errors, help_text=help_text
    )


class IRCreateForm(forms.Form):
    title = forms.CharField(label="Title", max_length=MAX_TITLE_LENGTH, error_messages={"required": "Enter the title."})
    description = forms.CharField(
        label="Request to the company",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the request text."},
        help_text="It cannot be changed once the request is sent.",
    )
    due_date = _due(required=False, help_text="Optional now; every request needs a future due date to be sent.")


class IRSelectionForm(forms.Form):
    """The list's selection: bulk due date, or go to the send screen with the chosen requests."""

    refs = forms.MultipleChoiceField(
        label="Information requests", error_messages={"required": "Choose at least one information request."}
    )
    due_date = _due("Due date for the selected requests", required=False)
    action = forms.ChoiceField(choices=[("due_date", "Set due date"), ("send", "Send selected")])

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["refs"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "due_date" and not data.get("due_date") and "due_date" not in self.errors:
            self.add_error("due_date", "Enter the due date for the selected requests.")
        return data


class IRSendForm(forms.Form):
    refs = forms.MultipleChoiceField(
        label="Information requests to send",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one information request to send."},
    )
    comment = forms.CharField(
        label="Commentary to the company",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Optional. Sent with the requests.",
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["refs"].choices = choices  # type: ignore[attr-defined]


class IRCommentForm(forms.Form):
    title = forms.CharField(
        label="Subject line", max_length=MAX_TITLE_LENGTH, error_messages={"required": "Enter the subject line."}
    )
    text = forms.CharField(
        label="Comment to the company",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the comment."},
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ExtendForm(VersionForm):
    due_date = _due("New due date", help_text="Later than the current due date. The original due date is kept.")


class CancelIRForm(VersionForm):
    reason = forms.CharField(
        label="Reason (kept in the record; not sent to the company)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    confirm = forms.BooleanField(
        label="I understand the company will be told this request is canceled.",
        error_messages={"required": "Confirm that you want to cancel this request."},
    )


class SendBackForm(VersionForm):
    due_date = _due("New due date")
    explanation = forms.CharField(
        label="Explanation to the company",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the explanation."},
    )


class QuickLookForm(VersionForm):
    complete = forms.TypedChoiceField(choices=[("1", "Mark"), ("0", "Clear")], coerce=lambda v: v == "1")


class IRSearchForm(forms.Form):
    q = forms.CharField(
        label="Search requests and responses",
        max_length=200,
        required=False,
        help_text="Words from a title, request or response.",
    )


TIMELINESS = [("", "Timely and late"), ("timely", "Timely only"), ("late", "Late only")]


class ActivityFilterForm(forms.Form):
    date_from = forms.DateField(label="Responses from", widget=DATE_WIDGET, required=False, error_messages=_DATE_ERRORS)
    date_to = forms.DateField(label="Responses to", widget=DATE_WIDGET, required=False, error_messages=_DATE_ERRORS)
    company = forms.CharField(label="Company ID or NMLS ID", max_length=40, required=False)
    agency_poc = forms.TypedChoiceField(label="Agency POC", required=False, coerce=int, empty_value=None)
    ir_status = forms.ChoiceField(label="IR status", required=False, choices=[("", "Any"), *IRStatus.choices])
    timeliness = forms.ChoiceField(label="Timeliness", required=False, choices=TIMELINESS)

    def __init__(self, *args: Any, pocs: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency_poc"].choices = [("", "Anyone"), *pocs]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return data
