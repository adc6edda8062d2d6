"""Tenant isolation of shared complaints, as a matrix of readers × what they may read: the owning
agency, a granted agency, an agency whose grant was removed, an agency with nothing, a user with no
complaints role, and company users."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from redress.audit.selectors import history_for
from redress.complaints import access, policy, services
from redress.complaints.exports import complaints_csv_rows
from redress.complaints.selectors import ComplaintFilters, complaint_get_for, complaint_list_for
from redress.complaints.sharing_selectors import (
    access_rows_for_complaint,
    complaint_basic_get_for,
    complaint_basic_list_for,
    referrals_for,
)
from redress.complaints.ui_selectors import research_entries_for
from redress.core.errors import NotFound
from redress.documents.selectors import document_get_for
from redress.information_requests import responses
from redress.information_requests import services as irs
from redress.information_requests.attachments import ir_attach_documents, response_attach_documents
from redress.information_requests.selectors import ir_get_for, irs_for_complaint

from ..test_scenarios import later
from .conftest import grant

pytestmark = pytest.mark.django_db


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test body", content_type="application/pdf")


@pytest.fixture
def world(make_complaint, alice, mark, bob, bill, carl, xander, xavi, company_admin_y):
    """An A complaint with restricted complainant details, an intake document, a sent IR with a
    document, a submitted company response with a document and a research note; B granted."""
    complaint = make_complaint(mark, restrict_complainant=True, complainant_last_name="Zyskowski")
    open_one = make_complaint(mark, complainant_last_name="Openshaw")
    from redress.documents.services import documents_upload

    intake = documents_upload(
        actor=mark,
        files=[_pdf("intake.pdf")],
        context="intake",
        visibility="agency_only",
        agency=complaint.agency,
        attached_to=complaint,
    )[0]
    ir = irs.ir_create(actor=mark, complaint_ref=complaint.ref, title="History", description="Send.", due_date=later())
    [ir_doc] = ir_attach_documents(actor=mark, ref=ir.ref, files=[_pdf("request.pdf")])
    irs.ir_send(actor=mark, complaint_ref=complaint.ref, refs=[ir.ref])
    complaint.refresh_from_db()
    complaint.company_poc = xavi
    complaint.save(update_fields=["company_poc"])
    responses.response_save_draft(actor=xavi, ir_ref=ir.ref, text="See the ledger.", expected_version=None)
    [response_doc] = response_attach_documents(actor=xavi, ir_ref=ir.ref, files=[_pdf("ledger.pdf")])
    responses.response_submit(actor=xavi, ir_ref=ir.ref, expected_version=None)
    from redress.complaints import research

    research.research_entry_add(
        actor=mark,
        ref=complaint.ref,
        kind="communication",
        method="phone",
        party="consumer",
        occurred_on=later(-1),
        description="Called the consumer.",
    )
    granted = grant(alice, bill, complaint)
    grant(alice, bill, open_one)
    complaint.refresh_from_db()
    return {
        "complaint": complaint,
        "open_one": open_one,
        "documents": [intake, ir_doc, response_doc],
        "ir": ir,
        "grant": granted,
        "company_y": company_admin_y,
    }


def test_grantee_reads_everything_but_the_restricted_complainant(world, bob, bill):
    from redress.accounts.policy import actor_for

    complaint, ir = world["complaint"], world["ir"]
    for user in (bob, bill):
        seen = complaint_get_for(actor=user, ref=complaint.ref)
        assert seen == complaint
        assert not policy.can_see_complainant(actor_for(user), seen)
        assert not policy.can_manage(actor_for(user), seen)
        for document in world["documents"]:
            assert document_get_for(actor=user, ref=document.ref) == document
        assert list(irs_for_complaint(actor=user, ref=complaint.ref)) == [ir]
        assert ir_get_for(actor=user, ir_ref=ir.ref) == ir
        assert research_entries_for(actor=user, complaint=complaint)
    # The unrestricted one shows its complainant to the grantee.
    assert policy.can_see_complainant(actor_for(bob), world["open_one"])


def test_history_of_a_restricted_complaint_stays_with_the_owner(world, alice, bob):
    complaint, open_one = world["complaint"], world["open_one"]
    assert history_for(actor=alice, target_type="complaints.complaint", target_id=str(complaint.pk)).exists()
    with pytest.raises(NotFound):
        history_for(actor=bob, target_type="complaints.complaint", target_id=str(complaint.pk))
    assert history_for(actor=bob, target_type="complaints.complaint", target_id=str(open_one.pk)).exists()


def test_lists_search_and_export_keep_own_and_shared_apart(world, mark, bob):
    complaint, open_one = world["complaint"], world["open_one"]
    assert not complaint_list_for(actor=bob).exists()  # B's own list: nothing of A's
    assert complaint_list_for(actor=bob).count() == 0
    shared = complaint_list_for(actor=bob, filters=ComplaintFilters(scope="shared"))
    assert set(shared) == {complaint, open_one}
    assert not complaint_list_for(actor=mark, filters=ComplaintFilters(scope="shared")).exists()
    # Searching by the complainant's last name finds the restricted complaint only for its owner.
    assert not complaint_list_for(actor=bob, filters=ComplaintFilters(scope="shared", q="Zyskowski")).exists()
    assert list(complaint_list_for(actor=mark, filters=ComplaintFilters(q="Zyskowski"))) == [complaint]
    assert list(complaint_list_for(actor=bob, filters=ComplaintFilters(scope="shared", q="Openshaw"))) == [open_one]
    rows = list(complaints_csv_rows(bob, ComplaintFilters(scope="shared")))
    header, body = rows[0], {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(body) == {complaint.ref, open_one.ref} and "Complainant last name" in header
    assert body[complaint.ref]["Complainant last name"] == "" and body[complaint.ref]["Complainant first name"] == ""
    assert body[open_one.ref]["Complainant last name"] == "Openshaw"
    assert "Zyskowski" not in repr(rows)
    own = list(complaints_csv_rows(mark, ComplaintFilters()))
    assert "Zyskowski" in repr(own)


def test_an_agency_without_a_grant_sees_only_the_basic_view(world, carl):
    complaint = world["complaint"]
    with pytest.raises(NotFound):
        complaint_get_for(actor=carl, ref=complaint.ref)
    for document in world["documents"]:
        with pytest.raises(NotFound):
            document_get_for(actor=carl, ref=document.ref)
    with pytest.raises(NotFound):
        irs_for_complaint(actor=carl, ref=complaint.ref)
    with pytest.raises(NotFound):
        history_for(actor=carl, target_type="complaints.complaint", target_id=str(complaint.pk))
    basic = complaint_basic_get_for(actor=carl, ref=complaint.ref)
    assert basic.ref == complaint.ref and basic.agency_code == complaint.agency.code and not basic.readable
    assert "Zyskowski" not in repr(basic) and complaint.summary not in repr(basic)
    assert complaint.ref in set(complaint_basic_list_for(actor=carl).values_list("ref", flat=True))
    assert not complaint_list_for(actor=carl, filters=ComplaintFilters(scope="shared")).exists()
    assert access_rows_for_complaint(actor=carl, ref=complaint.ref) == []  # B's request is not C's business


def test_a_removed_grant_drops_back_to_the_basic_view(world, alice, bob):
    complaint, granted = world["complaint"], world["grant"]
    access.access_remove(actor=alice, ref=complaint.ref, grant_id=granted.pk)
    with pytest.raises(NotFound):
        complaint_get_for(actor=bob, ref=complaint.ref)
    for document in world["documents"]:
        with pytest.raises(NotFound):
            document_get_for(actor=bob, ref=document.ref)
    assert complaint not in complaint_list_for(actor=bob, filters=ComplaintFilters(scope="shared"))
    assert not complaint_basic_get_for(actor=bob, ref=complaint.ref).readable


def test_companies_and_users_without_a_complaints_role_see_none_of_it(world, xavi, examiner_b, sysadmin):
    complaint = world["complaint"]
    for user in (xavi, world["company_y"], examiner_b, sysadmin):
        with pytest.raises(NotFound):
            complaint_basic_get_for(actor=user, ref=complaint.ref)
        assert not complaint_basic_list_for(actor=user).exists()
        assert not complaint_list_for(actor=user, filters=ComplaintFilters(scope="shared")).exists()
        with pytest.raises(NotFound):
            access_rows_for_complaint(actor=user, ref=complaint.ref)
        assert not referrals_for(actor=user, view="history").exists()
        with pytest.raises(NotFound):
            access.access_request(actor=user, ref=complaint.ref)
    # Xavi (Company POC) still reads his own projection of the complaint, without the restricted name.
    from redress.accounts.policy import actor_for

    assert complaint_get_for(actor=xavi, ref=complaint.ref) == complaint
    assert not policy.can_see_complainant(actor_for(xavi), complaint)


def test_the_owner_reads_every_access_row_and_a_grantee_only_its_own(world, alice, bob, carl):
    complaint = world["complaint"]
    access.access_request(actor=carl, ref=complaint.ref, comment="And us?")
    assert {g.grantee_agency.code for g in access_rows_for_complaint(actor=alice, ref=complaint.ref)} == {
        "TX-DOB",
        "NY-DFS",
    }
    assert {g.grantee_agency.code for g in access_rows_for_complaint(actor=bob, ref=complaint.ref)} == {"TX-DOB"}


def test_a_grantee_changes_nothing(world, bob):
    complaint = world["complaint"]
    from redress.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.complaint_update(actor=bob, ref=complaint.ref, changes={"cfpb_id": "1"}, expected_version=None)
    with pytest.raises(PermissionDenied):
        access.access_remove(actor=bob, ref=complaint.ref, grant_id=world["grant"].pk)


def test_an_accepted_referral_takes_the_referring_agencys_categories_off(
    make_complaint, mark, bill, agency_a, agency_b
):
    from redress.audit.models import AuditEvent
    from redress.complaints import referrals
    from redress.complaints.categories import category_names
    from redress.complaints.models import ComplaintCategory

    a_category = ComplaintCategory.objects.filter(agency=agency_a, is_active=True).first()
    complaint = make_complaint(mark)
    services.complaint_update(
        actor=mark, ref=complaint.ref, changes={"categories": [a_category.pk]}, expected_version=None
    )
    assert category_names(complaint) == [a_category.name]
    referrals.referral_create(actor=mark, ref=complaint.ref, to_agency_id=agency_b.pk, comment="Theirs.")
    complaint.refresh_from_db()
    referrals.referral_accept(actor=bill, ref=complaint.ref, expected_version=complaint.version)

    complaint = complaint_get_for(actor=bill, ref=complaint.ref)
    assert category_names(complaint) == []
    assert not complaint.category_links.exists()
    event = AuditEvent.objects.filter(action="complaint.referral_accepted").get()
    assert event.old_values["categories"] == [a_category.name]
    # The new owner files it under its own list.
    b_category = ComplaintCategory.objects.filter(agency=agency_b, is_active=True).first()
    services.complaint_update(
        actor=bill, ref=complaint.ref, changes={"categories": [b_category.pk]}, expected_version=None
    )
    assert category_names(complaint_get_for(actor=bill, ref=complaint.ref)) == [b_category.name]
