"""What the company screens show, built only from selectors.

Invariants:
- ``company_view`` copies only the fields spec §3.2 marks A+C; agency-only fields (Date Received,
  CFPB ID, business type, categories, summary, desired outcome, complainant phone and email,
  closure reason, internal notes, days open) never reach a company template.
- Complainant name and address are left out when the agency restricted them.
- Task lists come from the actor's own complaint and IR selectors, so they never show another
  company's work.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from redress.accounts.models import User
from redress.accounts.policy import Actor, actor_for
from redress.complaints.constants import LOCKED_STATUSES
from redress.complaints.models import Complaint
from redress.complaints.selectors import complaint_list_for
from redress.core import clock
from redress.information_requests.constants import OUTSTANDING, IRStatus
from redress.information_requests.selectors import CompanyIR, company_ir_list_for

DUE_SOON_DAYS = 7
TASK_ROWS = 20


def is_company_reader(actor: Actor) -> bool:
    return actor.is_company_user and actor.company_id is not None and actor.complaints_access in ("view", "manage")


def _name(user: User | None) -> str:
    return (user.full_name or user.email) if user is not None else ""


@dataclass(frozen=True)
class CompanyComplaintView:
    """A complaint as the company sees it (A+C fields only)."""

    ref: str
    status: str
    status_label: str
    is_locked: bool
    agency_name: str
    agency_poc: str
    created_on: dt.date
    subject_type_label: str
    subject_name: str
    subject_person: str
    company_name: str
    company_ref: str
    company_nmls_id: str
    company_address: str
    company_poc: str
    company_poc_id: int | None
    transaction_date: dt.date | None
    transaction_city: str
    transaction_state: str
    complainant_restricted: bool
    complainant_name: str = ""
    complainant_address: str = ""
    version: int = 0


def _join(*parts: str) -> str:
    return ", ".join(p for p in parts if p)


def company_view(c: Complaint) -> CompanyComplaintView:
    company = c.company
    restricted = c.restrict_complainant
    return CompanyComplaintView(
        ref=c.ref,
        status=c.status,
        status_label=c.get_status_display(),
        is_locked=c.status in LOCKED_STATUSES,
        agency_name=c.agency.name,
        agency_poc=_name(c.agency_poc),
        created_on=timezone.localdate(c.created_at),
        subject_type_label=c.get_subject_type_display(),
        subject_name=c.subject_name,
        subject_person=c.subject_person,
        company_name=company.legal_name if company else "",
        company_ref=company.company_ref if company else "",
        company_nmls_id=(company.nmls_id or "") if company else "",
        company_address=_join(company.street, company.city, company.state, company.postal_code) if company else "",
        company_poc=_name(c.company_poc),
        company_poc_id=c.company_poc_id,
        transaction_date=c.transaction_date,
        transaction_city=c.transaction_city,
        transaction_state=c.transaction_state,
        complainant_restricted=restricted,
        complainant_name="" if restricted else c.complainant_name,
        complainant_address=""
        if restricted
        else _join(c.complainant_street, c.complainant_city, c.complainant_state, c.complainant_postal_code),
        version=c.version,
    )


# --- IR roll-ups per complaint ------------------------------------------------------------------


@dataclass
class IRRollup:
    outstanding: int = 0
    next_due: dt.date | None = None
    overdue: bool = False
    due_soon: bool = False


def ir_rollups(user: User) -> dict[str, IRRollup]:
    """Complaint ID -> outstanding IR count, next due date, overdue / due-soon flags."""
    today = clock.today()
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    out: dict[str, IRRollup] = defaultdict(IRRollup)
    for ir in company_ir_list_for(actor=user):
        if ir.status not in OUTSTANDING or ir.due_date is None:
            continue
        roll = out[ir.complaint_ref]
        roll.outstanding += 1
        if roll.next_due is None or ir.due_date < roll.next_due:
            roll.next_due = ir.due_date
        roll.overdue = roll.overdue or ir.due_date < today
        roll.due_soon = roll.due_soon or today <= ir.due_date <= soon
    return dict(out)


# --- tasks -------------------------------------------------------------------------------------


@dataclass
class Tasks:
    assign_poc: list[Complaint] = field(default_factory=list)
    irs_due: list[CompanyIR] = field(default_factory=list)
    for_review: list[CompanyIR] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.assign_poc) + len(self.irs_due) + len(self.for_review)


def tasks_for(user: User) -> Tasks:
    """Assign Point of Contact (Complaints Contact and account admins), IRs waiting for a response
    (users with Manage access), drafts waiting for my review as Company POC."""
    who = actor_for(user)
    tasks = Tasks()
    if not is_company_reader(who):
        return tasks
    unassigned = (
        complaint_list_for(actor=user)
        .filter(company_poc__isnull=True)
        .exclude(status__in=LOCKED_STATUSES)
        .order_by("first_ir_sent_at", "id")
    )
    tasks.assign_poc = [
        c
        for c in unassigned[: TASK_ROWS * 5]
        if who.is_company_admin or (c.company is not None and c.company.complaints_contact_id == user.pk)
    ][:TASK_ROWS]
    if who.complaints_access == "manage":
        irs = [ir for ir in company_ir_list_for(actor=user) if not ir.is_comment_only]
        tasks.for_review = [ir for ir in irs if ir.status == IRStatus.IN_COMPANY_REVIEW][:TASK_ROWS]
        tasks.irs_due = [ir for ir in irs if ir.status in (IRStatus.SENT_TO_COMPANY, IRStatus.COMPANY_DRAFT)][
            :TASK_ROWS
        ]
    return tasks
