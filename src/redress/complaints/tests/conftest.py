from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from redress.complaints.models import Complaint
from redress.complaints.services import complaint_create
from redress.core import clock


def intake_details(**overrides: Any) -> dict[str, Any]:
    """A valid intake taken from a real CFPB record (Complaint 1291006, a mortgage complaint)."""
    details: dict[str, Any] = {
        "date_received": clock.today() - dt.timedelta(days=3),
        "how_received": "web",
        "cfpb_id": "1291006",
        "business_type": "mortgage_servicing",
        "product": "Mortgage",
        "sub_product": "Conventional fixed mortgage",
        "issue": "Loan servicing, payments, escrow account",
        "summary": "Servicer applied my payment late and charged a late fee although it was sent on time.",
        "desired_outcome": "Refund the late fee.",
        "amount_in_dispute_cents": 7_500,
        "complainant_first_name": "Pat",
        "complainant_last_name": "Rivera",
        "complainant_state": "MD",
        "complainant_postal_code": "21201",
        "complainant_email": "pat.rivera@example.test",
    }
    details.update(overrides)
    return details


@pytest.fixture
def make_complaint(company_x) -> Callable[..., Complaint]:
    def make(actor, *, review: bool = False, company=None, **overrides: Any) -> Complaint:
        return complaint_create(
            actor=actor,
            subject_type="company",
            subject_id=(company or company_x).pk,
            details=intake_details(**overrides),
            submit_for_review=review,
        )

    return make


def non_nmls_entity_for(actor: Any, name: str, **fields: str) -> Any:
    """A Non-NMLS entity created the only way there is: after a guided search that found nothing."""
    from redress.complaints.services import non_nmls_entity_create
    from redress.complaints.subject_search import subject_search_run
    from redress.complaints.subject_selectors import SearchCriteria

    criteria = SearchCriteria.from_values(
        {"name": name, "keywords": name, "phone_unknown": True, "website_unknown": True}
    )
    search = subject_search_run(actor=actor, criteria=criteria)
    assert search.search_id is not None, f"the search for {name!r} found {search.outcome.results}"
    return non_nmls_entity_create(actor=actor, search_id=search.search_id, name=name, **fields)
