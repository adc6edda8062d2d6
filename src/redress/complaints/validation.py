"""Field checks shared by intake, editing and review; they collect every problem before refusing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from redress.core import clock
from redress.core.errors import ApplicationError

from .models import TaxonomyVersion

US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH "
    "OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP AA AE AP".split()
)
_POSTAL = re.compile(r"^\d{5}(-\d{4})?$|^\d{3}XX$")


class FieldErrors:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.items.append({"field": field, "message": message})

    def raise_if_any(self, detail: str = "Some fields need attention.") -> None:
        if self.items:
            first = self.items[0]
            raise ApplicationError("validation_error", detail, field=first["field"], errors=self.items)


def check_required(errs: FieldErrors, values: dict[str, Any], labels: dict[str, str]) -> None:
    for field, label in labels.items():
        value = values.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            errs.add(field, f"Enter the {label}.")


def check_date_not_future(errs: FieldErrors, field: str, value: dt.date | None, label: str) -> None:
    if value is not None and value > clock.today():
        errs.add(field, f"The {label} cannot be later than today.")


def check_state(errs: FieldErrors, field: str, value: str | None) -> None:
    if value and value.upper() not in US_STATES:
        errs.add(field, "Use a two-letter US state or territory code, for example MD.")


def check_postal(errs: FieldErrors, field: str, value: str | None) -> None:
    if value and not _POSTAL.match(value):
        errs.add(field, "Use a 5-digit ZIP code (or ZIP+4).")


def check_non_negative(errs: FieldErrors, field: str, value: int | None, label: str) -> None:
    if value is not None and value < 0:
        errs.add(field, f"The {label} cannot be negative.")


def check_taxonomy(
    errs: FieldErrors, taxonomy: TaxonomyVersion, product: str, sub_product: str, issue: str, sub_issue: str
) -> None:
    """The product must exist in the taxonomy, and each lower level must belong to the one above."""
    products = {p["name"]: p for p in taxonomy.tree.get("products", [])}
    entry = products.get(product)
    if entry is None:
        if product:
            errs.add("product", "Choose a product from the list.")
        return
    if sub_product and sub_product not in entry.get("sub_products", []):
        errs.add("sub_product", f"“{sub_product}” is not a sub-product of {product}.")
    issues = {i["name"]: i for i in entry.get("issues", [])}
    issue_entry = issues.get(issue)
    if issue_entry is None:
        if issue:
            errs.add("issue", f"Choose an issue that belongs to {product}.")
        return
    if sub_issue and sub_issue not in issue_entry.get("sub_issues", []):
        errs.add("sub_issue", f"“{sub_issue}” is not a sub-issue of {issue}.")
