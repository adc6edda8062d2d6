from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from redress.audit.models import AuditEvent
from redress.companies.importing import ImportRejected, companies_import_csv
from redress.companies.models import Company, StateLicense, Supervision
from redress.core.errors import PermissionDenied

from .helpers import db_state

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "companies_sample.csv"
HEADER = "nmls_id,legal_name,other_names,state,business_types,license_number,license_type,supervised\n"


def test_sample_file_imports(supervisor_a, agency_a):
    result = companies_import_csv(actor=supervisor_a, file=SAMPLE.read_bytes(), agency=agency_a)
    assert result.created == 50 and result.updated == 0
    assert Company.objects.count() == 50
    assert Supervision.objects.filter(agency=agency_a).count() == StateLicense.objects.filter(agency=agency_a).count()
    assert Supervision.objects.filter(agency=agency_a).count() > 10
    boa = Company.objects.get(legal_name="BANK OF AMERICA, NATIONAL ASSOCIATION")
    assert boa.other_names == ["Bank of America"] and "commercial_bank" in boa.business_types
    assert AuditEvent.objects.filter(action="company.import_completed").count() == 1


def test_reimport_updates_instead_of_duplicating(supervisor_a, agency_a):
    companies_import_csv(actor=supervisor_a, file=SAMPLE.read_bytes(), agency=agency_a)
    refs = dict(Company.objects.values_list("nmls_id", "company_ref"))
    again = companies_import_csv(actor=supervisor_a, file=SAMPLE.read_bytes(), agency=agency_a)
    assert again.created == 0 and again.updated == 0 and again.unchanged == 50
    changed = HEADER + "1868777,Bank of America N.A.,,NC,Commercial Bank,,,no\n"
    result = companies_import_csv(actor=supervisor_a, file=changed, agency=agency_a)
    assert result.updated == 1 and Company.objects.count() == 50
    boa = Company.objects.get(nmls_id="1868777")
    assert boa.legal_name == "Bank of America N.A." and boa.state == "NC" and boa.version == 2
    assert boa.company_ref == refs["1868777"]
    # Blank cells keep stored values; "no" removed supervision.
    assert boa.other_names == ["Bank of America"]
    assert not Supervision.objects.filter(company=boa, agency=agency_a).exists()


def test_two_bad_rows_create_nothing_and_are_both_reported(supervisor_a, agency_a, company_x):
    text = (
        HEADER
        + "9001,Good Lender LLC,,MD,Debt,,,yes\n"
        + "12x,Bad NMLS Inc,,MD,,,,\n"
        + "9002,Good Two,,MD,,,,\n"
        + f"{company_x.nmls_id},Renamed Ocwen,,ZZ,Payday Magic,,,maybe\n"
    )
    before = db_state()
    with pytest.raises(ImportRejected) as exc:
        companies_import_csv(actor=supervisor_a, file=text.encode(), agency=agency_a)
    problems = {(e.row, e.column) for e in exc.value.errors}
    assert problems == {(3, "nmls_id"), (5, "state"), (5, "business_types"), (5, "supervised")}
    assert db_state() == before


def test_duplicates_within_file_and_licence_clash(supervisor_a, agency_a, company_y):
    StateLicense.objects.create(agency=agency_a, company=company_y, license_number="L-1")
    text = HEADER + "9001,A,,,,L-1,,\n" + "9001,B,,,,L-2,,\n" + "9003,C,,,,L-2,,\n"
    with pytest.raises(ImportRejected) as exc:
        companies_import_csv(actor=supervisor_a, file=text, agency=agency_a)
    messages = [(e.row, e.column) for e in exc.value.errors]
    assert (2, "license_number") in messages and (3, "nmls_id") in messages and (4, "license_number") in messages
    assert not Company.objects.filter(nmls_id__in=["9001", "9003"]).exists()


def test_formula_text_is_stored_literally(supervisor_a):
    text = 'nmls_id,legal_name,other_names\n9100,"=HYPERLINK(""http://evil.example"",""x"")","+SUM(1,2); @cmd"\n'
    companies_import_csv(actor=supervisor_a, file=text)
    company = Company.objects.get(nmls_id="9100")
    assert company.legal_name == '=HYPERLINK("http://evil.example","x")'
    assert company.other_names == ["+SUM(1,2)", "@cmd"]


@pytest.mark.parametrize(
    ("content", "column"),
    [
        (b"", ""),
        (b"\xff\xfe\x00bad", ""),
        (b"nmls_id,legal_name,colour\n1,A,red\n", "colour"),
        (b"legal_name\nA\n", "nmls_id"),
        (b"nmls_id,legal_name\n", ""),
        (b"nmls_id,legal_name\n1,A,extra\n", ""),
    ],
)
def test_malformed_files_are_rejected(supervisor_a, content, column):
    with pytest.raises(ImportRejected) as exc:
        companies_import_csv(actor=supervisor_a, file=io.BytesIO(content))
    assert exc.value.errors[0].column == column
    assert not Company.objects.exists()


def test_licence_without_agency_is_a_row_error(supervisor_a):
    with pytest.raises(ImportRejected) as exc:
        companies_import_csv(actor=supervisor_a, file=HEADER + "9001,A,,,,L-1,,yes\n")
    assert {e.column for e in exc.value.errors} == {"license_number", "supervised"}


def test_import_refused_for_viewer_company_user_and_other_agency(viewer_a, company_admin_x, supervisor_b, agency_a):
    before = db_state()
    for user, agency in ((viewer_a, None), (company_admin_x, None), (supervisor_b, agency_a)):
        with pytest.raises(PermissionDenied):
            companies_import_csv(actor=user, file=SAMPLE.read_bytes(), agency=agency)
    assert db_state() == before


def test_management_command(tmp_path, agency_a, supervisor_a, capsys):
    call_command("companies", "import", str(SAMPLE), "--agency", agency_a.code, "--actor", supervisor_a.email)
    assert Company.objects.count() == 50
    bad = tmp_path / "bad.csv"
    bad.write_text("nmls_id,legal_name\nabc,X\n")
    with pytest.raises(CommandError):
        call_command("companies", "import", str(bad))
    assert "row 2, nmls_id" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("companies", "import", str(SAMPLE), "--agency", "NOPE")


def test_demo_file_is_valid(agency_a):
    demo = Path(__file__).parents[1] / "data" / "demo_companies.csv"
    result = companies_import_csv(actor=None, file=demo.read_bytes(), agency=agency_a)
    assert result.created == 300
