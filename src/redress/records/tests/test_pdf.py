import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from redress.accounts.tokens import token_create
from redress.audit.models import AuditEvent
from redress.companies.constants import ComplaintsAccess
from redress.companies.models import CompanyMembership
from redress.complaints.exchange import company_poc_assign
from redress.complaints.related import related_company_add
from redress.complaints.research import research_entry_add
from redress.complaints.services import complaint_close, complaint_create
from redress.complaints.tests.conftest import intake_details
from redress.complaints.violations import violation_add
from redress.core import clock
from redress.core.errors import NotFound
from redress.information_requests import responses
from redress.information_requests.attachments import response_attach_documents
from redress.information_requests.services import ir_create, ir_send
from redress.records.pdf import complaint_record_pdf

from .conftest import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def build_record(supervisor_a, company_user_x, company_x, company_y, make_user):
    """A closed complaint with ``n`` answered IRs (one response file each), a research entry and an
    alleged violation, entered through the services as a Supervisor and Company X."""
    company_x.complaints_contact = company_user_x
    company_x.save(update_fields=["complaints_contact"])
    responder = make_user(full_name="Xavi Responder")
    CompanyMembership.objects.create(user=responder, company=company_x, complaints_access=ComplaintsAccess.MANAGE)

    def build(n: int = 1, *, draft: bool = False):
        complaint = complaint_create(
            actor=supervisor_a,
            subject_type="company",
            subject_id=company_x.pk,
            details=intake_details(restrict_complainant=True),
            submit_for_review=False,
        )
        irs = [
            ir_create(
                actor=supervisor_a,
                complaint_ref=complaint.ref,
                title=f"Ledger {i}",
                description=f"Send ledger number {i}.",
                due_date=clock.today() + dt.timedelta(days=14),
                ready=True,
            )
            for i in range(n)
        ]
        ir_send(actor=supervisor_a, complaint_ref=complaint.ref, refs=[ir.ref for ir in irs])
        complaint.refresh_from_db()
        company_poc_assign(actor=company_user_x, ref=complaint.ref, poc=responder, expected_version=complaint.version)
        for i, ir in enumerate(irs):
            responses.response_save_draft(
                actor=responder, ir_ref=ir.ref, text=f"Ledger {i} is attached.", expected_version=None
            )
            response_attach_documents(actor=responder, ir_ref=ir.ref, files=[upload(f"ledger-{i}.txt", b"ledger")])
            if draft and i == n - 1:
                continue  # the company's draft, never submitted
            responses.response_submit(actor=responder, ir_ref=ir.ref, expected_version=None)
        research_entry_add(
            actor=supervisor_a,
            ref=complaint.ref,
            kind="communication",
            method="phone",
            party="consumer",
            occurred_on=clock.today(),
            description="Called the consumer back.",
        )
        violation_add(actor=supervisor_a, ref=complaint.ref, description="Late fee charged.", citation="Reg X")
        related_company_add(actor=supervisor_a, ref=complaint.ref, company_ref=company_y.company_ref)
        complaint.refresh_from_db()
        complaint_close(
            actor=supervisor_a,
            ref=complaint.ref,
            closure={"reason": "invalid", "internal_notes": "Nothing further."},
            expected_version=complaint.version,
            files=[upload("closure.txt", b"closure letter")],
        )
        complaint.refresh_from_db()
        return complaint

    return build


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_pdf_holds_the_whole_record_and_is_tagged(build_record, viewer_a, company_x, company_y):
    complaint = build_record(1)
    pdf = complaint_record_pdf(actor=viewer_a, ref=complaint.ref)
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    for expected in (
        complaint.ref,
        company_x.legal_name,
        "Send ledger number 0.",  # the IR question
        "Ledger 0 is attached.",  # the response
        "ledger-0.txt",
        "Called the consumer back.",  # research entry
        "Late fee charged.",  # alleged violation
        f"Company {company_y.legal_name}",  # related item
        "Invalid",  # closure reason label
        "Nothing further.",
        "Pat Rivera",  # restricted complainant: the owning agency sees it
        "Restricted",
        "complaint.closed",  # a history event
        "ir.response_submitted",  # an IR status history event
    ):
        assert expected in text, expected
    for document in ("ledger-0.txt", "closure.txt"):
        assert document in text
    from redress.records.disposition import complaint_documents

    for document in complaint_documents(complaint):
        assert document.sha256[:16] in text.replace(" ", "")

    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert reader.metadata.title == f"Complaint record {complaint.ref}"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]


def test_every_pdf_export_is_audited(build_record, supervisor_a):
    complaint = build_record(1)
    complaint_record_pdf(actor=supervisor_a, ref=complaint.ref)
    event = AuditEvent.objects.get(action="records.exported", target_id=str(complaint.pk))
    assert event.actor_id == supervisor_a.pk and event.new_values["format"] == "pdf"
    assert event.new_values["information_requests"] == 1 and event.new_values["documents"] == 2


def test_company_draft_responses_stay_out(build_record, supervisor_a):
    complaint = build_record(2, draft=True)
    text = _text(complaint_record_pdf(actor=supervisor_a, ref=complaint.ref))
    assert "Ledger 0 is attached." in text and "ledger-0.txt" in text
    assert "Ledger 1 is attached." not in text
    assert "Send ledger number 1." in text
    # the documents list holds the submitted response's file and the closure letter, not the draft's file
    assert AuditEvent.objects.get(action="records.exported").new_values["documents"] == 2


def test_queries_do_not_grow_with_the_number_of_irs(build_record, supervisor_a):
    one, five = build_record(1), build_record(5)
    counts = []
    for complaint in (one, five):
        with CaptureQueriesContext(connection) as queries:
            complaint_record_pdf(actor=supervisor_a, ref=complaint.ref)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts
    assert "Ledger 4 is attached." in _text(complaint_record_pdf(actor=supervisor_a, ref=five.ref))


@pytest.mark.parametrize("who", ["supervisor_b", "company_admin_x", "company_user_x", "sysadmin"])
def test_outsiders_get_not_found_everywhere(request, who, build_record, client):
    complaint = build_record(1)
    user = request.getfixturevalue(who)
    with pytest.raises(NotFound):
        complaint_record_pdf(actor=user, ref=complaint.ref)
    client.force_login(user)
    assert client.get(reverse("web:records_export_pdf", args=[complaint.ref])).status_code == 404
    _token, secret = token_create(actor=user, user=user, name="pdf", days=None)
    api = client.get(
        f"/api/v1/records/complaints/{complaint.ref}/record.pdf", headers={"Authorization": f"Bearer {secret}"}
    )
    assert api.status_code == 404 and api["Content-Type"] == "application/problem+json"
    assert not AuditEvent.objects.filter(action="records.exported").exists()


def test_missing_complaint_is_not_found(supervisor_a, client):
    with pytest.raises(NotFound):
        complaint_record_pdf(actor=supervisor_a, ref="CMP-2020-999999")
    client.force_login(supervisor_a)
    assert client.get(reverse("web:records_export_pdf", args=["CMP-2020-999999"])).status_code == 404


def test_download_link_and_attachment_on_the_web(build_record, supervisor_a, client):
    complaint = build_record(1)
    client.force_login(supervisor_a)
    url = reverse("web:records_export_pdf", args=[complaint.ref])
    assert url == f"/records/export/{complaint.ref}.pdf"
    assert url in client.get(f"/complaints/{complaint.ref}/").content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{complaint.ref}-record.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]
    assert complaint.ref in _text(response.content)
    assert client.post(url).status_code == 405


def test_api_serves_the_pdf_to_the_owning_agency(build_record, viewer_a, client):
    complaint = build_record(1)
    _token, secret = token_create(actor=viewer_a, user=viewer_a, name="pdf", days=None)
    response = client.get(
        f"/api/v1/records/complaints/{complaint.ref}/record.pdf", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Send ledger number 0." in _text(response.content)
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/records/complaints/{ref}/record.pdf"]["get"]
    assert "application/pdf" in operation["responses"]["200"]["content"]
    assert "404" in operation["responses"]


def test_rendering_fetches_nothing(tmp_path):
    from weasyprint import HTML

    from redress.records.pdf import _NoFetch

    with pytest.raises(ValueError, match="fetches no resources"):
        _NoFetch().fetch("https://example.test/font.woff")
    image = tmp_path / "secret.svg"
    image.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text y="20">SECRET</text></svg>')
    page = f'<html lang="en"><title>t</title><p>ok</p><img alt="" src="{image.as_uri()}"></html>'
    assert "SECRET" in _text(HTML(string=page).write_pdf())  # the default fetcher would read it
    assert "SECRET" not in _text(HTML(string=page, url_fetcher=_NoFetch()).write_pdf())


def test_the_zip_export_leaves_company_draft_files_out_too(build_record, supervisor_a):
    import zipfile

    from redress.records.export import complaint_record_export

    complaint = build_record(2, draft=True)
    _, archive = complaint_record_export(actor=supervisor_a, ref=complaint.ref)
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
    assert any(name.endswith("-ledger-0.txt") for name in names)
    assert not any(name.endswith("-ledger-1.txt") for name in names)
    assert any(name.endswith("-closure.txt") for name in names)
