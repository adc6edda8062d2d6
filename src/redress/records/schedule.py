"""The retention schedule: when a closed complaint's documents fall due for disposition.

Invariants:
- Only a CLOSED complaint has a disposition date; it is the latest closure date plus the owning
  agency's ``document_retention_years`` (a reopened complaint has none; reclosing counts anew).
- 29 February plus N years falls on 28 February when the target year is not a leap year.
- A complaint is on hold while any unlifted hold of its agency covers it: the complaint itself,
  its company (at that agency) or the whole agency.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q

from redress.complaints.constants import Status

from .models import LegalHold

if TYPE_CHECKING:
    from redress.agencies.models import Agency
    from redress.complaints.models import Complaint


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def schedule_label(agency: Agency) -> str:
    return f"{agency.code} complaint documents, {agency.document_retention_years} years after the latest closure"


def disposition_date(complaint: Complaint) -> dt.date | None:
    if complaint.status != Status.CLOSED or complaint.closed_on is None:
        return None
    return add_years(complaint.closed_on, complaint.agency.document_retention_years)


def holds_covering(complaint: Complaint) -> Q:
    scope = Q(scope="agency") | Q(scope="complaint", complaint_id=complaint.pk)
    if complaint.company_id is not None:
        scope |= Q(scope="company", company_id=complaint.company_id)
    return Q(agency_id=complaint.agency_id, lifted_at__isnull=True) & scope


def is_on_hold(complaint: Complaint) -> bool:
    return LegalHold.objects.filter(holds_covering(complaint)).exists()
