"""Forms of the complaint pages: they parse input (dollars to cents, lines to lists); the complaint
services validate the rules and decide. Service field errors are mapped back onto these fields."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse

from redress.companies.constants import US_STATES, BusinessType
from redress.companies.models import Individual
from redress.complaints.constants import (
    ClosureReason,
    ContactMethod,
    ContactParty,
    HowReceived,
    Jurisdiction,
    ResearchKind,
    Status,
)
from redress.complaints.models import Complaint, TaxonomyVersion
from redress.complaints.services import EDITABLE_FIELDS
from redress.core.errors import ApplicationError
from redress.documents.constants import DocumentVisibility

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
STATE_CHOICES = [("", "- Select -"), *((code, f"{code} – {name}") for code, name in US_STATES.items())]
MAX_DOLLARS = Decimal("1000000000000")

# Service field names that the forms show under another name.
SERVICE_FIELDS = {
    "amount_in_dispute_cents": "amount_in_dispute",
    "monetary_relief_cents": "monetary_relief",
}


def _required(label: str) -> dict[str, str]:
    return {"required": f"Enter the {label}."}


def _choose(label: str) -> dict[str, str]:
    return {"required": f"Choose the {label}.", "invalid_choice": f"Choose the {label} from the list."}


def to_cents(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).to_integral_value())


def to_dollars(cents: int | None) -> Decimal | None:
    return None if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))


def apply_service_error(form: forms.Form, error: ApplicationError) -> None:
    """Put every field error a service reported on the matching form field (else at the top)."""
    items = error.extra.get("errors") or [{"field": error.field, "message": error.detail}]
    for item in items:
        name = SERVICE_FIELDS.get(item.get("field") or "", item.get("field"))
        form.add_error(name if name in form.fields else None, item["message"])


class MoneyField(forms.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 15)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_value", MAX_DOLLARS)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": "Enter an amount in dollars, for example 1250.00.",
                "max_decimal_places": "Enter whole cents only, for example 1250.50.",
            },
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", "").removeprefix("$")
        return super().to_python(value)


# --- intake and editing ---------------------------------------------------------------------


def taxonomy_options(taxonomy: TaxonomyVersion, product: str, issue: str) -> dict[str, list[str]]:
    """Options of the four dependent selects, narrowed by the product and issue chosen so far."""
    products = taxonomy.tree.get("products", [])
    entry = next((p for p in products if p["name"] == product), None)
    issues = entry.get("issues", []) if entry else []
    issue_entry = next((i for i in issues if i["name"] == issue), None)
    return {
        "product": [p["name"] for p in products],
        "sub_product": list(entry.get("sub_products", [])) if entry else [],
        "issue": [i["name"] for i in issues],
        "sub_issue": list(issue_entry.get("sub_issues", [])) if issue_entry else [],
    }


class ComplaintDetailsForm(forms.Form):
    """Every intake field of the complaint (the subject is chosen separately)."""

    # Complaint details
    date_received = forms.DateField(
        label="Date received", widget=DATE_WIDGET, error_messages=_required("date received")
    )
    how_received = forms.ChoiceField(
        label="How received", choices=[("", "- Select -"), *HowReceived.choices], error_messages=_choose("way received")
    )
    cfpb_id = forms.CharField(label="CFPB ID", max_length=20, required=False, help_text="Optional.")
    business_type = forms.ChoiceField(
        label="Business type",
        choices=[("", "- Select -"), *BusinessType.choices],
        error_messages=_choose("business type"),
    )
    business_activities = forms.CharField(
        label="Business activities",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional. One per line.",
    )
    product = forms.CharField(label="Product", widget=forms.Select, error_messages=_choose("product"))
    sub_product = forms.CharField(label="Sub-product", widget=forms.Select, required=False)
    issue = forms.CharField(label="Issue", widget=forms.Select, error_messages=_choose("issue"))
    sub_issue = forms.CharField(label="Sub-issue", widget=forms.Select, required=False)
    summary = forms.CharField(
        label="Complaint summary", widget=forms.Textarea(attrs={"rows": 6}), error_messages=_required("summary")
    )
    desired_outcome = forms.CharField(
        label="Customer desired outcome", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    amount_in_dispute = MoneyField(label="Amount in dispute (US dollars)", required=False, help_text="Optional.")
    sent_to_subject_on = forms.DateField(
        label="Sent to subject on", widget=DATE_WIDGET, required=False, help_text="Optional."
    )
    # Transaction details
    transaction_date = forms.DateField(label="Transaction date", widget=DATE_WIDGET, required=False)
    transaction_city = forms.CharField(label="Transaction city", max_length=100, required=False)
    transaction_state = forms.ChoiceField(label="Transaction state", choices=STATE_CHOICES, required=False)
    # Complainant details
    complainant_first_name = forms.CharField(
        label="First name", max_length=100, error_messages=_required("complainant's first name")
    )
    complainant_last_name = forms.CharField(
        label="Last name", max_length=100, error_messages=_required("complainant's last name")
    )
    complainant_street = forms.CharField(label="Street address", max_length=200, required=False)
    complainant_city = forms.CharField(label="City", max_length=100, required=False)
    complainant_state = forms.ChoiceField(label="State", choices=STATE_CHOICES, required=False)
    complainant_postal_code = forms.CharField(label="ZIP code", max_length=10, required=False)
    complainant_phone = forms.CharField(label="Phone", max_length=40, required=False)
    complainant_email = forms.EmailField(label="Email", required=False)
    restrict_complainant = forms.BooleanField(
        label="Restrict complainant details",
        required=False,
        help_text="Only complaints users of the owning agency will see the complainant's details.",
    )
    # Not in SECTIONS: rendered as its own group of checkboxes (_categories_field.html).
    categories = forms.TypedMultipleChoiceField(
        label="Categories",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Your agency's own categories; the company never sees them.",
        error_messages={"invalid_choice": "Choose categories from the list."},
    )

    SECTIONS = (
        ("Complaint details", ("date_received", "how_received", "cfpb_id", "business_type", "business_activities")),
        ("Product and issue", ("product", "sub_product", "issue", "sub_issue")),
        ("Description", ("summary", "desired_outcome", "amount_in_dispute", "sent_to_subject_on")),
        ("Transaction details", ("transaction_date", "transaction_city", "transaction_state")),
        (
            "Complainant details",
            (
                "complainant_first_name",
                "complainant_last_name",
                "complainant_street",
                "complainant_city",
                "complainant_state",
                "complainant_postal_code",
                "complainant_phone",
                "complainant_email",
                "restrict_complainant",
            ),
        ),
    )

    def __init__(
        self,
        *args: Any,
        taxonomy: TaxonomyVersion,
        category_choices: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.taxonomy = taxonomy
        self.set_taxonomy_choices()
        if category_choices:
            self.fields["categories"].choices = category_choices  # type: ignore[attr-defined]
        else:
            del self.fields["categories"]

    def _current(self, name: str) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix(name), "") or "")
        return str(self.initial.get(name, "") or "")

    def set_taxonomy_choices(self) -> None:
        options = taxonomy_options(self.taxonomy, self._current("product"), self._current("issue"))
        placeholders = {
            "product": "- Select -",
            "sub_product": "- None -" if options["sub_product"] else "- Choose a product first -",
            "issue": "- Select -" if options["issue"] else "- Choose a product first -",
            "sub_issue": "- None -" if options["sub_issue"] else "- Choose an issue first -",
        }
        for name, values in options.items():
            current = self._current(name)
            choices = [("", placeholders[name]), *((v, v) for v in values)]
            # A value from an older taxonomy stays selectable so editing never silently drops it.
            if current and current not in values:
                choices.append((current, current))
            self.fields[name].widget.choices = choices
        # htmx narrows the lower lists as soon as a product or issue is picked; without
        # JavaScript the "Update the lists" button does the same.
        narrow = {
            "hx-get": reverse("web:complaint_taxonomy_options"),
            "hx-target": "#taxonomy-fields",
            "hx-swap": "outerHTML",
            "hx-include": "#taxonomy-fields",
        }
        self.fields["product"].widget.attrs.update(narrow)
        self.fields["issue"].widget.attrs.update(narrow)

    @property
    def category_choices_shown(self) -> bool:
        return "categories" in self.fields

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def service_details(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["amount_in_dispute_cents"] = to_cents(data.pop("amount_in_dispute"))
        data["business_activities"] = [
            line.strip() for line in (data.get("business_activities") or "").splitlines() if line.strip()
        ]
        for name in ("cfpb_id", "transaction_city", "transaction_state", "complainant_state"):
            data[name] = data.get(name) or ""
        details = {k: v for k, v in data.items() if k in _DETAIL_FIELDS}
        if "categories" in self.fields:
            details["categories"] = list(data.get("categories") or [])
        return details

    @staticmethod
    def initial_from(complaint: Complaint) -> dict[str, Any]:
        initial = {name: getattr(complaint, name) for name in _DETAIL_FIELDS if hasattr(complaint, name)}
        initial["amount_in_dispute"] = to_dollars(complaint.amount_in_dispute_cents)
        initial["business_activities"] = "\n".join(complaint.business_activities or [])
        initial["categories"] = [c.pk for c in complaint.categories.all()]
        initial["version"] = complaint.version
        return initial


# The fields the complaint services accept, so the form passes on exactly what they take.
_DETAIL_FIELDS = frozenset(EDITABLE_FIELDS)


class IntakeForm(ComplaintDetailsForm):
    individual_first_name = forms.CharField(label="Individual's first name", max_length=100, required=False)
    individual_last_name = forms.CharField(label="Individual's last name", max_length=100, required=False)
    documents_visibility = forms.ChoiceField(
        label="Who may see these documents",
        choices=[
            (DocumentVisibility.AGENCY_ONLY, "Your agency only"),
            (
                DocumentVisibility.AGENCY_AND_COMPANY,
                "Your agency and the company (once the first Information Request is sent)",
            ),
        ],
        initial=DocumentVisibility.AGENCY_ONLY,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose who may see the documents."},
    )
    not_duplicate = forms.BooleanField(
        label="I have checked these complaints; this is a different complaint",
        required=False,
    )

    def __init__(self, *args: Any, individual: Individual | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.individual = individual
        if individual is None:
            del self.fields["individual_first_name"], self.fields["individual_last_name"]
            return
        # The registry's name is shown as it is; only a part the registry lacks is entered here
        # (the service fills the registry with it).
        for name, known, label in (
            ("individual_first_name", individual.first_name.strip(), "first name"),
            ("individual_last_name", individual.last_name.strip(), "last name"),
        ):
            field = self.fields[name]
            if known:
                self.initial[name] = known
                field.disabled = True
                field.help_text = "From the registry."
            else:
                field.required = True
                field.error_messages["required"] = f"Enter the individual's {label}."
                field.help_text = "The registry has no name for this individual; it is required."

    def clean_documents_visibility(self) -> str:
        return str(self.cleaned_data.get("documents_visibility") or DocumentVisibility.AGENCY_ONLY)

    def individual_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("individual_first_name", "individual_last_name") if name in self.fields]

    def individual_name(self) -> dict[str, str]:
        """The name for ``complaint_create`` (empty unless the subject is an individual)."""
        return {
            name: self.cleaned_data.get(name) or ""
            for name in ("individual_first_name", "individual_last_name")
            if name in self.fields
        }


class EditDetailsForm(ComplaintDetailsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


# --- subject ------------------------------------------------------------------------------------


class SubjectChangeForm(forms.Form):
    subject = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)


# --- actions --------------------------------------------------------------------------------------


class PocForm(forms.Form):
    agency_poc = forms.TypedChoiceField(
        label="Agency POC",
        coerce=int,
        error_messages=_choose("Agency POC"),
        help_text="Each name shows how many open complaints that person already handles.",
        widget=forms.RadioSelect,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency_poc"].choices = candidates  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label="Close reason",
        choices=[("", "- Select -"), *ClosureReason.choices],
        error_messages=_choose("close reason"),
    )
    monetary_relief = MoneyField(
        label="Monetary relief amount (US dollars)",
        required=False,
        help_text="Required when the reason is Closed with Monetary Relief.",
    )
    relief_paid_on = forms.DateField(
        label="Monetary relief payment date",
        widget=DATE_WIDGET,
        required=False,
        help_text="Required when the reason is Closed with Monetary Relief.",
    )
    referred_to_agency_name = forms.CharField(
        label="Referred-to state agency",
        max_length=200,
        required=False,
        help_text="Required when the reason is Referred to other State Agency.",
    )
    internal_notes = forms.CharField(
        label="Internal closure notes",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Seen by your agency only.",
    )
    share_with_company = forms.BooleanField(
        label="Share closure comments and documents with the company",
        required=False,
        help_text="The company sees the comments and the closure documents below as its Closure Materials; "
        "internal notes are never shared.",
    )
    comments_to_company = forms.CharField(
        label="Comments to the company",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Required when sharing with the company.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, pending: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if pending:
            self.fields["reason"].help_text = (
                "A complaint in preliminary review can only be closed as Duplicate, Invalid, "
                "or Referred to other State Agency."
            )

    def service_closure(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["monetary_relief_cents"] = to_cents(data.pop("monetary_relief"))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 4}), error_messages=_required("reason")
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CancelForm(ReasonForm):
    confirm = forms.BooleanField(
        label="I understand that nothing more can be done on a canceled complaint",
        error_messages={"required": "Confirm that you want to cancel the complaint."},
    )


class ResearchEntryForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=ResearchKind.choices, widget=forms.RadioSelect)
    method = forms.ChoiceField(
        label="Method",
        choices=[("", "- Not applicable -"), *ContactMethod.choices],
        required=False,
        help_text="Required for a communication.",
    )
    party = forms.ChoiceField(label="With", choices=ContactParty.choices, initial=ContactParty.NONE)
    occurred_on = forms.DateField(label="Date", widget=DATE_WIDGET, error_messages=_required("date"))
    description = forms.CharField(
        label="Description", widget=forms.Textarea(attrs={"rows": 4}), error_messages=_required("description")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ViolationForm(forms.Form):
    jurisdiction = forms.ChoiceField(
        label="Jurisdiction", choices=[("", "- Not specified -"), *Jurisdiction.choices], required=False
    )
    citation = forms.CharField(
        label="Statute or regulation", max_length=300, required=False, help_text="Optional, if applicable."
    )
    description = forms.CharField(
        label="Description", widget=forms.Textarea(attrs={"rows": 3}), error_messages=_required("description")
    )


# --- list -------------------------------------------------------------------------------------

OPEN_ANY = "any_open"
SORTS = {
    "-received": "Newest received first",
    "received": "Oldest received first",
    "-ref": "Complaint ID, descending",
    "ref": "Complaint ID, ascending",
    "subject": "Subject name, A–Z",
}


class ComplaintFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        max_length=200,
        required=False,
        help_text="Complaint ID, CFPB ID, complainant last name or subject.",
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any"), (OPEN_ANY, "Any open status"), *Status.choices]
    )
    agency_poc = forms.TypedChoiceField(label="Agency POC", required=False, coerce=int, empty_value=None)
    company = forms.CharField(label="Company ID or NMLS ID", max_length=40, required=False)
    product = forms.ChoiceField(label="Product", required=False)
    issue = forms.ChoiceField(label="Issue", required=False)
    how_received = forms.ChoiceField(label="How received", required=False, choices=[("", "Any"), *HowReceived.choices])
    business_type = forms.ChoiceField(
        label="Business type", required=False, choices=[("", "Any"), *BusinessType.choices]
    )
    closure_reason = forms.ChoiceField(
        label="Closure reason",
        required=False,
        choices=[("", "Any"), *ClosureReason.choices],
        help_text="The reason of the latest closure.",
    )
    overdue_ir = forms.BooleanField(label="Only complaints with an overdue information request", required=False)
    category = forms.TypedChoiceField(label="Category", required=False, coerce=int, empty_value=None)
    received_from = forms.DateField(label="Received from", widget=DATE_WIDGET, required=False)
    received_to = forms.DateField(label="Received to", widget=DATE_WIDGET, required=False)
    closed_from = forms.DateField(label="Closed from", widget=DATE_WIDGET, required=False)
    closed_to = forms.DateField(label="Closed to", widget=DATE_WIDGET, required=False)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=list(SORTS.items()))

    def __init__(
        self,
        *args: Any,
        taxonomy: TaxonomyVersion | None,
        pocs: list[tuple[int, str]],
        categories: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "Any"), *(categories or [])]  # type: ignore[attr-defined]
        products = taxonomy.tree.get("products", []) if taxonomy else []
        issues = sorted({i["name"] for p in products for i in p.get("issues", [])})
        self.fields["product"].choices = [("", "Any"), *((p["name"], p["name"]) for p in products)]  # type: ignore[attr-defined]
        self.fields["issue"].choices = [("", "Any"), *((i, i) for i in issues)]  # type: ignore[attr-defined]
        self.fields["agency_poc"].choices = [("", "Anyone"), *pocs]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for low, high in (("received_from", "received_to"), ("closed_from", "closed_to")):
            a: dt.date | None = data.get(low)
            b: dt.date | None = data.get(high)
            if a and b and a > b:
                self.add_error(high, "The end date must be on or after the start date.")
        return data
