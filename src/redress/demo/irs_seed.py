"""Demo information requests in every state, exchanged through the IR services.

Invariants:
- Every IR, response, send-back, extension and cancellation goes through the services
  (``information_requests.services`` and ``.responses``, ``complaints.exchange.company_poc_assign``),
  so the demo obeys the exchange's rules and leaves its audit trail and notices.
- Only complaints about companies that have users get IRs: someone must be able to answer them.
  The company's Complaints Contact takes the Company POC role and answers.
- Idempotent: a complaint that already has IRs is left alone; once open (or closed) complaints
  about those companies have IRs, that part is done and a later run creates nothing.
- Deterministic: eligible complaints are taken in reference order and scenarios handed out in
  a fixed order, one per complaint, or in turns when there are fewer complaints than scenarios.
  When the agency has no open complaint about those companies at all, one per company is
  entered through ``complaint_create`` (once: later runs find them).
- Closed complaints get their IRs by being reopened, answered and closed again, as a supervisor
  would do when a closed complaint needs more information.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from redress.accounts.models import User
from redress.agencies.constants import ComplaintsRole
from redress.agencies.models import Agency
from redress.companies.models import Company
from redress.complaints.constants import ClosureReason, Status
from redress.complaints.exchange import company_poc_assign
from redress.complaints.models import Complaint
from redress.complaints.services import complaint_close, complaint_create, complaint_reopen
from redress.core import clock
from redress.information_requests import responses, services
from redress.information_requests.models import InformationRequest

_OPEN = (Status.OPEN, Status.REOPENED)


def _later(days: int) -> dt.date:
    return clock.today() + dt.timedelta(days=days)


class _Exchange:
    """One complaint's exchange: the agency supervisor asks, the company's contact answers."""

    def __init__(self, complaint: Complaint, agency_user: User, contact: User) -> None:
        self.complaint, self.agency_user, self.contact = complaint, agency_user, contact

    def create(self, title: str, description: str, days: int = 14) -> InformationRequest:
        return services.ir_create(
            actor=self.agency_user,
            complaint_ref=self.complaint.ref,
            title=title,
            description=description,
            due_date=_later(days),
        )

    def send(self, title: str, description: str, days: int = 14) -> InformationRequest:
        ir = self.create(title, description, days)
        services.ir_send(actor=self.agency_user, complaint_ref=self.complaint.ref, refs=[ir.ref])
        return ir

    def take_poc(self) -> None:
        self.complaint.refresh_from_db()
        if self.complaint.company_poc_id != self.contact.pk:
            company_poc_assign(actor=self.contact, ref=self.complaint.ref, poc=self.contact, expected_version=None)

    def draft(self, ir: InformationRequest, text: str) -> None:
        responses.response_save_draft(actor=self.contact, ir_ref=ir.ref, text=text, expected_version=None)

    def submit(self, ir: InformationRequest, text: str) -> None:
        self.take_poc()
        responses.response_submit(actor=self.contact, ir_ref=ir.ref, text=text, expected_version=None)


def _ready(x: _Exchange) -> None:
    x.create("Account statements", "Send the last twelve months of account statements.", days=21)


def _sent(x: _Exchange) -> None:
    x.send("Payment history", "Send the complete payment history and explain each late fee.")


def _drafted(x: _Exchange) -> None:
    ir = x.send("Dispute investigation", "Describe how the consumer's dispute was investigated.")
    x.take_poc()
    x.draft(ir, "Draft: we are collecting the investigation notes from the dispute team.")


def _in_review(x: _Exchange) -> None:
    ir = x.send("Correspondence", "Send every letter sent to the consumer since the account opened.")
    x.take_poc()
    x.draft(ir, "All letters are attached in date order; the last one went out last month.")
    responses.response_send_to_poc(actor=x.contact, ir_ref=ir.ref, expected_version=None)


def _submitted(x: _Exchange) -> None:
    ir = x.send("Account notes", "Send the servicing notes for the consumer's account.")
    x.submit(ir, "The servicing notes are below; the consumer's calls are logged on each date they called.")


def _sent_back(x: _Exchange) -> None:
    ir = x.send("Fee refund", "Explain whether the disputed fees were refunded.", days=10)
    x.submit(ir, "The fees were reviewed.")
    services.ir_send_back(
        actor=x.agency_user,
        ref=ir.ref,
        new_due_date=_later(17),
        explanation="Say whether the fees were refunded, on which date and by what amount.",
        expected_version=None,
    )


def _send_back_requested(x: _Exchange) -> None:
    ir = x.send("Credit reporting", "Show what was reported to the credit bureaus and when.")
    x.submit(ir, "We reported the account as current each month.")
    responses.ir_request_send_back(
        actor=x.contact,
        ir_ref=ir.ref,
        reason="We attached last year's reporting history by mistake; we will send the current one.",
        expected_version=None,
    )


def _canceled(x: _Exchange) -> None:
    ir = x.send("Loan file", "Send the complete loan file.")
    services.ir_cancel(
        actor=x.agency_user, ref=ir.ref, reason="The consumer sent the loan file.", expected_version=None
    )


def _extended(x: _Exchange) -> None:
    ir = x.send("Escrow analysis", "Send the latest escrow analysis and explain the shortage.", days=7)
    services.ir_extend(actor=x.agency_user, ref=ir.ref, new_due_date=_later(21), expected_version=None)


def _comment(x: _Exchange) -> None:
    x.send("Identity verification", "Explain how the consumer's identity was verified.")
    services.ir_send_comment(
        actor=x.agency_user,
        complaint_ref=x.complaint.ref,
        title="Call with the consumer",
        text="The consumer confirmed by phone that the account number in the complaint is correct.",
    )


# The order decides which complaint gets which state; every IR state is represented.
OPEN_SCENARIOS: tuple[Callable[[_Exchange], None], ...] = (
    _ready,
    _sent,
    _drafted,
    _in_review,
    _submitted,
    _sent_back,
    _send_back_requested,
    _canceled,
    _extended,
    _comment,
)
CLOSED_COMPLAINTS = 2


def _answered_then_closed(x: _Exchange) -> None:
    ref = x.complaint.ref
    complaint = complaint_reopen(
        actor=x.agency_user,
        ref=ref,
        reason="More information is needed from the company.",
        expected_version=x.complaint.version,
    )
    x.complaint = complaint
    ir = x.send("Resolution details", "Describe how the complaint was resolved with the consumer.")
    x.submit(ir, "We refunded the disputed amount and wrote to the consumer to confirm it.")
    complaint.refresh_from_db()
    complaint_close(
        actor=x.agency_user,
        ref=ref,
        closure={
            "reason": ClosureReason.CLOSED_WITH_EXPLANATION,
            "internal_notes": "Closed again after the company's response.",
        },
        expected_version=complaint.version,
    )


def _supervisor(agency: Agency) -> User:
    user = (
        User.objects.filter(
            is_active=True,
            agency_membership__agency=agency,
            agency_membership__complaints_role=ComplaintsRole.SUPERVISOR,
        )
        .order_by("pk")
        .first()
    )
    if user is None:
        raise ValueError(f"seed_irs needs an active Complaint Supervisor in {agency.code}")
    return user


def _companies_with_users() -> list[Company]:
    return list(Company.objects.exclude(complaints_contact=None).filter(complaints_contact__is_active=True))


def _details(company: Company, number: int) -> dict[str, Any]:
    return {
        "date_received": clock.today() - dt.timedelta(days=5 + number),
        "how_received": "web",
        "business_type": "consumer_finance",
        "product": "Credit reporting or other personal consumer reports",
        "issue": "Incorrect information on your report",
        "summary": f"The consumer reports an account on their {company.legal_name} report that is not theirs.",
        "complainant_first_name": ("Avery", "Jordan", "Riley", "Casey", "Morgan")[number % 5],
        "complainant_last_name": ("Nguyen", "Okafor", "Garcia", "Chen", "Silva")[number % 5],
        "complainant_state": "MD",
    }


def _eligible(agency: Agency, companies: Sequence[Company], statuses: Sequence[str]) -> list[Complaint]:
    return list(
        Complaint.objects.filter(agency=agency, company__in=companies, status__in=statuses, information_requests=None)
        .select_related("company")
        .order_by("ref")
    )


def _fill_open(agency: Agency, actor: User, companies: Sequence[Company]) -> None:
    # One open complaint per company with users, entered only when the sample left the agency
    # none at all; later runs find these (with their IRs) and enter nothing more.
    if Complaint.objects.filter(agency=agency, company__in=companies, status__in=_OPEN).exists():
        return
    for number, company in enumerate(companies):
        complaint_create(
            actor=actor,
            subject_type="company",
            subject_id=company.pk,
            details=_details(company, number),
            submit_for_review=False,
        )


def _has_irs(agency: Agency, companies: Sequence[Company], statuses: Sequence[str]) -> bool:
    return (
        Complaint.objects.filter(agency=agency, company__in=companies, status__in=statuses)
        .exclude(information_requests=None)
        .exists()
    )


def seed_irs(*, agency: Agency) -> int:
    """Give a deterministic set of the agency's complaints IRs in every state; returns how many
    IRs were created. Scenarios go one per complaint when there are enough complaints, and take
    turns on the few there are otherwise."""
    companies = _companies_with_users()
    if not companies:
        return 0
    supervisor = _supervisor(agency)
    before = InformationRequest.objects.filter(complaint__agency=agency).count()
    if not _has_irs(agency, companies, _OPEN):
        _fill_open(agency, supervisor, companies)
        targets = _eligible(agency, companies, _OPEN)[: len(OPEN_SCENARIOS)]
        for index, scenario in enumerate(OPEN_SCENARIOS):
            complaint = targets[index % len(targets)]
            complaint.refresh_from_db()
            assert complaint.company is not None and complaint.company.complaints_contact is not None
            scenario(_Exchange(complaint, supervisor, complaint.company.complaints_contact))
    if not _has_irs(agency, companies, [Status.CLOSED]):
        for complaint in _eligible(agency, companies, [Status.CLOSED])[:CLOSED_COMPLAINTS]:
            assert complaint.company is not None and complaint.company.complaints_contact is not None
            _answered_then_closed(_Exchange(complaint, supervisor, complaint.company.complaints_contact))
    return InformationRequest.objects.filter(complaint__agency=agency).count() - before
