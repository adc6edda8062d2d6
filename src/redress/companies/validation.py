"""Normalising and checking company fields, shared by the services and the CSV importer.

Invariants:
- Each function either returns the canonical stored form or raises ApplicationError with a
  stable code and the field name, so a form, the API and the import report say the same thing.
- Text is stored literally (no escaping, no formula stripping): spreadsheet safety is applied
  when the system writes CSV, never by altering what the user entered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from redress.core.errors import ApplicationError

from .constants import MAX_OTHER_NAMES, US_STATES, BusinessType

_NMLS_RE = re.compile(r"^[0-9]{1,12}$")
_POSTAL_RE = re.compile(r"^[0-9]{5}(-[0-9]{4})?$")
_PHONE_RE = re.compile(r"^[0-9+()./ x-]{7,40}$", re.IGNORECASE)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_URL = URLValidator(schemes=["http", "https"])


def clean_text(value: str | None, *, field: str, max_length: int, required: bool = False, label: str = "") -> str:
    text = (value or "").strip()
    name = label or field.replace("_", " ").capitalize()
    if required and not text:
        raise ApplicationError("required", f"{name} is required.", field=field)
    if len(text) > max_length:
        raise ApplicationError("too_long", f"{name} must be at most {max_length} characters.", field=field)
    if _CONTROL_RE.search(text):
        raise ApplicationError("invalid_characters", f"{name} contains control characters.", field=field)
    return text


def clean_nmls_id(value: str | None, *, field: str = "nmls_id") -> str | None:
    """Digits only; leading zeros dropped so "0123" and "123" are the same ID. Blank means none."""
    text = (value or "").strip()
    if not text:
        return None
    if not _NMLS_RE.match(text) or int(text) == 0:
        raise ApplicationError("invalid_nmls_id", "An NMLS ID is 1 to 12 digits, for example 2739.", field=field)
    return str(int(text))


def clean_state(value: str | None, *, field: str = "state") -> str:
    text = (value or "").strip().upper()
    if text and text not in US_STATES:
        raise ApplicationError("invalid_state", "Use a two-letter US state or territory code, e.g. MD.", field=field)
    return text


def clean_postal_code(value: str | None, *, field: str = "postal_code") -> str:
    text = (value or "").strip()
    if text and not _POSTAL_RE.match(text):
        raise ApplicationError("invalid_postal_code", "Use a ZIP code such as 21201 or 21201-1234.", field=field)
    return text


def clean_phone(value: str | None, *, field: str = "phone") -> str:
    text = (value or "").strip()
    if text and (not _PHONE_RE.match(text) or sum(ch.isdigit() for ch in text) < 7):
        raise ApplicationError("invalid_phone", "Enter a phone number such as 410-555-0100.", field=field)
    return text


def clean_website(value: str | None, *, field: str = "website") -> str:
    text = (value or "").strip()
    if not text:
        return ""
    if "://" not in text:
        text = "https://" + text
    try:
        _URL(text)
    except ValidationError:
        raise ApplicationError("invalid_website", "Enter a web address such as www.example.com.", field=field) from None
    if len(text) > 200:
        raise ApplicationError("too_long", "Website must be at most 200 characters.", field=field)
    return text


def clean_email(value: str | None, *, field: str = "email") -> str:
    text = (value or "").strip().lower()
    try:
        validate_email(text)
    except ValidationError:
        raise ApplicationError("invalid_email", "Enter a valid email address.", field=field) from None
    return text


def _business_type_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for choice in BusinessType:
        lookup[choice.value.lower()] = choice.value
        lookup[str(choice.label).lower()] = choice.value
    return lookup


def clean_business_types(values: Iterable[str], *, field: str = "business_types") -> list[str]:
    """Accept codes or labels in any case; return sorted, unique codes."""
    lookup = _business_type_lookup()
    codes: set[str] = set()
    for raw in values:
        key = raw.strip().lower()
        if not key:
            continue
        if key not in lookup:
            raise ApplicationError("invalid_business_type", f"Unknown business type: {raw.strip()}.", field=field)
        codes.add(lookup[key])
    return sorted(codes)


def clean_other_names(values: Iterable[str], *, legal_name: str = "", field: str = "other_names") -> list[str]:
    """Trimmed, without blanks, case-insensitive duplicates or a repeat of the legal name."""
    names: list[str] = []
    seen = {legal_name.strip().casefold()} if legal_name else set()
    for raw in values:
        name = clean_text(raw, field=field, max_length=300, label="Other name")
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    if len(names) > MAX_OTHER_NAMES:
        raise ApplicationError("too_many_other_names", f"At most {MAX_OTHER_NAMES} other names.", field=field)
    return names


def split_list(value: str | None) -> list[str]:
    """Split a semicolon-separated cell (or form field); newlines count as separators too."""
    text = (value or "").replace("\r", "").replace("\n", ";")
    return [part.strip() for part in text.split(";") if part.strip()]
