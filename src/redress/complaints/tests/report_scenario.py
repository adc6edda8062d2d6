"""One agency's complaints for the Complaints Reports tests, built through the services.

In the 30 days up to today agency A received (and still owns):
- ``open_x``: Company X, open, Mortgage Servicing, categories 0 and 5, Agency POC Sam;
- ``reclosed_x``: Company X, closed with monetary relief ($50.00), reopened, closed again with
  explanation: the latest closure counts, so no relief;
- ``relief_y``: Company Y, Debt, category 5, closed with monetary relief ($123.45);
- ``pending_y``: Company Y, pending preliminary review (no Agency POC), product Debt collection;
- ``entity``: a Non-NMLS entity, open.
Left out of agency A's figures: ``canceled`` (canceled), ``other_agency`` (agency B's own),
``referred`` (referred to agency B and accepted there: B's now). ``old_closed`` was received 60
days ago and closed today as Invalid: it counts only when closures are counted by date closed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from redress.complaints import referrals, services
from redress.complaints.models import Complaint, ComplaintCategory
from redress.complaints.tests.conftest import intake_details, non_nmls_entity_for
from redress.core import clock

RELIEF_CENTS = 12_345


def days_ago(n: int) -> dt.date:
    return clock.today() - dt.timedelta(days=n)


def category_ids(agency: Any, *positions: int) -> list[int]:
    rows = list(ComplaintCategory.objects.filter(agency=agency).order_by("position", "id"))
    return [rows[p].pk for p in positions]


def create(
    actor: Any, subject: Any, *, review: bool = False, subject_type: str = "company", **details: Any
) -> Complaint:
    return services.complaint_create(
        actor=actor,
        subject_type=subject_type,
        subject_id=subject.pk,
        details=intake_details(**details),
        submit_for_review=review,
    )


def close(actor: Any, complaint: Complaint, reason: str, cents: int | None = None) -> Complaint:
    closure: dict[str, Any] = {"reason": reason}
    if cents is not None:
        closure.update(monetary_relief_cents=cents, relief_paid_on=clock.today())
    services.complaint_close(actor=actor, ref=complaint.ref, closure=closure, expected_version=None)
    complaint.refresh_from_db()
    return complaint


def build(*, supervisor: Any, other_supervisor: Any, company_x: Any, company_y: Any, agency: Any) -> dict[str, Any]:
    cats = category_ids(agency, 0, 5)
    open_x = create(
        supervisor, company_x, date_received=days_ago(10), business_type="mortgage_servicing", categories=cats
    )
    reclosed_x = create(supervisor, company_x, date_received=days_ago(5), business_type="mortgage_servicing")
    close(supervisor, reclosed_x, "monetary_relief", 5_000)
    services.complaint_reopen(actor=supervisor, ref=reclosed_x.ref, reason="New evidence.", expected_version=None)
    close(supervisor, reclosed_x, "closed_with_explanation")
    relief_y = create(
        supervisor,
        company_y,
        date_received=days_ago(4),
        business_type="debt",
        product="Debt collection",
        issue="Attempts to collect debt not owed",
        sub_product="",
        categories=[cats[1]],
    )
    close(supervisor, relief_y, "monetary_relief", RELIEF_CENTS)
    pending_y = create(
        supervisor,
        company_y,
        review=True,
        date_received=days_ago(2),
        business_type="debt",
        product="Debt collection",
        issue="Attempts to collect debt not owed",
        sub_product="",
    )
    entity_subject = non_nmls_entity_for(supervisor, "Quickcash Lending Unlimited")
    entity = create(supervisor, entity_subject, subject_type="non_nmls", date_received=days_ago(1))

    canceled = create(supervisor, company_x, date_received=days_ago(3))
    services.complaint_cancel(actor=supervisor, ref=canceled.ref, reason="Entered twice.", expected_version=None)
    other_agency = create(other_supervisor, company_x, date_received=days_ago(3))
    referred = create(supervisor, company_x, date_received=days_ago(6))
    referrals.referral_create(actor=supervisor, ref=referred.ref, to_agency_id=other_agency.agency_id)
    referrals.referral_accept(actor=other_supervisor, ref=referred.ref)
    old_closed = create(supervisor, company_y, date_received=days_ago(60), business_type="debt")
    close(supervisor, old_closed, "invalid")
    return {
        "open_x": open_x,
        "reclosed_x": reclosed_x,
        "relief_y": relief_y,
        "pending_y": pending_y,
        "entity": entity,
        "entity_subject": entity_subject,
        "canceled": canceled,
        "other_agency": other_agency,
        "referred": referred,
        "old_closed": old_closed,
        "categories": cats,
    }
