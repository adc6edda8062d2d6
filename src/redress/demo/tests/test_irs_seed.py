from io import StringIO

import pytest
from django.core.management import call_command

from redress.agencies.models import Agency
from redress.audit.models import AuditEvent
from redress.companies.models import Company
from redress.complaints.constants import Status
from redress.complaints.exchange import company_poc_assign
from redress.complaints.models import Complaint
from redress.demo.irs_seed import CLOSED_COMPLAINTS, OPEN_SCENARIOS, seed_irs
from redress.demo.seed import seed_demo, seed_demo_complaints, seed_demo_irs
from redress.information_requests import responses
from redress.information_requests.constants import IRStatus
from redress.information_requests.models import InformationRequest, IRResponse, SendBack
from redress.information_requests.selectors import company_ir_get_for, company_ir_list_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_agency() -> Agency:
    seed_demo(password="demo-password-for-tests")
    seed_demo_complaints(limit=60)
    return Agency.objects.get(code="MD-OFR")


def _statuses() -> dict[str, int]:
    out: dict[str, int] = {}
    for status in InformationRequest.objects.values_list("status", flat=True):
        out[status] = out.get(status, 0) + 1
    return out


def test_every_ir_state_on_complaints_about_companies_with_users(demo_agency):
    closed_available = Complaint.objects.filter(
        status=Status.CLOSED, company__complaints_contact__isnull=False, agency=demo_agency
    ).count()
    assert closed_available >= 1  # the CFPB sample's first records include some
    created = seed_irs(agency=demo_agency)

    irs = InformationRequest.objects.select_related("complaint__company")
    assert created == irs.count() > 0
    statuses = _statuses()
    for status in (
        IRStatus.READY_TO_SEND,
        IRStatus.SENT_TO_COMPANY,
        IRStatus.COMPANY_DRAFT,
        IRStatus.IN_COMPANY_REVIEW,
        IRStatus.SENT_TO_AGENCY,
        IRStatus.SEND_BACK_REQUESTED,
        IRStatus.CANCELED,
    ):
        assert statuses.get(status, 0) >= 1, (status, statuses)
    assert irs.filter(is_comment_only=True, status=IRStatus.SENT_TO_COMPANY).count() == 1
    sent_back = SendBack.objects.get(kind="agency")
    assert sent_back.information_request.status == IRStatus.SENT_TO_COMPANY
    assert sent_back.information_request.round == 2
    extended = irs.exclude(original_due_date=None).exclude(round=2).filter(status=IRStatus.SENT_TO_COMPANY)
    assert any(ir.due_date > ir.original_due_date for ir in extended)
    assert IRResponse.objects.filter(status="submitted").count() >= 3  # sent back, requested, submitted

    # Only companies with users, and every one of them is the agency's.
    for ir in irs:
        assert ir.complaint.agency_id == demo_agency.pk
        assert ir.complaint.company.complaints_contact_id is not None
    with_irs = Complaint.objects.exclude(information_requests=None)
    assert 1 <= with_irs.filter(status__in=(Status.OPEN, Status.REOPENED)).count() <= len(OPEN_SCENARIOS)
    closed = with_irs.filter(status=Status.CLOSED)
    assert closed.count() == min(CLOSED_COMPLAINTS, closed_available)
    for complaint in closed:
        assert complaint.closures.count() >= 2
        assert complaint.information_requests.get().status == IRStatus.SENT_TO_AGENCY
    # Every change left its audit trail.
    assert AuditEvent.objects.filter(action="ir.sent").count() == irs.exclude(sent_at=None).count()


def test_second_run_creates_nothing(demo_agency):
    seed_irs(agency=demo_agency)
    counts = (InformationRequest.objects.count(), Complaint.objects.count(), AuditEvent.objects.count())
    assert seed_irs(agency=demo_agency) == 0
    assert (InformationRequest.objects.count(), Complaint.objects.count(), AuditEvent.objects.count()) == counts


def test_enters_complaints_when_the_sample_has_none_for_companies_with_users():
    seed_demo(password="demo-password-for-tests")
    agency = Agency.objects.get(code="MD-OFR")
    assert not Complaint.objects.exists()
    seed_irs(agency=agency)
    companies = Company.objects.exclude(complaints_contact=None).count()
    assert companies == 3
    assert Complaint.objects.filter(status=Status.OPEN).count() == companies
    assert Complaint.objects.exclude(information_requests=None).count() == companies
    assert InformationRequest.objects.count() == len(OPEN_SCENARIOS) + 1  # the comment comes after an IR
    assert not Complaint.objects.filter(company__complaints_contact=None).exists()


def test_demo_company_users_see_and_answer_their_irs(demo_agency):
    seed_irs(agency=demo_agency)
    answered = 0
    for company in Company.objects.exclude(complaints_contact=None):
        contact = company.complaints_contact
        listed = company_ir_list_for(actor=contact)
        mine = InformationRequest.objects.filter(complaint__company=company).exclude(sent_at=None)
        assert {ir.ref for ir in listed} == set(mine.values_list("ref", flat=True))
        assert all(ir.status != IRStatus.READY_TO_SEND for ir in listed)  # unsent stays with the agency
        for ir in listed:
            if ir.status == IRStatus.SENT_TO_COMPANY and not ir.is_comment_only:
                # The plainly sent IR leaves the Assign Point of Contact task to the demo user.
                if Complaint.objects.get(ref=ir.complaint_ref).company_poc_id is None:
                    company_poc_assign(actor=contact, ref=ir.complaint_ref, poc=contact, expected_version=None)
                responses.response_submit(
                    actor=contact, ir_ref=ir.ref, text="Answered from the demo.", expected_version=None
                )
                assert company_ir_get_for(actor=contact, ir_ref=ir.ref).status == IRStatus.SENT_TO_AGENCY
                answered += 1
    assert answered >= 2  # the sent one and the sent-back one at least
    # Another company's user sees none of them.
    companies = list(Company.objects.exclude(complaints_contact=None).order_by("pk"))
    theirs = {ir.ref for ir in company_ir_list_for(actor=companies[0].complaints_contact)}
    others = {ir.ref for c in companies[1:] for ir in company_ir_list_for(actor=c.complaints_contact)}
    assert not theirs & others


def test_demo_command_seeds_irs_with_the_complaints():
    out = StringIO()
    call_command("demo", "--force", "--complaints", "20", stdout=out)
    count = InformationRequest.objects.count()
    assert count > len(OPEN_SCENARIOS)  # a comment and its IR share a complaint
    assert f"{count} information requests" in out.getvalue()
    assert seed_demo_irs() == 0


def test_demo_command_without_complaints_seeds_no_irs():
    call_command("demo", "--force", "--complaints", "0", stdout=StringIO())
    assert not InformationRequest.objects.exists() and not Complaint.objects.exists()
