"""Forms of the company registry pages: they parse input; the company services validate and decide."""

from __future__ import annotations

from django import forms

from redress.companies.constants import US_STATES, BusinessType, ComplaintsAccess

_STATE_CHOICES = [("", "Any state"), *sorted(US_STATES.items())]
_STATE_FIELD_CHOICES = [("", "— None —"), *[(code, f"{code} – {name}") for code, name in sorted(US_STATES.items())]]


class CompanySearchForm(forms.Form):
    q = forms.CharField(label="Company name", max_length=200, required=False, help_text="Legal or other name.")
    nmls_id = forms.CharField(label="NMLS ID", max_length=20, required=False)
    company_ref = forms.CharField(label="Company ID", max_length=20, required=False, help_text="For example CO-000123.")
    state = forms.ChoiceField(label="State", choices=_STATE_CHOICES, required=False)
    business_type = forms.ChoiceField(
        label="Business type", choices=[("", "Any business type"), *BusinessType.choices], required=False
    )
    supervised = forms.BooleanField(label="Only companies my agency supervises", required=False)


class CompanyForm(forms.Form):
    """Registry fields first; views drop them for users who may only edit contact details."""

    legal_name = forms.CharField(label="Legal name", max_length=300)
    nmls_id = forms.CharField(label="NMLS ID", max_length=20, required=False, help_text="Digits only.")
    other_names = forms.CharField(
        label="Other names",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Trade or former names, one per line.",
    )
    business_types = forms.MultipleChoiceField(
        label="Business types", choices=BusinessType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    street = forms.CharField(label="Street address", max_length=200, required=False)
    city = forms.CharField(label="City", max_length=100, required=False)
    state = forms.ChoiceField(label="State", choices=_STATE_FIELD_CHOICES, required=False)
    postal_code = forms.CharField(label="ZIP code", max_length=10, required=False)
    phone = forms.CharField(label="Phone", max_length=40, required=False)
    website = forms.CharField(label="Website", max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    REGISTRY_FIELDS = ("legal_name", "nmls_id", "other_names", "business_types")

    def __init__(self, *args: object, registry: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not registry:
            for name in self.REGISTRY_FIELDS:
                del self.fields[name]

    def service_values(self) -> dict[str, object]:
        values = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        if "other_names" in values:
            values["other_names"] = [line for line in str(values["other_names"]).splitlines() if line.strip()]
        return values


class CompanyImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="UTF-8 CSV with a header row, at most 5 MB.")


class CompanyUserCreateForm(forms.Form):
    email = forms.EmailField(label="Email address", help_text="They sign in with this address.")
    full_name = forms.CharField(label="Full name", max_length=200)
    complaints_access = forms.ChoiceField(
        label="Complaints access", choices=ComplaintsAccess.choices, widget=forms.RadioSelect, initial="none"
    )
    is_account_admin = forms.BooleanField(
        label="Account administrator", required=False, help_text="May manage this company's users and profile."
    )


class CompanyUserEditForm(forms.Form):
    complaints_access = forms.ChoiceField(
        label="Complaints access", choices=ComplaintsAccess.choices, widget=forms.RadioSelect
    )
    is_account_admin = forms.BooleanField(label="Account administrator", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ComplaintsContactForm(forms.Form):
    user = forms.TypedChoiceField(label="Complaints Contact", coerce=int, help_text="Only users with Manage access.")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: object, candidates: list[tuple[int, str]] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["user"].choices = [("", "— Choose a user —"), *(candidates or [])]  # type: ignore[attr-defined]


class NotificationAddressForm(forms.Form):
    email = forms.EmailField(label="Notification address", help_text="A shared mailbox that also gets key notices.")


class BranchForm(forms.Form):
    name = forms.CharField(label="Branch name", max_length=300)
    nmls_id = forms.CharField(label="Branch NMLS ID", max_length=20, required=False)
    city = forms.CharField(label="City", max_length=100, required=False)
    state = forms.ChoiceField(label="State", choices=_STATE_FIELD_CHOICES, required=False)


class IndividualForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    nmls_id = forms.CharField(label="Individual NMLS ID", max_length=20, required=False)


class LicenseForm(forms.Form):
    license_number = forms.CharField(label="Licence number", max_length=60)
    license_type = forms.CharField(label="Licence type", max_length=120, required=False)
