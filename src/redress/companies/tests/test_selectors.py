from __future__ import annotations

import pytest

from redress.companies import selectors, services
from redress.core.errors import ApplicationError, NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(supervisor_a, agency_a, company_x, company_y):
    lender = services.company_create(
        actor=supervisor_a,
        legal_name="acme Lending LLC",
        nmls_id="555",
        other_names=["Roadrunner Loans"],
        state="MD",
        business_types=["Consumer Finance"],
    )
    services.supervision_mark(actor=supervisor_a, company=lender, agency=agency_a)
    return lender


def test_search_filters(supervisor_a, agency_a, registry, company_x, company_y):
    def refs(**kw):
        return [c.company_ref for c in selectors.company_search_for(supervisor_a, **kw)]

    assert refs() == [registry.company_ref, company_y.company_ref, company_x.company_ref]
    assert refs(q="ROADRUNNER") == [registry.company_ref]
    assert refs(q="ocwen") == [company_x.company_ref]
    assert refs(nmls_id="0555") == [registry.company_ref]
    assert refs(nmls_id="abc") == []
    assert refs(company_ref=company_y.company_ref.lower()) == [company_y.company_ref]
    assert refs(state="md") == [registry.company_ref]
    assert refs(supervised_by=agency_a) == [registry.company_ref]
    assert refs(business_type="consumer_finance") == [registry.company_ref]
    assert refs(business_type="debt") == []


def test_company_user_sees_only_own_company(company_admin_x, company_x, company_y, registry):
    assert list(selectors.company_search_for(company_admin_x)) == [company_x]
    assert selectors.company_get_for(company_admin_x, pk=company_x.pk) == company_x
    with pytest.raises(NotFound):
        selectors.company_get_for(company_admin_x, pk=company_y.pk)
    with pytest.raises(NotFound):
        selectors.company_users_for(company_admin_x, company_y)


def test_get_by_ref_and_missing(supervisor_a, company_x):
    assert selectors.company_get_for(supervisor_a, company_ref=company_x.company_ref.lower()) == company_x
    with pytest.raises(NotFound):
        selectors.company_get_for(supervisor_a, pk=999999)


def test_user_without_organisation_sees_nothing(make_user, company_x):
    nobody = make_user()
    assert not selectors.company_search_for(nobody).exists()
    with pytest.raises(NotFound):
        selectors.company_get_for(nobody, pk=company_x.pk)


def test_cursor_pagination_is_stable(sysadmin):
    for i in range(7):
        services.company_create(actor=None, legal_name=f"Same Name {i % 2}")
    qs = selectors.company_search_for(sysadmin)
    seen, cursor = [], None
    while True:
        page = selectors.company_page(qs, cursor=cursor, limit=3)
        seen += [c.pk for c in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == [c.pk for c in qs]
    assert len(seen) == len(set(seen)) == 7
    with pytest.raises(ApplicationError):
        selectors.company_page(qs, cursor="!!garbage!!")


def test_licences_visible_to_own_agency_only(supervisor_a, supervisor_b, agency_a, agency_b, sysadmin, company_x):
    services.license_add(actor=supervisor_a, company=company_x, agency=agency_a, license_number="A-1")
    services.license_add(actor=supervisor_b, company=company_x, agency=agency_b, license_number="B-1")
    assert [lic.license_number for lic in selectors.company_licenses_for(supervisor_a, company_x)] == ["A-1"]
    assert [lic.license_number for lic in selectors.company_licenses_for(supervisor_b, company_x)] == ["B-1"]
    assert selectors.company_licenses_for(sysadmin, company_x).count() == 2
