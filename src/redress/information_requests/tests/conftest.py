"""Scenario cast (spec §12): Alice = Supervisor at A, Mark = Manager at A, Vera = Viewer at A;
Company X: Xena (account admin), Xander (Complaints Contact), Xavi and Xiu (complaints users with
Manage access), Val (view only); an extra notification address."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from redress.companies.constants import ComplaintsAccess
from redress.companies.models import CompanyMembership, NotificationAddress
from redress.complaints.models import Complaint
from redress.complaints.services import complaint_create
from redress.complaints.tests.conftest import intake_details
from redress.core import clock
from redress.information_requests import services
from redress.information_requests.models import InformationRequest
from redress.notifications.models import Notification, OutboxMessage

EXTRA_ADDRESS = "complaints-desk@ocwen.example.test"


def later(days: int = 14) -> dt.date:
    return clock.today() + dt.timedelta(days=days)


def at(day: dt.date) -> time_machine.travel:
    """Freeze the clock at local noon of ``day``."""
    return time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(12))), tick=False)


def emails(event: str) -> set[str]:
    return set(OutboxMessage.objects.filter(event=event).values_list("to_email", flat=True))


def in_app(event: str) -> set[int]:
    return set(Notification.objects.filter(event=event).values_list("user_id", flat=True))


def snapshot(*objs: Any) -> list[dict[str, Any]]:
    out = []
    for obj in objs:
        obj.refresh_from_db()
        out.append({f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields})
    return out


@pytest.fixture
def alice(supervisor_a):
    return supervisor_a


@pytest.fixture
def mark(manager_a):
    return manager_a


@pytest.fixture
def vera(viewer_a):
    return viewer_a


@pytest.fixture
def xena(company_admin_x):
    return company_admin_x


@pytest.fixture
def xander(company_user_x, company_x):
    company_x.complaints_contact = company_user_x
    company_x.save(update_fields=["complaints_contact"])
    return company_user_x


def _member(make_user, company, name, access=ComplaintsAccess.MANAGE):
    user = make_user(full_name=name)
    CompanyMembership.objects.create(user=user, company=company, complaints_access=access)
    return user


@pytest.fixture
def xavi(make_user, company_x):
    return _member(make_user, company_x, "Xavi Responder")


@pytest.fixture
def xiu(make_user, company_x):
    return _member(make_user, company_x, "Xiu Colleague")


@pytest.fixture
def extra_address(company_x):
    return NotificationAddress.objects.create(company=company_x, email=EXTRA_ADDRESS).email


@pytest.fixture
def cast(alice, mark, xena, xander, xavi, xiu, extra_address):
    """Everyone enrolled, Xander as Complaints Contact, one extra address."""
    return {"alice": alice, "mark": mark, "xena": xena, "xander": xander, "xavi": xavi, "xiu": xiu}


@pytest.fixture
def make_complaint(company_x) -> Callable[..., Complaint]:
    def make(actor, *, company=None, **overrides: Any) -> Complaint:
        return complaint_create(
            actor=actor,
            subject_type="company",
            subject_id=(company or company_x).pk,
            details=intake_details(**overrides),
            submit_for_review=False,
        )

    return make


@pytest.fixture
def add_ir() -> Callable[..., InformationRequest]:
    def add(actor, complaint, *, title="Account history", due=None, ready=True, **kw) -> InformationRequest:
        return services.ir_create(
            actor=actor,
            complaint_ref=complaint.ref,
            title=title,
            description=kw.pop("description", f"Please send the {title.lower()} and your explanation."),
            due_date=due,
            ready=ready,
        )

    return add


@pytest.fixture
def sent_ir(cast, make_complaint, add_ir):
    """A complaint of Mark's (he is Agency POC) with one IR sent to Company X."""
    complaint = make_complaint(cast["mark"])
    ir = add_ir(cast["mark"], complaint, due=later())
    services.ir_send(actor=cast["mark"], complaint_ref=complaint.ref, refs=[ir.ref])
    ir.refresh_from_db()
    return ir


@pytest.fixture
def with_poc(sent_ir, cast):
    from redress.complaints.exchange import company_poc_assign

    complaint = sent_ir.complaint
    complaint.refresh_from_db()
    company_poc_assign(actor=cast["xander"], ref=complaint.ref, poc=cast["xavi"], expected_version=complaint.version)
    sent_ir.refresh_from_db()
    return sent_ir
