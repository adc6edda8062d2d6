"""Forms of company enrollment and agency communications: they parse input; services decide."""

from __future__ import annotations

from django import forms

from redress.companies.communications import TARGET_MODES
from redress.companies.constants import BusinessType


class EnrollmentStartForm(forms.Form):
    full_name = forms.CharField(label="First user's full name", max_length=200)
    email = forms.EmailField(label="First user's email address", help_text="The invitation link is sent here.")
    phone = forms.CharField(label="Phone", max_length=40, required=False, help_text="Optional.")


class EnrollmentAcceptForm(forms.Form):
    password1 = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="Password (again)", widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "The two passwords do not match.")
        return data


class EnrollmentContactForm(forms.Form):
    """Name an existing user with Manage access, or a new colleague who is added as one."""

    user = forms.TypedChoiceField(
        label="Complaints Contact", coerce=int, required=False, widget=forms.RadioSelect, empty_value=None
    )
    new_full_name = forms.CharField(label="Colleague's full name", max_length=200, required=False)
    new_email = forms.EmailField(label="Colleague's email address", required=False)

    def __init__(self, *args: object, candidates: list[tuple[int, str]] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["user"].choices = [*(candidates or []), (0, "Someone else: add a colleague below")]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        choice = data.get("user")
        if choice is None:
            self.add_error("user", "Choose who will be the Complaints Contact.")
        elif choice == 0:
            if not data.get("new_full_name"):
                self.add_error("new_full_name", "Enter your colleague's full name.")
            if not data.get("new_email"):
                self.add_error("new_email", "Enter your colleague's email address.")
        return data


class TemplateForm(forms.Form):
    name = forms.CharField(label="Template name", max_length=120)
    subject = forms.CharField(label="Email subject", max_length=200)
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 16}),
        strip=False,
        help_text="Plain text. You can use {{company_name}}, {{agency_name}} and {{portal_url}}.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SendForm(forms.Form):
    mode = forms.ChoiceField(
        label="Send to", choices=list(TARGET_MODES.items()), widget=forms.RadioSelect, initial="all"
    )
    business_type = forms.ChoiceField(
        label="Business type",
        choices=[("", "— Choose —"), *BusinessType.choices],
        required=False,
        help_text="Used when sending by business type.",
    )
    company_ids = forms.TypedMultipleChoiceField(
        label="Companies",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Used when picking companies.",
    )

    def __init__(self, *args: object, companies: list[tuple[int, str]] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["company_ids"].choices = companies or []  # type: ignore[attr-defined]
