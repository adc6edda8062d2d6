"""Forms of the company pages. They parse input; every rule lives in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from redress.accounts.models import User
from redress.complaints.constants import Status
from redress.information_requests.constants import MAX_TEXT_LENGTH

_NO_NUL = "The text contains a character that is not allowed."


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise forms.ValidationError(_NO_NUL)
    return value


class ComplaintFilterForm(forms.Form):
    q = forms.CharField(label="Complaint ID", required=False, max_length=20)
    agency = forms.TypedChoiceField(label="Agency", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Open and closed"), ("open", "Open"), ("closed", "Closed"), (Status.CANCELED, "Canceled")],
    )
    due = forms.ChoiceField(
        label="Information requests",
        required=False,
        choices=[("", "Any"), ("soon", "Due within 7 days"), ("overdue", "Overdue")],
    )

    def __init__(self, *args: Any, agencies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "All agencies"), *agencies]  # type: ignore[attr-defined]

    def clean_q(self) -> str:
        return _clean_text(self.cleaned_data["q"]).strip()


class AssignPocForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=999_999_999)
    company_poc = forms.TypedChoiceField(label="Company Point of Contact", coerce=int)

    def __init__(self, *args: Any, candidates: list[User], current: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["company_poc"]
        field.choices = [("", "- Choose a user -")] + [  # type: ignore[attr-defined]
            (u.pk, u.full_name or u.email) for u in candidates
        ]
        field.help_text = "Only users of your company with the Manage complaints permission can be chosen."
        field.error_messages["required"] = "Choose the Company Point of Contact."
        field.error_messages["invalid_choice"] = "Choose a user from the list."
        if current is not None and not self.is_bound:
            self.initial["company_poc"] = current


class ResponseForm(forms.Form):
    ACTIONS = (("save", "Save draft"), ("send_to_poc", "Send to Company POC"), ("submit", "Submit to the agency"))

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=999_999_999)
    text = forms.CharField(
        label="Response",
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        strip=True,
    )
    hidden = forms.BooleanField(
        label="Hide this response from other company users",
        required=False,
        help_text="Only you, the Company POC and the agency will see it.",
    )
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput, required=False)

    def clean_text(self) -> str:
        return _clean_text(self.cleaned_data["text"])

    def clean_action(self) -> str:
        return self.cleaned_data["action"] or "save"


class SendBackRequestForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=999_999_999)
    reason = forms.CharField(
        label="Why should the agency send the response back?",
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The agency receives your reason by email.",
        error_messages={"required": "Enter the reason for the request."},
    )

    def clean_reason(self) -> str:
        return _clean_text(self.cleaned_data["reason"])
