"""Forms of referrals and access requests between agencies."""

from __future__ import annotations

from typing import Any

from django import forms

from redress.complaints.constants import Status

COMMENT_WIDGET = forms.Textarea(attrs={"rows": 4, "maxlength": "10000"})


def _comment(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=10_000,
        widget=COMMENT_WIDGET,
        help_text=help_text,
        error_messages={"required": "Enter a comment.", "max_length": "Keep the comment under 10,000 characters."},
    )


class ReferForm(forms.Form):
    to_agency = forms.TypedChoiceField(
        label="Agency to refer to",
        coerce=int,
        error_messages={"required": "Choose the agency to refer the complaint to."},
    )
    comment = _comment("Comment for the receiving agency (optional)")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, agencies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].choices = [("", "- Choose an agency -"), *agencies]  # type: ignore[attr-defined]


class ReferralDecisionForm(forms.Form):
    comment = _comment("Comment (optional)")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, comment_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if comment_required:
            self.fields["comment"].required = True
            self.fields["comment"].label = "Why are you rejecting the referral?"


class AccessRequestForm(forms.Form):
    comment = _comment("Why does your agency need access? (optional)")


class AccessDecisionForm(forms.Form):
    comment = _comment("Comment (optional)")


class BasicFilterForm(forms.Form):
    q = forms.CharField(label="Complaint ID, subject name or NMLS ID", required=False, max_length=200)
    agency = forms.TypedChoiceField(label="Owning agency", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "- Any status -"), *Status.choices])

    def __init__(self, *args: Any, agencies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "- Any agency -"), *agencies]  # type: ignore[attr-defined]
