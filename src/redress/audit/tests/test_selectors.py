from __future__ import annotations

import pytest
from django.db import transaction

from redress.audit.selectors import (
    histories_for,
    history_for,
    register_history_visibility,
    registered_target_types,
)
from redress.audit.services import audit_record, audit_record_security
from redress.core.errors import NotFound

pytestmark = pytest.mark.django_db


def _change(actor, target, **new):
    with transaction.atomic():
        return audit_record(actor=actor, action="agency.updated", target=target, new=new, agency_id=target.pk)


def test_domain_types_are_registered_by_discovery():
    types = registered_target_types()
    assert {"agencies.agency", "companies.company", "accounts.user"} <= set(types)


def test_agency_history_visible_to_own_agency_and_sysadmin(
    agency_a, agency_b, supervisor_a, viewer_a, supervisor_b, sysadmin, company_admin_x
):
    _change(sysadmin, agency_a, name="A1")
    _change(sysadmin, agency_b, name="B1")
    audit_record_security(actor=supervisor_b, action="agency.update_denied", target=agency_a)
    for reader in (supervisor_a, viewer_a, sysadmin):
        events = list(history_for(actor=reader, target_type="agencies.agency", target_id=str(agency_a.pk)))
        assert [e.new_values for e in events] == [{"name": "A1"}]
    for reader in (supervisor_b, company_admin_x):
        with pytest.raises(NotFound):
            history_for(actor=reader, target_type="agencies.agency", target_id=str(agency_a.pk))


def test_company_history_hidden_from_company_users(company_x, supervisor_b, sysadmin, company_admin_x):
    with transaction.atomic():
        audit_record(actor=sysadmin, action="company.updated", target=company_x, new={"phone": "1"})
    assert history_for(actor=supervisor_b, target_type="companies.company", target_id=str(company_x.pk)).count() == 1
    assert history_for(actor=sysadmin, target_type="companies.company", target_id=str(company_x.pk)).count() == 1
    with pytest.raises(NotFound):
        history_for(actor=company_admin_x, target_type="companies.company", target_id=str(company_x.pk))


def test_user_history_scoped_to_their_agency(supervisor_a, viewer_a, supervisor_b, sysadmin):
    with transaction.atomic():
        audit_record(actor=viewer_a, action="account.profile_updated", target=viewer_a, new={"phone": "5"})
    assert history_for(actor=supervisor_a, target_type="accounts.user", target_id=str(viewer_a.pk)).count() == 1
    assert history_for(actor=sysadmin, target_type="accounts.user", target_id=str(viewer_a.pk)).count() == 1
    with pytest.raises(NotFound):
        history_for(actor=supervisor_b, target_type="accounts.user", target_id=str(viewer_a.pk))


@pytest.mark.parametrize(
    "target_type,target_id",
    [("unknown.thing", "1"), ("agencies.agency", "x"), ("agencies.agency", "99999999999999999999999")],
)
def test_unknown_types_and_ids_are_not_found(sysadmin, target_type, target_id):
    with pytest.raises(NotFound):
        history_for(actor=sysadmin, target_type=target_type, target_id=target_id)


def test_a_refusing_callback_hides_the_history(sysadmin, agency_a):
    register_history_visibility("tests.nothing", lambda reader, target_id: False)
    with pytest.raises(NotFound):
        history_for(actor=sysadmin, target_type="tests.nothing", target_id="1")


def test_histories_for_leaves_out_targets_the_reader_may_not_see(agency_a, agency_b, supervisor_a, sysadmin):
    _change(sysadmin, agency_a, name="A1")
    _change(sysadmin, agency_b, name="B1")
    ids = [str(agency_a.pk), str(agency_b.pk), "x"]
    events = histories_for(actor=supervisor_a, target_type="agencies.agency", target_ids=ids)
    assert [e.new_values for e in events] == [{"name": "A1"}]
    assert histories_for(actor=supervisor_a, target_type="unknown.thing", target_ids=ids).count() == 0
    assert histories_for(actor=None, target_type="agencies.agency", target_ids=ids).count() == 0


def test_histories_for_asks_a_bulk_callback_once(agency_a, agency_b, sysadmin, monkeypatch):
    from redress.audit import selectors

    _change(sysadmin, agency_a, name="A1")
    _change(sysadmin, agency_b, name="B1")
    asked = []

    def bulk(reader, ids):
        asked.append(list(ids))
        return {str(agency_b.pk)}

    selectors.registered_target_types()  # discovery first, so it cannot overwrite the patch
    monkeypatch.setitem(selectors._bulk_checks, "agencies.agency", bulk)
    ids = [str(agency_a.pk), str(agency_b.pk)]
    events = list(histories_for(actor=sysadmin, target_type="agencies.agency", target_ids=ids))
    assert asked == [ids]
    assert [e.new_values for e in events] == [{"name": "B1"}]
