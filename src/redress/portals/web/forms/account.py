"""Forms of the account page: they parse input; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.conf import settings

from redress.core.errors import ApplicationError


def apply_application_error(form: forms.Form, error: ApplicationError) -> None:
    """Show a service refusal on the form: on its field when the form has one, else at the top."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.detail)


class ProfileForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    phone = forms.CharField(label="Phone", max_length=40, required=False, help_text="Optional. For your colleagues.")


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label="Token name", max_length=100, help_text="What it is for, e.g. “Complaint export script”."
    )
    days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=366,
        initial=settings.REDRESS_TOKEN_DEFAULT_DAYS,
        help_text="1 to 366 days.",
    )
