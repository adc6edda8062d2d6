"""Forms of the agency administration pages: they parse input; the services validate and decide."""

from __future__ import annotations

from django import forms

from redress.agencies.constants import NO_COMPLAINTS_ROLE, NO_COMPLAINTS_ROLE_LABEL, ComplaintsRole

_ROLE_HELP = (
    "Supervisors and Managers handle complaints; Viewers read them. Someone with no complaints role "
    "works on supervisory activities only and does not see complaints at all. "
    "Account administration is separate and can be given to anyone."
)

# The radio needs a non-empty value: an empty one would read as "nothing chosen". The form
# turns it into the stored value for "no complaints role".
NO_ROLE_CHOICE = "none"
ROLE_CHOICES = [*ComplaintsRole.choices, (NO_ROLE_CHOICE, NO_COMPLAINTS_ROLE_LABEL)]


def role_choice(complaints_role: str) -> str:
    """The radio value showing a stored complaints role."""
    return complaints_role or NO_ROLE_CHOICE


class _RoleField(forms.ChoiceField):
    def __init__(self) -> None:
        super().__init__(
            label="Complaints role",
            choices=ROLE_CHOICES,
            help_text=_ROLE_HELP,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose a complaints role, or no complaints role."},
        )

    def clean(self, value: object) -> str:
        cleaned = super().clean(value)
        return NO_COMPLAINTS_ROLE if cleaned == NO_ROLE_CHOICE else str(cleaned)


class AgencyCreateForm(forms.Form):
    code = forms.CharField(label="Agency code", max_length=20, help_text="2–20 capital letters, digits or hyphens.")
    name = forms.CharField(label="Agency name", max_length=200)
    state = forms.CharField(label="State", max_length=2, help_text="Two-letter postal code, e.g. MD.")
    contact_email = forms.EmailField(label="Contact email", required=False)
    managers_can_send_irs = forms.BooleanField(label="Complaint Managers may send Information Requests", required=False)
    document_retention_years = forms.IntegerField(
        label="Document retention (years)", min_value=1, max_value=100, initial=6
    )


class AgencySettingsForm(forms.Form):
    name = forms.CharField(label="Agency name", max_length=200)
    contact_email = forms.EmailField(label="Contact email", required=False)
    managers_can_send_irs = forms.BooleanField(label="Complaint Managers may send Information Requests", required=False)
    document_retention_years = forms.IntegerField(label="Document retention (years)", min_value=1, max_value=100)
    ir_reminder_days_before = forms.IntegerField(
        label="Automatic IR reminders (days before the due date)",
        min_value=0,
        max_value=60,
        help_text="0 sends reminders only once an IR is overdue.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AgencyUserCreateForm(forms.Form):
    email = forms.EmailField(label="Email address", help_text="They sign in with this address.")
    full_name = forms.CharField(label="Full name", max_length=200)
    title = forms.CharField(label="Job title", max_length=120, required=False)
    complaints_role = _RoleField()
    is_account_admin = forms.BooleanField(
        label="Account administrator", required=False, help_text="May manage this agency's users and settings."
    )


class AgencyUserEditForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    title = forms.CharField(label="Job title", max_length=120, required=False)
    complaints_role = _RoleField()
    is_account_admin = forms.BooleanField(
        label="Account administrator", required=False, help_text="May manage this agency's users and settings."
    )
    is_active = forms.BooleanField(
        label="Active", required=False, help_text="Inactive users cannot sign in; their history is kept."
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
