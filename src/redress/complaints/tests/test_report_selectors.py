"""Complaints Reports figures: what each dimension counts, who may read them, and a constant
number of queries whatever the number of complaints."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from redress.agencies.models import AgencyMembership
from redress.complaints.report_selectors import SummaryFilters, complaint_summary_for
from redress.core.errors import ApplicationError, NotFound

from .report_scenario import RELIEF_CENTS, build, category_ids, close, create, days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(supervisor_a, supervisor_b, company_x, company_y, agency_a):
    return build(
        supervisor=supervisor_a,
        other_supervisor=supervisor_b,
        company_x=company_x,
        company_y=company_y,
        agency=agency_a,
    )


def window(**extra) -> SummaryFilters:
    return SummaryFilters(date_from=days_ago(30), date_to=days_ago(0), **extra)


def test_counts_each_dimension_for_the_agency(scenario, supervisor_a, company_x, company_y):
    s = complaint_summary_for(actor=supervisor_a, filters=window())
    assert s.total == 5
    assert s.by_status == {"open": 2, "closed": 2, "pending": 1}
    assert s.by_business_type == {"mortgage_servicing": 3, "debt": 2}
    counts = {c.id: c.count for c in s.by_category}
    first, sixth = scenario["categories"]
    assert counts[first] == 1 and counts[sixth] == 2 and s.without_category == 3
    assert sum(counts.values()) == 3 and len(counts) == 16  # every active category, zeros too
    # Ties are listed by name: Ditech (Company Y) before Ocwen (Company X).
    assert [(t.kind, t.id, t.count) for t in s.top_subjects] == [
        ("company", company_y.pk, 2),
        ("company", company_x.pk, 2),
        ("non_nmls", scenario["entity_subject"].pk, 1),
    ]
    assert s.top_subjects[2].identifier == scenario["entity_subject"].tracking_number
    assert s.top_subjects[0].identifier == company_y.nmls_id and s.subject_count == 3 and s.other_subjects == 0


def test_latest_closure_counts_and_relief_is_summed_in_cents(scenario, supervisor_a):
    s = complaint_summary_for(actor=supervisor_a, filters=window())
    # The re-closed complaint's first closure (with $50.00 relief) no longer counts.
    assert s.by_closure_reason == {"closed_with_explanation": 1, "monetary_relief": 1}
    assert s.closed_total == 2 and s.relief_count == 1 and s.relief_cents == RELIEF_CENTS


def test_closures_by_date_closed_counts_older_complaints_closed_in_the_range(scenario, supervisor_a):
    s = complaint_summary_for(actor=supervisor_a, filters=window(closures_by="closed"))
    assert s.by_closure_reason == {"closed_with_explanation": 1, "monetary_relief": 1, "invalid": 1}
    assert s.closed_total == 3 and s.relief_cents == RELIEF_CENTS
    # The other dimensions still count complaints received in the range.
    assert s.total == 5 and s.by_status["closed"] == 2
    before = SummaryFilters(date_from=days_ago(90), date_to=days_ago(31), closures_by="closed")
    assert complaint_summary_for(actor=supervisor_a, filters=before).closed_total == 0


def test_canceled_other_agency_and_referred_away_are_left_out(scenario, supervisor_a, supervisor_b):
    s = complaint_summary_for(actor=supervisor_a, filters=window())
    assert "canceled" not in s.by_status and s.total == 5
    # The referred complaint belongs to agency B now, with B's own complaint.
    theirs = complaint_summary_for(actor=supervisor_b, filters=window())
    assert theirs.total == 2 and theirs.by_status == {"open": 2} and theirs.closed_total == 0
    assert all(c.count == 0 for c in theirs.by_category)


def test_filters_narrow_every_dimension(scenario, supervisor_a, company_y):
    debt = complaint_summary_for(actor=supervisor_a, filters=window(business_type="debt"))
    assert debt.total == 2 and debt.by_business_type == {"debt": 2}
    assert [t.id for t in debt.top_subjects] == [company_y.pk]
    assert debt.by_closure_reason == {"monetary_relief": 1} and debt.relief_cents == RELIEF_CENTS
    product = complaint_summary_for(actor=supervisor_a, filters=window(product="Debt collection"))
    assert product.total == 2
    mine = complaint_summary_for(actor=supervisor_a, filters=window(agency_poc_id=supervisor_a.pk))
    assert mine.total == 4 and "pending" not in mine.by_status  # the pending one has no POC yet
    narrow = SummaryFilters(date_from=days_ago(4), date_to=days_ago(2))
    assert complaint_summary_for(actor=supervisor_a, filters=narrow).total == 2


def test_top_subjects_sums_the_rest(scenario, supervisor_a, company_y):
    s = complaint_summary_for(actor=supervisor_a, filters=window(top_subjects=1))
    assert [t.id for t in s.top_subjects] == [company_y.pk]
    assert s.other_subjects == 2 and s.other_subject_complaints == 3


def test_readers_and_refusals(scenario, viewer_a, manager_a, company_user_x, make_user, agency_a, sysadmin):
    assert complaint_summary_for(actor=viewer_a, filters=window()).total == 5
    assert complaint_summary_for(actor=manager_a, filters=window()).total == 5
    examiner = make_user(full_name="Eve Examiner")
    AgencyMembership.objects.create(user=examiner, agency=agency_a, complaints_role="")
    for outsider in (company_user_x, examiner, sysadmin):
        with pytest.raises(NotFound):
            complaint_summary_for(actor=outsider, filters=window())


def test_bad_filters_are_refused(supervisor_a):
    with pytest.raises(ApplicationError) as exc:
        complaint_summary_for(actor=supervisor_a, filters=SummaryFilters(date_from=days_ago(1), date_to=days_ago(2)))
    assert exc.value.code == "invalid_date_range" and exc.value.field == "date_to"
    for bad in (window(closures_by="whenever"), window(top_subjects=0), window(top_subjects=101)):
        with pytest.raises(ApplicationError):
            complaint_summary_for(actor=supervisor_a, filters=bad)


def _queries(actor) -> int:
    actor = type(actor).objects.get(pk=actor.pk)  # a fresh user: the actor is resolved again
    with CaptureQueriesContext(connection) as ctx:
        complaint_summary_for(actor=actor, filters=window())
    return len(ctx.captured_queries)


def test_constant_queries_whatever_the_number_of_complaints(
    supervisor_a, company_x, company_y, agency_a, django_assert_num_queries
):
    create(supervisor_a, company_x, date_received=days_ago(1), categories=category_ids(agency_a, 0))
    one = _queries(supervisor_a)
    for n in range(12):
        complaint = create(
            supervisor_a,
            company_x if n % 2 else company_y,
            date_received=days_ago(n + 1),
            business_type="debt" if n % 3 else "trust",
            categories=category_ids(agency_a, n % 4, 4 + n % 5),
        )
        if n % 3 == 0:
            close(supervisor_a, complaint, "monetary_relief", 1_000 + n)
    fresh = type(supervisor_a).objects.get(pk=supervisor_a.pk)
    with django_assert_num_queries(one):
        s = complaint_summary_for(actor=fresh, filters=window())
    assert s.total == 13 and s.relief_count == 4
