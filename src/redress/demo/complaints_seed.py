"""Demo complaints from real CFPB records, entered through the complaint services.

Invariants:
- Every complaint is created and moved through its lifecycle by the services
  (``complaint_create``, ``complaint_complete_review``, ``complaint_close``, ``complaint_reopen``,
  ``complaint_cancel``), so it obeys the same rules and leaves the same audit trail as real use.
- Idempotent: a record whose CFPB Complaint ID the agency already holds is skipped.
- Deterministic: a record's status path, names and amounts follow from its Complaint ID.
- Received dates keep the records' order but are moved into the last two years (ending
  yesterday); closures happen "today", as the services date them, so they always follow receipt.
- A record whose product / issue pair is one of the agency's active categories carries it.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from redress.accounts.models import User
from redress.agencies.models import Agency
from redress.companies.constants import BusinessType
from redress.companies.models import Company
from redress.companies.services import company_create, supervision_mark
from redress.complaints.categories import category_list_for, pair_name
from redress.complaints.constants import ClosureReason, HowReceived
from redress.complaints.models import Referral
from redress.complaints.selectors import complaint_list_for
from redress.complaints.services import (
    complaint_cancel,
    complaint_close,
    complaint_complete_review,
    complaint_create,
    complaint_reopen,
)
from redress.core import clock

DATA_FILE = Path(__file__).resolve().parent / "data" / "cfpb_complaints_sample.csv"
WINDOW_DAYS = 730

HOW_RECEIVED = {
    "Web": HowReceived.WEB,
    "Referral": HowReceived.REFERRAL,
    "Phone": HowReceived.PHONE,
    "Postal mail": HowReceived.MAIL,
    "Fax": HowReceived.MAIL,
    "Email": HowReceived.EMAIL,
}

_BUSINESS_TYPE_BY_WORD = (
    ("mortgage", BusinessType.MORTGAGE_SERVICING),
    ("debt", BusinessType.DEBT),
    ("money transfer", BusinessType.MONEY_SERVICE_BUSINESS),
    ("prepaid", BusinessType.MONEY_SERVICE_BUSINESS),
    ("bank account", BusinessType.COMMERCIAL_BANK),
    ("checking", BusinessType.COMMERCIAL_BANK),
    ("credit card", BusinessType.COMMERCIAL_BANK),
)

FIRST_NAMES = ("Avery", "Jordan", "Riley", "Casey", "Morgan", "Taylor", "Jamie", "Quinn", "Drew", "Reese", "Parker")
LAST_NAMES = ("Nguyen", "Okafor", "Garcia", "Smith", "Kowalski", "Haddad", "Johnson", "Chen", "Brown", "Silva", "Patel")

# Lifecycle by Complaint ID modulo 20: every status is represented.
_PENDING = {0, 1}
_REVIEW_CLOSED = {2}
_REVIEWED = {3}
_CLOSED = {10, 11, 12, 13, 14, 15, 19}
_REOPENED = {16}
_RECLOSED = {17}
_CANCELED = {18}
_CLOSE_REASONS = (
    ClosureReason.CLOSED_WITH_EXPLANATION,
    ClosureReason.MONETARY_RELIEF,
    ClosureReason.NON_MONETARY_RELIEF,
    ClosureReason.CLOSED_WITH_EXPLANATION,
    ClosureReason.CEASED_COMMUNICATION,
    ClosureReason.REFERRED_OTHER_STATE_AGENCY,
    ClosureReason.MONETARY_RELIEF,
    ClosureReason.CANCELLED_BY_COMPLAINANT,
    ClosureReason.REFERRED_FEDERAL,
)


def business_type_for(product: str) -> str:
    lowered = product.lower()
    for word, code in _BUSINESS_TYPE_BY_WORD:
        if word in lowered:
            return code
    return BusinessType.CONSUMER_FINANCE


def read_records(limit: int) -> list[dict[str, str]]:
    with DATA_FILE.open(newline="", encoding="utf-8") as handle:
        return [row for _, row in zip(range(limit), csv.DictReader(handle), strict=False)]


def _date_mapper(records: Sequence[Mapping[str, str]]) -> Any:
    dates = [dt.date.fromisoformat(r["Date received"]) for r in records]
    first, last = min(dates), max(dates)
    span = max(1, (last - first).days)
    start = clock.today() - dt.timedelta(days=WINDOW_DAYS)

    def shift(original: dt.date) -> dt.date:
        return start + dt.timedelta(days=(original - first).days * (WINDOW_DAYS - 1) // span)

    return shift


def _summary(record: Mapping[str, str]) -> str:
    narrative = record["Consumer complaint narrative"].strip()
    if narrative:
        return narrative
    product = record["Sub-product"] or record["Product"]
    issue = record["Issue"] + (f" ({record['Sub-issue'].lower()})" if record["Sub-issue"] else "")
    return f"The consumer reports a problem with a {product.lower()} product from {record['Company']}: {issue}."


def _details(record: Mapping[str, str], received: dt.date, number: int) -> dict[str, Any]:
    return {
        "date_received": received,
        "how_received": HOW_RECEIVED.get(record["Submitted via"], HowReceived.WEB),
        "cfpb_id": record["Complaint ID"],
        "business_type": business_type_for(record["Product"]),
        "product": record["Product"],
        "sub_product": record["Sub-product"],
        "issue": record["Issue"],
        "sub_issue": record["Sub-issue"],
        "summary": _summary(record),
        "complainant_first_name": FIRST_NAMES[number % len(FIRST_NAMES)],
        "complainant_last_name": LAST_NAMES[(number // len(FIRST_NAMES)) % len(LAST_NAMES)],
        "complainant_state": record["State"],
        "complainant_postal_code": record["ZIP code"],
    }


def _closure(reason: str, received: dt.date, number: int) -> dict[str, Any]:
    closure: dict[str, Any] = {"reason": reason, "internal_notes": "Closed after review of the company's response."}
    if reason == ClosureReason.MONETARY_RELIEF:
        closure["monetary_relief_cents"] = (number % 480 + 20) * 500
        closure["relief_paid_on"] = min(clock.today(), received + dt.timedelta(days=30))
    if reason == ClosureReason.REFERRED_OTHER_STATE_AGENCY:
        closure["referred_to_agency_name"] = "Virginia Bureau of Financial Institutions"
    return closure


def _company(name: str, actor: User, agency: Agency, companies: dict[str, Company]) -> Company:
    key = name.strip().upper()
    company = companies.get(key)
    if company is None:
        company = Company.objects.filter(legal_name__iexact=name.strip()).first() or company_create(
            actor=actor, legal_name=name.strip()
        )
        companies[key] = company
    supervision_mark(actor=actor, company=company, agency=agency)
    return company


def _lifecycle(ref: str, number: int, actor: User, poc: User, received: dt.date) -> None:
    slot = number % 20
    version = 1
    if slot in _REVIEW_CLOSED:
        reason = ClosureReason.DUPLICATE if number % 2 else ClosureReason.INVALID
        complaint_close(actor=actor, ref=ref, closure={"reason": reason}, expected_version=version)
        return
    if slot in _REVIEWED:
        complaint_complete_review(actor=actor, ref=ref, agency_poc=poc, changes=None, expected_version=version)
        return
    if slot in _CANCELED:
        complaint_cancel(actor=actor, ref=ref, reason="Entered twice; see the earlier complaint.", expected_version=1)
        return
    if slot in _CLOSED | _REOPENED | _RECLOSED:
        reason = _CLOSE_REASONS[number % len(_CLOSE_REASONS)] if slot != 19 else ClosureReason.MONETARY_RELIEF
        complaint_close(actor=actor, ref=ref, closure=_closure(reason, received, number), expected_version=version)
        version += 1
    if slot in _REOPENED | _RECLOSED:
        complaint_reopen(actor=actor, ref=ref, reason="The consumer sent new information.", expected_version=version)
        version += 1
    if slot in _RECLOSED:
        complaint_close(
            actor=actor,
            ref=ref,
            closure=_closure(ClosureReason.CLOSED_WITH_EXPLANATION, received, number),
            expected_version=version,
        )


def _categories_for(record: Mapping[str, str], categories: Mapping[str, int]) -> list[int]:
    pk = categories.get(pair_name(record["Product"], record["Issue"]))
    return [pk] if pk is not None else []


def _records_to_seed(records: list[dict[str, str]], existing: set[str]) -> Iterator[dict[str, str]]:
    for record in records:
        if record["Complaint ID"] not in existing:
            yield record


def seed_complaints(
    *, agency: Agency, actors: Sequence[User], companies_by_name: Mapping[str, Company], limit: int = 2000
) -> int:
    """Enter up to ``limit`` CFPB records as complaints of ``agency``; returns how many were created.

    ``actors`` are Complaint Supervisors or Managers of the agency; they take turns entering
    complaints (and so become the Agency POC), the next one completes preliminary reviews.
    """
    if not actors:
        raise ValueError("seed_complaints needs at least one Supervisor or Manager of the agency")
    records = read_records(limit)
    if not records:
        return 0
    shift = _date_mapper(records)
    companies = {name.strip().upper(): company for name, company in companies_by_name.items()}
    existing = set(complaint_list_for(actor=actors[0]).exclude(cfpb_id="").values_list("cfpb_id", flat=True))
    # A record entered here and since referred to another agency was entered all the same.
    referred_away = Referral.objects.filter(from_agency=agency, status="accepted").exclude(complaint__cfpb_id="")
    existing |= set(referred_away.values_list("complaint__cfpb_id", flat=True))
    categories = {c.name: c.pk for c in category_list_for(actor=actors[0], active_only=True)}
    created = 0
    for record in _records_to_seed(records, existing):
        number = int(record["Complaint ID"])
        actor = actors[number % len(actors)]
        poc = actors[(number + 1) % len(actors)]
        received = shift(dt.date.fromisoformat(record["Date received"]))
        company = _company(record["Company"], actor, agency, companies)
        complaint = complaint_create(
            actor=actor,
            subject_type="company",
            subject_id=company.pk,
            details={
                **_details(record, received, number),
                "categories": _categories_for(record, categories),
            },
            submit_for_review=number % 20 in _PENDING | _REVIEW_CLOSED | _REVIEWED,
        )
        _lifecycle(complaint.ref, number, actor, poc, received)
        created += 1
    return created
