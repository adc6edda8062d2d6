from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from redress.accounts.models import User
from redress.agencies.models import Agency, AgencyMembership
from redress.audit.models import AuditEvent
from redress.companies.models import Company, CompanyMembership, Supervision
from redress.complaints.models import Complaint
from redress.demo.seed import DEFAULT_PASSWORD, seed_demo

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "agencies": Agency.objects.count(),
        "agency_members": AgencyMembership.objects.count(),
        "companies": Company.objects.count(),
        "company_members": CompanyMembership.objects.count(),
        "supervisions": Supervision.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "complaints": Complaint.objects.count(),
    }


def _run(*args: str, complaints: int = 0) -> str:
    out = StringIO()
    call_command("demo", "--force", "--complaints", str(complaints), *args, stdout=out)
    return out.getvalue()


def test_demo_creates_every_role_and_is_idempotent():
    first = _run(complaints=30)
    counts = _counts()
    assert counts["agencies"] == 2
    assert counts["agency_members"] == 9
    assert counts["company_members"] == 9
    assert counts["companies"] >= 5
    assert Company.objects.filter(legal_name__icontains="equifax").exists()  # names from the CFPB database
    assert User.objects.filter(is_system_admin=True).count() == 1
    assert set(Agency.objects.values_list("code", flat=True)) == {"MD-OFR", "TX-DOB"}
    for agency in Agency.objects.all():
        roles = {(m.complaints_role, m.is_account_admin) for m in agency.memberships.all()}
        examiner = {("", False)} if agency.code == "MD-OFR" else set()
        assert roles == {("supervisor", False), ("manager", False), ("viewer", False), ("viewer", True)} | examiner
    contacts = Company.objects.exclude(complaints_contact=None)
    assert contacts.count() == 3
    for company in contacts:
        membership = CompanyMembership.objects.get(user=company.complaints_contact)
        assert membership.company_id == company.pk and membership.complaints_access == "manage"
        # Both agencies supervise every company that has users, so both can work with them.
        assert set(company.supervisions.values_list("agency__code", flat=True)) == {"MD-OFR", "TX-DOB"}
    assert "Created:" in first
    # The CFPB records, plus the few complaints the IR seed enters for companies with users.
    assert Complaint.objects.exclude(cfpb_id="").count() == 30 and "30 complaints" in first
    statuses = set(Complaint.objects.values_list("status", flat=True))
    assert {"open", "closed"} <= statuses, statuses

    second = _run(complaints=30)
    assert _counts() == counts, "a second run must create and record nothing"
    assert "nothing was created" in second


def test_every_printed_login_signs_in(settings):
    settings.REDRESS_REQUIRE_MFA = False
    result = seed_demo(password="a shared demo secret")
    assert len(result.logins) == 1 + 9 + 9
    for login in result.logins:
        client = Client()
        response = client.post("/accounts/login/", {"login": login.email, "password": "a shared demo secret"})
        assert response.status_code == 302, login.email
        assert client.get("/").status_code == 200, login.email
    refused = Client().post("/accounts/login/", {"login": result.logins[0].email, "password": DEFAULT_PASSWORD})
    assert refused.status_code == 200  # the form again, with an error: the default is not their password


def test_output_lists_logins_and_password(monkeypatch):
    monkeypatch.setenv("REDRESS_DEMO_PASSWORD", "from the environment 1")
    out = _run()
    assert "admin@redress.example" in out
    assert "supervisor@md-ofr.example" in out and "Maryland Office of Financial Regulation" in out
    assert "Demo password for every login: from the environment 1" in out
    user = User.objects.get(email="viewer@tx-dob.example")
    assert user.check_password("from the environment 1")


def test_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo", stdout=StringIO())
    assert User.objects.count() == 0
