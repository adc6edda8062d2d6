import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from redress.audit.models import AuditEvent
from redress.companies.constants import ComplaintsAccess
from redress.companies.models import CompanyMembership
from redress.core import clock
from redress.core.errors import NotFound
from redress.documents.constants import DocumentContext, DocumentVisibility
from redress.documents.models import Document
from redress.documents.selectors import document_get_for, documents_attached_to, register_attachment_rule
from redress.documents.services import documents_upload

pytestmark = pytest.mark.django_db


def _doc(agency, company, visibility, context=DocumentContext.RESPONSE, name="evidence.pdf", body=b"%PDF-1.4 body"):
    [doc] = documents_upload(
        actor=None,
        files=[SimpleUploadedFile(name, body)],
        context=context,
        visibility=visibility,
        agency=agency,
        company=company,
    )
    return doc


@pytest.fixture
def company_none_x(make_user, company_x):
    user = make_user(full_name="Nora Noaccess")
    CompanyMembership.objects.create(user=user, company=company_x, complaints_access=ComplaintsAccess.NONE)
    return user


SHARED, PRIVATE = DocumentVisibility.AGENCY_AND_COMPANY, DocumentVisibility.AGENCY_ONLY


@pytest.mark.parametrize(
    ("who", "sees_shared", "sees_private"),
    [
        ("supervisor_a", True, True),
        ("manager_a", True, True),
        ("viewer_a", True, True),
        ("agency_admin_a", True, True),
        ("supervisor_b", False, False),
        ("company_admin_x", True, False),
        ("company_user_x", True, False),
        ("company_viewer_x", True, False),
        ("company_none_x", False, False),
        ("company_admin_y", False, False),
        ("sysadmin", False, False),
    ],
)
def test_visibility_matrix(request, agency_a, company_x, who, sees_shared, sees_private):
    user = request.getfixturevalue(who)
    shared = _doc(agency_a, company_x, SHARED)
    private = _doc(agency_a, company_x, PRIVATE)
    for doc, expected in ((shared, sees_shared), (private, sees_private)):
        if expected:
            assert document_get_for(actor=user, ref=str(doc.ref)) == doc
        else:
            with pytest.raises(NotFound):
                document_get_for(actor=user, ref=str(doc.ref))


def test_company_record_files_need_no_complaints_access(agency_a, company_x, company_none_x):
    doc = _doc(agency_a, company_x, SHARED, context=DocumentContext.COMPANY)
    assert document_get_for(actor=company_none_x, ref=doc.ref) == doc


def test_missing_malformed_and_disposed_answer_alike(supervisor_a, agency_a):
    doc = _doc(agency_a, None, PRIVATE)
    Document.objects.filter(pk=doc.pk).update(disposed_at=clock.now())
    for ref in (str(doc.ref), str(uuid.uuid4()), "not-a-uuid", "1", "../../etc/passwd"):
        with pytest.raises(NotFound) as caught:
            document_get_for(actor=supervisor_a, ref=ref)
        assert caught.value.detail == "Document not found."


def test_attachment_rule_widens_agency_access_only(agency_a, supervisor_b, company_admin_y, company_x):
    [doc] = documents_upload(
        actor=None,
        files=[SimpleUploadedFile("a.txt", b"a")],
        context=DocumentContext.INTAKE,
        visibility=SHARED,
        agency=agency_a,
        company=company_x,
        attached_to=("tests.granted", "7"),
    )
    register_attachment_rule("tests.granted", lambda actor, document: document.attached_id == "7")
    assert document_get_for(actor=supervisor_b, ref=doc.ref) == doc
    assert documents_attached_to(actor=supervisor_b, attached_type="tests.granted", attached_id="7") == [doc]
    with pytest.raises(NotFound):
        document_get_for(actor=company_admin_y, ref=doc.ref)


# --- download view ---------------------------------------------------------------------------


def _download(client, user, doc_or_ref):
    client.force_login(user)
    ref = doc_or_ref.ref if isinstance(doc_or_ref, Document) else doc_or_ref
    return client.get(reverse("web:document_download", args=[str(ref)]))


def test_download_is_a_safe_attachment(client, supervisor_a, agency_a):
    body = b"<html><script>alert(1)</script></html>"
    doc = _doc(agency_a, None, PRIVATE, name="page.html", body=body)
    response = _download(client, supervisor_a, doc)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == body
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment; filename=\"page.html\"; filename*=UTF-8''page.html"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["Content-Length"] == str(len(body))
    event = AuditEvent.objects.get(action="document.downloaded")
    assert event.actor == supervisor_a and event.target_id == str(doc.pk) and event.agency_id == agency_a.pk


@pytest.mark.parametrize(
    "name",
    ["Résumé 履歴書.pdf", 'quote"and;semi.pdf', "a\x00b\r\nc.txt", "../../etc/passwd", "x" * 190 + ".pdf"],
)
def test_download_headers_for_weird_names(client, supervisor_a, agency_a, name):
    doc = _doc(agency_a, None, PRIVATE, name=name)
    response = _download(client, supervisor_a, doc)
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert "\r" not in disposition and "\n" not in disposition and "/" not in disposition
    assert disposition.encode("latin-1").decode("ascii")  # header is pure ASCII


def test_download_refused_out_of_scope_is_404_and_audited(client, agency_a, company_x, supervisor_b, company_user_x):
    private = _doc(agency_a, company_x, PRIVATE)
    assert _download(client, supervisor_b, private).status_code == 404
    assert _download(client, company_user_x, private).status_code == 404
    assert _download(client, company_user_x, "not-a-uuid").status_code == 404
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()
    assert AuditEvent.objects.filter(action="document.download_refused", is_security=True).count() == 2


def test_company_downloads_shared_file(client, agency_a, company_x, company_user_x):
    shared = _doc(agency_a, company_x, SHARED)
    response = _download(client, company_user_x, shared)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 body"


def test_download_when_bytes_are_missing_is_404(settings, client, supervisor_a, agency_a):
    doc = _doc(agency_a, None, PRIVATE)
    Path(settings.MEDIA_ROOT, doc.storage_name).unlink()
    assert _download(client, supervisor_a, doc).status_code == 404


def test_download_requires_login(client, agency_a):
    doc = _doc(agency_a, None, PRIVATE)
    response = client.get(reverse("web:document_download", args=[str(doc.ref)]))
    assert response.status_code == 302


# --- upload page -----------------------------------------------------------------------------


def test_upload_page_lists_and_uploads(settings, client, supervisor_a, agency_a, supervisor_b):
    _doc(agency_b_doc := supervisor_b.agency_membership.agency, None, PRIVATE, name="b-secret.txt")
    assert agency_b_doc != agency_a
    client.force_login(supervisor_a)
    response = client.get(reverse("web:document_upload"))
    assert response.status_code == 200
    assert b'type="file"' in response.content and b"multiple" in response.content
    assert b"b-secret.txt" not in response.content

    files = [SimpleUploadedFile("first.txt", b"one"), SimpleUploadedFile("résumé.pdf", b"%PDF-1.4 x")]
    response = client.post(reverse("web:document_upload"), {"files": files})
    assert response.status_code == 302
    docs = Document.objects.filter(agency=agency_a)
    assert sorted(d.original_name for d in docs) == ["first.txt", "résumé.pdf"]
    assert {d.context for d in docs} == {DocumentContext.OTHER}
    page = client.get(reverse("web:document_upload")).content.decode()
    assert "first.txt" in page and "résumé.pdf" in page


def test_upload_page_shows_errors_and_stores_nothing(settings, client, supervisor_a, agency_a):
    settings.REDRESS_UPLOAD_MAX_BYTES = 2
    client.force_login(supervisor_a)
    response = client.post(
        reverse("web:document_upload"),
        {"files": [SimpleUploadedFile("ok.txt", b"ok"), SimpleUploadedFile("big.txt", b"too big")]},
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "There is a problem" in content
    assert "File &#x27;big.txt&#x27; is larger than 2 bytes." in content
    assert 'aria-describedby="id_files-hint id_files-error"' in content
    assert Document.objects.count() == 0


def test_upload_with_no_files_is_a_form_error(client, supervisor_a):
    client.force_login(supervisor_a)
    response = client.post(reverse("web:document_upload"), {})
    assert response.status_code == 422
    assert b"Choose at least one file" in response.content


def test_too_many_files_is_not_a_server_error(settings, client, supervisor_a):
    client.force_login(supervisor_a)
    files = [SimpleUploadedFile(f"f{i}.txt", b"x") for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    response = client.post(reverse("web:document_upload"), {"files": files})
    assert response.status_code in (400, 422)
    assert Document.objects.count() == 0


def test_viewer_sees_list_but_cannot_upload(client, viewer_a, agency_a):
    _doc(agency_a, None, PRIVATE, name="visible.txt")
    client.force_login(viewer_a)
    response = client.get(reverse("web:document_upload"))
    assert response.status_code == 200
    assert b"visible.txt" in response.content
    assert b'type="file"' not in response.content
    response = client.post(reverse("web:document_upload"), {"files": [SimpleUploadedFile("x.txt", b"x")]})
    assert response.status_code == 403
    assert Document.objects.count() == 1


@pytest.mark.parametrize("who", ["company_user_x", "sysadmin"])
def test_upload_page_is_for_agency_users(request, client, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("web:document_upload")).status_code == 404
