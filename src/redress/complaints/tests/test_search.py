import pytest
from django.db import connection

from redress.complaints import research
from redress.complaints.models import Complaint
from redress.complaints.search import apply_text_search
from redress.complaints.selectors import ComplaintFilters, complaint_list_for
from redress.core import clock

pytestmark = pytest.mark.django_db


def _refs(qs):
    return sorted(c.ref for c in qs)


@pytest.fixture
def three(make_complaint, supervisor_a, supervisor_b):
    escrow = make_complaint(
        supervisor_a, summary="The servicer mishandled my escrow account.", desired_outcome="Fix the account."
    )
    fee = make_complaint(supervisor_a, summary="A late fee was charged.", desired_outcome="Refund of the fees charged")
    other = make_complaint(supervisor_b, summary="Escrow shortage never explained.")
    research.research_entry_add(
        actor=supervisor_a,
        ref=fee.ref,
        kind="research",
        occurred_on=clock.today(),
        description="Checked the CFPB portal for foreclosure notices.",
    )
    return escrow, fee, other


def test_text_search_matches_summary_outcome_and_research_notes(three, supervisor_a):
    escrow, fee, _other = three
    scoped = complaint_list_for(actor=supervisor_a)
    assert _refs(apply_text_search(scoped, "escrow")) == [escrow.ref]
    assert _refs(apply_text_search(scoped, "ESCROW account")) == [escrow.ref]
    assert _refs(apply_text_search(scoped, "refund")) == [fee.ref]
    assert _refs(apply_text_search(scoped, "foreclosure")) == [fee.ref]
    assert _refs(apply_text_search(scoped, "  ")) == sorted([escrow.ref, fee.ref])
    assert _refs(apply_text_search(scoped, "mortgage-zebra")) == []


def test_text_search_never_widens_scope_and_takes_any_text(three, supervisor_a, company_admin_x):
    _escrow, _fee, other = three
    assert other.ref not in _refs(apply_text_search(complaint_list_for(actor=supervisor_a), "shortage"))
    assert _refs(apply_text_search(complaint_list_for(actor=company_admin_x), "escrow")) == []
    for text in ('"unbalanced', "a & | ! :* (", "\x00escrow", "x" * 5000, "or or -"):
        list(apply_text_search(complaint_list_for(actor=supervisor_a), text))


def test_text_search_combines_with_filters(three, supervisor_a):
    escrow, _fee, _other = three
    closed_only = complaint_list_for(actor=supervisor_a, filters=ComplaintFilters(statuses=("closed",)))
    assert _refs(apply_text_search(closed_only, "escrow")) == []
    open_only = complaint_list_for(actor=supervisor_a, filters=ComplaintFilters(statuses=("open",)))
    assert _refs(apply_text_search(open_only, "escrow")) == [escrow.ref]


def test_the_text_search_index_fits_the_engine(three, supervisor_a):
    """PostgreSQL answers text search from the GIN index; SQLite has no such index and scans."""
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Complaint._meta.db_table)
    if connection.vendor != "postgresql":
        assert "cmp_text_search_idx" not in indexes
        assert _refs(apply_text_search(complaint_list_for(actor=supervisor_a), "escrow")) == [three[0].ref]
        return
    from django.contrib.postgres.search import SearchQuery

    from redress.complaints.search import complaint_vector

    assert "cmp_text_search_idx" in indexes
    qs = Complaint.objects.annotate(_fts=complaint_vector()).filter(
        _fts=SearchQuery("escrow", config="english", search_type="websearch")
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()
    assert "cmp_text_search_idx" in plan
