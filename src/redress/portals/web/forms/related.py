"""Forms of a complaint's related items and of supervisory activities. They only parse input;
which identifier must be given, and whether it exists, is decided by the services."""

from __future__ import annotations

from django import forms

from redress.companies.constants import US_STATES
from redress.complaints.models import SupervisoryActivity
from redress.complaints.related import Kind

_STATE_CHOICES = [("", "— None —"), *[(code, f"{code} – {name}") for code, name in sorted(US_STATES.items())]]


def _text(
    label: str, max_length: int, *, required: bool = False, help_text: str = "", input_type: str = "text"
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"type": input_type}),
        error_messages={
            "required": f"Enter the {label}.",
            "max_length": f"Keep the {label} to {max_length} characters.",
        },
    )


class RelatedComplaintForm(forms.Form):
    related_ref = _text(
        "Complaint ID", 20, required=True, help_text="A complaint of your agency, e.g. CMP-2026-000123."
    )


class RelatedCompanyForm(forms.Form):
    nmls_id = _text("NMLS ID", 20)
    company_ref = _text("Company ID", 20, help_text="Or, for a company without an NMLS ID, e.g. CO-000123.")


class RelatedIndividualForm(forms.Form):
    nmls_id = _text("NMLS ID", 20, help_text="Digits only. Or give the first and last name.")
    first_name = _text("First name", 100)
    last_name = _text("Last name", 100)


class RelatedEntityForm(forms.Form):
    tracking_number = _text("Entity Tracking Number", 20, required=True)


class RelatedActivityForm(forms.Form):
    activity_ref = _text("Supervisory activity ID", 20, required=True, help_text="For example SA-000123.")


class AgentLocationForm(forms.Form):
    agent_name = _text("Agent name", 200, required=True)
    street = _text("Street address", 200)
    city = _text("City", 100)
    state = forms.ChoiceField(label="State", choices=_STATE_CHOICES, required=False)
    postal_code = _text("ZIP code", 10)
    phone = _text("Phone", 40, input_type="tel")
    email = _text("Email", 254, input_type="email")


# One form per kind of related item; the kind doubles as the form prefix so that the six forms
# of the Related items tab never share an element id.
RELATED_FORMS: dict[str, type[forms.Form]] = {
    Kind.COMPLAINT: RelatedComplaintForm,
    Kind.COMPANY: RelatedCompanyForm,
    Kind.INDIVIDUAL: RelatedIndividualForm,
    Kind.NON_NMLS_ENTITY: RelatedEntityForm,
    Kind.SUPERVISORY_ACTIVITY: RelatedActivityForm,
    Kind.AGENT_LOCATION: AgentLocationForm,
}


class SupervisoryActivityForm(forms.Form):
    activity_type = forms.ChoiceField(
        label="Type",
        choices=SupervisoryActivity.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type.", "invalid_choice": "Choose the type from the list."},
    )
    name = _text("Name", 200, help_text="Optional, e.g. “2026 mortgage servicing exam”.")
    status = forms.ChoiceField(
        label="Status",
        choices=SupervisoryActivity.State.choices,
        initial=SupervisoryActivity.State.SCHEDULED,
        error_messages={"invalid_choice": "Choose the status from the list."},
    )
    nmls_id = _text("Company NMLS ID", 20, help_text="Optional: the company the activity concerns.")
    company_ref = _text("Company ID", 20, help_text="Or the Company ID, e.g. CO-000123.")


class SupervisoryActivityEditForm(SupervisoryActivityForm):
    """The same fields; both company fields left empty mean the activity concerns no company."""

    nmls_id = _text("Company NMLS ID", 20, help_text="The company the activity concerns; leave both empty for none.")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=999_999_999)


class LinkComplaintForm(forms.Form):
    complaint_ref = _text(
        "Complaint ID", 20, required=True, help_text="A complaint of your agency, e.g. CMP-2026-000123."
    )
