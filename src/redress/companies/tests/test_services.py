from __future__ import annotations

import pytest

from redress.audit.models import AuditEvent
from redress.companies import services
from redress.companies.constants import BusinessType
from redress.companies.models import Branch, Company, CompanyBusinessType, Individual, StateLicense, Supervision
from redress.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied, PreconditionFailed

from .helpers import db_state, security_events

pytestmark = pytest.mark.django_db


def test_create_assigns_company_id_and_audits(supervisor_a):
    company = services.company_create(
        actor=supervisor_a,
        legal_name="  Rocket Mortgage, LLC ",
        nmls_id="003030",
        other_names=["Quicken Loans", "quicken loans", "Rocket Mortgage, LLC", ""],
        business_types=["Mortgage Servicing", "mortgage_origination"],
        state="mi",
        postal_code="48226",
        website="www.rocketmortgage.example",
    )
    assert company.company_ref.startswith("CO-")
    assert company.legal_name == "Rocket Mortgage, LLC"
    assert company.nmls_id == "3030"
    assert company.other_names == ["Quicken Loans"]
    assert company.business_types == [BusinessType.MORTGAGE_ORIGINATION, BusinessType.MORTGAGE_SERVICING]
    assert set(CompanyBusinessType.objects.filter(company=company).values_list("business_type", flat=True)) == {
        "mortgage_origination",
        "mortgage_servicing",
    }
    assert company.state == "MI"
    assert company.website == "https://www.rocketmortgage.example"
    event = AuditEvent.objects.get(action="company.created")
    assert event.company_id == company.pk and event.actor == supervisor_a


def test_company_ids_skip_references_already_taken(supervisor_a, company_x):
    # company_x was loaded with CO-000001, which the counter would hand out first.
    company = services.company_create(actor=supervisor_a, legal_name="New Lender LLC")
    assert company.company_ref != company_x.company_ref
    assert Company.objects.filter(company_ref=company.company_ref).count() == 1


def test_duplicate_nmls_id_refused_and_nothing_written(supervisor_a, company_x):
    before = db_state()
    with pytest.raises(Conflict) as exc:
        services.company_create(actor=supervisor_a, legal_name="Copycat", nmls_id=company_x.nmls_id)
    assert exc.value.code == "duplicate_nmls_id" and company_x.legal_name in exc.value.detail
    assert db_state() == before


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("nmls_id", "12AB", "invalid_nmls_id"),
        ("state", "ZZ", "invalid_state"),
        ("postal_code", "1234", "invalid_postal_code"),
        ("website", "not a url", "invalid_website"),
        ("phone", "call me", "invalid_phone"),
        ("business_types", ["Payday Magic"], "invalid_business_type"),
        ("legal_name", "   ", "required"),
    ],
)
def test_invalid_fields_refused(supervisor_a, field, value, code):
    before = db_state()
    values = {"legal_name": "Valid Name", field: value}
    with pytest.raises(ApplicationError) as exc:
        services.company_create(actor=supervisor_a, **values)
    assert exc.value.code == code and exc.value.field == field
    assert db_state() == before


def test_create_refused_for_viewer_and_company_user(viewer_a, company_admin_x):
    before = db_state()
    for user in (viewer_a, company_admin_x):
        with pytest.raises(PermissionDenied):
            services.company_create(actor=user, legal_name="Nope Inc")
    assert db_state() == before
    assert security_events("company.create.denied") == 2


def test_update_bumps_version_and_checks_it(manager_a, company_x):
    updated = services.company_update(
        actor=manager_a,
        company=company_x,
        expected_version=1,
        legal_name="Ocwen Loan Servicing",
        city="West Palm Beach",
    )
    assert updated.version == 2 and updated.legal_name == "Ocwen Loan Servicing"
    event = AuditEvent.objects.get(action="company.updated")
    assert event.old_values == {"legal_name": "Ocwen Financial Corporation", "city": ""}
    before = db_state()
    with pytest.raises(PreconditionFailed):
        services.company_update(actor=manager_a, company=company_x, expected_version=1, city="Elsewhere")
    assert db_state() == before


def test_update_to_taken_nmls_id_refused(manager_a, company_x, company_y):
    before = db_state()
    with pytest.raises(Conflict):
        services.company_update(actor=manager_a, company=company_x, expected_version=1, nmls_id=company_y.nmls_id)
    assert db_state() == before


def test_company_admin_edits_contact_fields_only(company_admin_x, company_x):
    services.company_update(actor=company_admin_x, company=company_x, expected_version=1, phone="410-555-0100")
    company_x.refresh_from_db()
    assert company_x.phone == "410-555-0100"
    before = db_state()
    with pytest.raises(PermissionDenied):
        services.company_update(actor=company_admin_x, company=company_x, expected_version=2, legal_name="Renamed")
    assert db_state() == before


def test_company_admin_of_other_company_gets_not_found(company_admin_y, company_x):
    before = db_state()
    with pytest.raises(NotFound):
        services.company_update(actor=company_admin_y, company=company_x, expected_version=1, phone="410-555-0100")
    assert db_state() == before
    assert security_events("company.update.denied") == 1


def test_branches_and_individuals(supervisor_a, company_x, company_y):
    branch = services.branch_add(actor=supervisor_a, company=company_x, name="Baltimore office", nmls_id="77001")
    with pytest.raises(Conflict):
        services.branch_add(actor=supervisor_a, company=company_y, name="Other", nmls_id="77001")
    branch = services.branch_update(actor=supervisor_a, branch=branch, expected_version=1, city="Baltimore", state="MD")
    assert branch.version == 2 and branch.state == "MD"
    with pytest.raises(PreconditionFailed):
        services.branch_update(actor=supervisor_a, branch=branch, expected_version=1, city="Towson")
    person = services.individual_add(
        actor=supervisor_a, company=company_x, first_name="Pat", last_name="Lender", nmls_id="88001"
    )
    with pytest.raises(Conflict):
        services.individual_add(actor=supervisor_a, company=company_x, first_name="A", last_name="B", nmls_id="88001")
    person = services.individual_update(actor=supervisor_a, individual=person, expected_version=1, last_name="Loaner")
    assert person.last_name == "Loaner"
    services.branch_remove(actor=supervisor_a, branch=branch)
    services.individual_remove(actor=supervisor_a, individual=person)
    assert not Branch.objects.exists() and not Individual.objects.exists()
    assert AuditEvent.objects.filter(action__in=["branch.deleted", "individual.deleted"]).count() == 2


def test_branch_refused_for_company_admin(company_admin_x, company_x):
    before = db_state()
    with pytest.raises(PermissionDenied):
        services.branch_add(actor=company_admin_x, company=company_x, name="Branch")
    assert db_state() == before


def test_licences_are_unique_per_agency(supervisor_a, supervisor_b, agency_a, agency_b, company_x, company_y):
    lic = services.license_add(
        actor=supervisor_a, company=company_x, agency=agency_a, license_number="MLR-1", license_type="Mortgage Lender"
    )
    # Another agency may use the same number for its own licence.
    services.license_add(actor=supervisor_b, company=company_y, agency=agency_b, license_number="MLR-1")
    before = db_state()
    with pytest.raises(Conflict) as exc:
        services.license_add(actor=supervisor_a, company=company_y, agency=agency_a, license_number="MLR-1")
    assert exc.value.code == "duplicate_license_number"
    # An agency cannot record licences for another agency.
    with pytest.raises(PermissionDenied):
        services.license_add(actor=supervisor_b, company=company_x, agency=agency_a, license_number="X-2")
    assert db_state() == before
    lic = services.license_update(actor=supervisor_a, license=lic, expected_version=1, license_number="MLR-1A")
    assert lic.license_number == "MLR-1A" and lic.version == 2
    services.license_remove(actor=supervisor_a, license=lic)
    assert not StateLicense.objects.filter(agency=agency_a).exists()


def test_supervision_mark_and_unmark(manager_a, viewer_a, agency_a, agency_b, company_x):
    services.supervision_mark(actor=manager_a, company=company_x, agency=agency_a)
    services.supervision_mark(actor=manager_a, company=company_x, agency=agency_a)
    assert Supervision.objects.filter(company=company_x).count() == 1
    assert AuditEvent.objects.filter(action="company.supervision_marked").count() == 1
    before = db_state()
    with pytest.raises(PermissionDenied):
        services.supervision_unmark(actor=viewer_a, company=company_x, agency=agency_a)
    with pytest.raises(PermissionDenied):
        services.supervision_mark(actor=manager_a, company=company_x, agency=agency_b)
    assert db_state() == before
    services.supervision_unmark(actor=manager_a, company=company_x, agency=agency_a)
    assert not Supervision.objects.exists()


def test_notification_addresses_deduplicated_and_validated(company_admin_x, company_x):
    services.notification_address_add(actor=company_admin_x, company=company_x, email="Complaints@Ocwen.example ")
    services.notification_address_add(actor=company_admin_x, company=company_x, email="complaints@ocwen.example")
    assert list(company_x.notification_addresses.values_list("email", flat=True)) == ["complaints@ocwen.example"]
    before = db_state()
    with pytest.raises(ApplicationError) as exc:
        services.notification_address_add(actor=company_admin_x, company=company_x, email="not-an-address")
    assert exc.value.code == "invalid_email"
    assert db_state() == before
    services.notification_address_remove(actor=company_admin_x, company=company_x, email="COMPLAINTS@ocwen.example")
    assert not company_x.notification_addresses.exists()


def test_notification_address_refused_for_plain_company_user(company_user_x, company_x):
    before = db_state()
    with pytest.raises(PermissionDenied):
        services.notification_address_add(actor=company_user_x, company=company_x, email="a@b.example")
    assert db_state() == before


def test_system_actor_is_allowed(company_x, agency_a):
    company = services.company_create(actor=None, legal_name="System Loaded LLC")
    services.supervision_mark(actor=None, company=company, agency=agency_a)
    assert AuditEvent.objects.filter(action="company.created", actor__isnull=True, actor_label="system").exists()
