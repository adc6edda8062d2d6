"""Reading holds, the retention schedule and disposition certificates.

Invariants:
- The records pages belong to the agency's Supervisors: anyone else (other roles, other agencies,
  company users) gets NotFound, as for a missing object.
- Certificates show only the lines of the actor's own agency, even for a run that covered several.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum

from redress.accounts.policy import actor_for
from redress.agencies.models import Agency
from redress.core.errors import NotFound

from .constants import UPCOMING_WINDOW_DAYS
from .disposition import complaint_documents, disposition_plan
from .models import DisposedDocument, DispositionRun, LegalHold
from .schedule import disposition_date, is_on_hold

if TYPE_CHECKING:
    from redress.accounts.models import User
    from redress.complaints.models import Complaint


def records_agency_for(user: User) -> Agency:
    who = actor_for(user)
    if not who.is_agency_user or who.agency_id is None or not who.is_supervisor:
        raise NotFound()
    return Agency.objects.get(pk=who.agency_id)


def legal_holds_for(user: User) -> QuerySet[LegalHold]:
    agency = records_agency_for(user)
    return LegalHold.objects.filter(agency=agency).select_related("complaint", "company", "placed_by", "lifted_by")


def legal_hold_get_for(user: User, hold_id: int) -> LegalHold:
    hold = legal_holds_for(user).filter(pk=hold_id).first()
    if hold is None:
        raise NotFound("Legal hold not found.")
    return hold


@dataclass(frozen=True)
class Upcoming:
    complaint: Complaint
    due: dt.date
    documents: int
    held: bool


def upcoming_dispositions_for(user: User, *, today: dt.date, days: int = UPCOMING_WINDOW_DAYS) -> list[Upcoming]:
    """Complaints of the agency whose documents fall due by ``today + days`` (held ones flagged)."""
    agency = records_agency_for(user)
    rows: list[Upcoming] = []
    for planned in disposition_plan(as_of=today + dt.timedelta(days=days), agency=agency, include_held=True):
        rows.append(
            Upcoming(
                complaint=planned.complaint,
                due=planned.due,
                documents=len(planned.documents),
                held=planned.held,
            )
        )
    return rows


def disposition_runs_for(user: User) -> QuerySet[DispositionRun]:
    agency = records_agency_for(user)
    mine = Q(items__agency=agency)
    return (
        DispositionRun.objects.filter(mine)
        .annotate(agency_documents=Count("items", filter=mine), agency_bytes=Sum("items__size", filter=mine))
        .order_by("-started_at", "-id")
    )


def disposition_certificate_for(user: User, run_id: int) -> tuple[DispositionRun, QuerySet[DisposedDocument]]:
    agency = records_agency_for(user)
    run = DispositionRun.objects.filter(pk=run_id, items__agency=agency).distinct().first()
    if run is None:
        raise NotFound("Disposition run not found.")
    return run, run.items.filter(agency=agency).select_related("complaint").order_by("complaint_id", "id")


@dataclass(frozen=True)
class Retention:
    due: dt.date | None
    years: int
    held: bool
    disposed: int
    kept: int


def retention_for(complaint: Complaint) -> Retention:
    """What the complaint page shows; the caller has already checked the complaint is readable."""
    documents = complaint_documents(complaint)
    disposed = documents.filter(disposed_at__isnull=False).count()
    return Retention(
        due=disposition_date(complaint),
        years=complaint.agency.document_retention_years,
        held=is_on_hold(complaint),
        disposed=disposed,
        kept=documents.count() - disposed,
    )


def hold_company_choices(user: User) -> list[tuple[int, str]]:
    """Companies the agency has complaints about: the only ones a company-wide hold can matter for."""
    from redress.companies.models import Company

    agency = records_agency_for(user)
    return list(
        Company.objects.filter(complaints__agency=agency)
        .distinct()
        .order_by("legal_name")
        .values_list("pk", "legal_name")
    )
