import datetime as dt

import pytest

from redress.complaints import services
from redress.complaints.exports import HEADER, complaints_csv_rows
from redress.complaints.models import Complaint
from redress.complaints.selectors import ComplaintFilters
from redress.core import clock
from redress.core.errors import NotFound

pytestmark = pytest.mark.django_db


def _by_ref(rows):
    return {row[0]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}


def test_export_rows_scope_closure_and_formula_safety(make_complaint, supervisor_a, supervisor_b):
    closed = make_complaint(supervisor_a, complainant_last_name="=HYPERLINK(1)", cfpb_id="+123")
    open_one = make_complaint(supervisor_a, summary="-hidden")
    make_complaint(supervisor_b)
    services.complaint_close(
        actor=supervisor_a,
        ref=closed.ref,
        closure={
            "reason": "monetary_relief",
            "monetary_relief_cents": 12_345,
            "relief_paid_on": clock.today() - dt.timedelta(days=1),
        },
        expected_version=None,
    )
    rows = list(complaints_csv_rows(supervisor_a, None))
    assert rows[0] == list(HEADER)
    by_ref = _by_ref(rows)
    assert set(by_ref) == {closed.ref, open_one.ref}
    row = by_ref[closed.ref]
    assert row["Complainant last name"] == "'=HYPERLINK(1)"
    assert row["CFPB ID"] == "'+123"
    assert row["Closure reason"] == "Closed with Monetary Relief"
    assert row["Monetary relief"] == "123.45"
    assert row["Amount in dispute"] == "75.00"
    assert row["Status"] == "Closed" and row["Date closed"] == clock.today().isoformat()
    assert by_ref[open_one.ref]["Closure reason"] == "" and by_ref[open_one.ref]["Date closed"] == ""


def test_export_follows_filters_and_text(make_complaint, supervisor_a):
    a = make_complaint(supervisor_a, summary="Escrow analysis was wrong.")
    make_complaint(supervisor_a, summary="Late fee.", desired_outcome="")
    assert list(_by_ref(list(complaints_csv_rows(supervisor_a, None, text="escrow")))) == [a.ref]
    assert _by_ref(list(complaints_csv_rows(supervisor_a, ComplaintFilters(statuses=("closed",))))) == {}


def test_the_export_is_refused_to_company_users(make_complaint, supervisor_a, company_admin_x):
    complaint = make_complaint(supervisor_a, restrict_complainant=True)
    Complaint.objects.filter(pk=complaint.pk).update(first_ir_sent_at=clock.now())
    with pytest.raises(NotFound):
        complaints_csv_rows(company_admin_x, None)
    agency_row = _by_ref(list(complaints_csv_rows(supervisor_a, None)))[complaint.ref]
    assert agency_row["Complainant last name"] == "Rivera"


def test_export_query_count_is_constant(make_complaint, supervisor_a, django_assert_max_num_queries):
    for _ in range(3):
        make_complaint(supervisor_a)
    with django_assert_max_num_queries(4):
        small = list(complaints_csv_rows(supervisor_a, None))
    for _ in range(12):
        make_complaint(supervisor_a)
    with django_assert_max_num_queries(4):
        big = list(complaints_csv_rows(supervisor_a, None))
    assert len(small) == 4 and len(big) == 16
