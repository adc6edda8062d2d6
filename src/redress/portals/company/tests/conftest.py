"""Company X with a Complaints Contact (company_user_x), an account admin (company_admin_x), a
responder and a view-only user; complaints of agency A with IRs sent, and one of agency B."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from redress.companies.constants import ComplaintsAccess
from redress.companies.models import CompanyMembership
from redress.complaints.exchange import company_poc_assign
from redress.complaints.services import complaint_create
from redress.complaints.tests.conftest import intake_details
from redress.core import clock
from redress.information_requests import services
from redress.information_requests.models import InformationRequest


def later(days: int = 14) -> dt.date:
    return clock.today() + dt.timedelta(days=days)


@pytest.fixture
def contact_x(company_user_x, company_x):
    company_x.complaints_contact = company_user_x
    company_x.save(update_fields=["complaints_contact"])
    return company_user_x


@pytest.fixture
def responder_x(make_user, company_x):
    user = make_user(full_name="Xavi Responder")
    CompanyMembership.objects.create(user=user, company=company_x, complaints_access=ComplaintsAccess.MANAGE)
    return user


@pytest.fixture
def colleague_x(make_user, company_x):
    user = make_user(full_name="Xiu Colleague")
    CompanyMembership.objects.create(user=user, company=company_x, complaints_access=ComplaintsAccess.MANAGE)
    return user


def make_complaint(actor, company, **overrides: Any):
    return complaint_create(
        actor=actor,
        subject_type="company",
        subject_id=company.pk,
        details=intake_details(**overrides),
        submit_for_review=False,
    )


def send_ir(actor, complaint, *, title="Account history", due=None) -> InformationRequest:
    ir = services.ir_create(
        actor=actor,
        complaint_ref=complaint.ref,
        title=title,
        description=f"Please send the {title.lower()}.",
        due_date=due or later(),
    )
    services.ir_send(actor=actor, complaint_ref=complaint.ref, refs=[ir.ref])
    ir.refresh_from_db()
    return ir


@pytest.fixture
def sent(supervisor_a, company_x, contact_x, company_admin_x):
    """A complaint of agency A about company X with one IR sent (no Company POC yet)."""
    complaint = make_complaint(
        supervisor_a,
        company_x,
        transaction_city="Baltimore",
        complainant_phone="410-555-0199",
        complainant_street="12 Harbor Way",
    )
    ir = send_ir(supervisor_a, complaint)
    complaint.refresh_from_db()
    return complaint, ir


@pytest.fixture
def with_poc(sent, contact_x, responder_x):
    complaint, ir = sent
    company_poc_assign(actor=contact_x, ref=complaint.ref, poc=responder_x, expected_version=complaint.version)
    complaint.refresh_from_db()
    ir.refresh_from_db()
    return complaint, ir
