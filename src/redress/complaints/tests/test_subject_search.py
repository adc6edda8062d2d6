"""Guided subject search (spec 3.1): the keyword, phone and website steps, what a search must have
tried, and the proof it records for creating a Non-NMLS entity, which cannot be forged or reused."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from redress.audit.models import AuditEvent
from redress.companies.models import Branch, Company, Individual
from redress.complaints import services
from redress.complaints.models import NonNmlsEntity, SubjectSearch
from redress.complaints.subject_search import subject_search_run
from redress.complaints.subject_selectors import (
    SearchCriteria,
    guided_subject_search,
    subjects_by_keywords,
    subjects_by_phone,
    subjects_by_website,
)
from redress.core import clock
from redress.core.errors import ApplicationError, Conflict, PermissionDenied

from .conftest import non_nmls_entity_for

pytestmark = pytest.mark.django_db

NOTHING = {
    "name": "Shady Lender of Nowhere",
    "state": "MD",
    "keywords": "shady nowhere",
    "phone": "(443) 555-0199",
    "website": "https://www.shady-nowhere.example/loans",
}


@pytest.fixture
def registry(company_x, company_y):
    company_x.other_names = ["Homeward Residential", "PHH Mortgage"]
    company_x.phone = "+1 (561) 682-8000"
    company_x.website = "https://www.ocwen.com/contact"
    company_x.save()
    Individual.objects.create(company=company_x, nmls_id="880001", first_name="Dana", last_name="Loan")
    Branch.objects.create(company=company_x, nmls_id="990001", name="Ocwen West Palm Beach")
    return company_x


def criteria(**values) -> SearchCriteria:
    return SearchCriteria.from_values(values)


def tokens(options) -> list[str]:
    return [f"{o.subject_type}:{o.name}" for o in options]


# --- the steps ------------------------------------------------------------------------------------


def test_company_keeps_normalised_search_keys(company_x):
    company_x.phone = "561.682.8000"
    company_x.save(update_fields=["phone"])
    company_x.website = "WWW.Ocwen.com/"
    company_x.save(update_fields=["website"])
    row = Company.objects.values("phone_digits", "website_host").get(pk=company_x.pk)
    assert row == {"phone_digits": "5616828000", "website_host": "ocwen.com"}


def test_keywords_match_other_names_and_individual_names(registry, supervisor_a):
    entity = non_nmls_entity_for(supervisor_a, "Homeward Quick Cash")
    assert tokens(subjects_by_keywords(actor=supervisor_a, keywords="homeward residential")) == [
        "company:Ocwen Financial Corporation"
    ]
    # Words in any order; each one must match.
    assert tokens(subjects_by_keywords(actor=supervisor_a, keywords="mortgage PHH")) == [
        "company:Ocwen Financial Corporation"
    ]
    assert tokens(subjects_by_keywords(actor=supervisor_a, keywords="loan dana")) == ["individual:Dana Loan"]
    assert tokens(subjects_by_keywords(actor=supervisor_a, keywords="homeward")) == [
        "company:Ocwen Financial Corporation",
        f"non_nmls:{entity.name}",
    ]
    assert subjects_by_keywords(actor=supervisor_a, keywords="homeward lender") == []


def test_phone_and_website_match_however_typed(registry, supervisor_a):
    for typed in ("561-682-8000", "+1 561 682 8000", "(561) 6828000"):
        assert tokens(subjects_by_phone(actor=supervisor_a, phone=typed)) == ["company:Ocwen Financial Corporation"]
    assert subjects_by_phone(actor=supervisor_a, phone="561-682-8001") == []
    for typed in ("ocwen.com", "http://OCWEN.com/about", "www.ocwen.com"):
        assert tokens(subjects_by_website(actor=supervisor_a, website=typed)) == ["company:Ocwen Financial Corporation"]
    assert subjects_by_website(actor=supervisor_a, website="ocwen.net") == []


def test_non_nmls_entities_are_found_by_phone_and_website(supervisor_a):
    entity = non_nmls_entity_for(supervisor_a, "Quick Cash Online", phone="410 555 0101", website="quick.example")
    entity.refresh_from_db()
    assert (entity.phone_digits, entity.website_host) == ("4105550101", "quick.example")
    assert tokens(subjects_by_phone(actor=supervisor_a, phone="+1-410-555-0101")) == ["non_nmls:Quick Cash Online"]
    assert tokens(subjects_by_website(actor=supervisor_a, website="https://www.quick.example/apply")) == [
        "non_nmls:Quick Cash Online"
    ]


def test_only_agency_users_get_subjects(registry, company_admin_x, sysadmin, supervisor_b):
    for user in (company_admin_x, sysadmin):
        assert subjects_by_keywords(actor=user, keywords="homeward") == []
        assert subjects_by_phone(actor=user, phone="5616828000") == []
        assert subjects_by_website(actor=user, website="ocwen.com") == []
        assert guided_subject_search(actor=user, criteria=criteria(name="Ocwen")).results == []
    # Every agency searches the whole registry.
    assert tokens(subjects_by_phone(actor=supervisor_b, phone="5616828000")) == ["company:Ocwen Financial Corporation"]


def test_input_a_step_cannot_search_with_is_refused(supervisor_a):
    with pytest.raises(ApplicationError) as exc:
        guided_subject_search(
            actor=supervisor_a, criteria=criteria(phone="555", website="nowhere", keywords="a", state="ZZ")
        )
    assert [e["field"] for e in exc.value.extra["errors"]] == ["state", "keywords", "phone", "website"]


def test_guided_search_lists_each_subject_once_with_the_steps_that_found_it(registry, supervisor_a):
    search = guided_subject_search(
        actor=supervisor_a,
        criteria=criteria(name="Ocwen", keywords="homeward", phone="5616828000", website_unknown=True),
    )
    assert tokens(search.results) == ["company:Ocwen Financial Corporation"]
    assert search.found_by[search.results[0].token] == ["Name and location", "Keywords", "Phone number"]
    assert {c.name for c in search.results[0].children} == {"Ocwen West Palm Beach", "Dana Loan"}
    assert search.complete and not search.exhausted


def test_which_steps_a_search_must_have_tried(supervisor_a):
    def missing(**values):
        return guided_subject_search(actor=supervisor_a, criteria=criteria(**values)).missing

    assert missing(identifier="CO-999999") == ["name", "keywords", "phone", "website"]
    assert missing(city="Baltimore", state="MD") == ["name", "keywords", "phone", "website"]
    assert missing(name="Shady") == ["keywords", "phone", "website"]
    assert missing(name="Shady", keywords="shady", phone_unknown=True) == ["website"]
    assert missing(name="Shady", keywords="shady", phone_unknown=True, website_unknown=True) == []
    assert missing(**NOTHING) == []


def test_queries_do_not_grow_with_the_results(supervisor_a, django_assert_max_num_queries):
    def count(n: int, start: int) -> int:
        for i in range(start, start + n):
            company = Company.objects.create(
                company_ref=f"CO-{700000 + i}",
                legal_name=f"Acme Lending {i}",
                phone="410-555-0000",
                website="acme.example",
            )
            Individual.objects.create(company=company, first_name="Acme", last_name=f"Agent{i}")
            Branch.objects.create(company=company, name=f"Acme branch {i}")
        with CaptureQueriesContext(connection) as queries:
            guided_subject_search(
                actor=supervisor_a,
                criteria=criteria(name="Acme", keywords="acme", phone="4105550000", website="acme.example"),
            )
        return len(queries)

    count(1, 200)  # warms per-process caches (content types, the actor's membership)
    assert count(2, 0) == count(8, 100)


# --- recording and the Non-NMLS proof ------------------------------------------------------------


def test_a_complete_search_is_recorded_with_what_it_tried(registry, supervisor_a, viewer_a):
    partial = subject_search_run(actor=supervisor_a, criteria=criteria(name="Nowhere"))
    assert partial.record is None and partial.search_id is None
    found = subject_search_run(actor=supervisor_a, criteria=criteria(**{**NOTHING, "keywords": "homeward"}))
    assert found.record is not None and found.record.found_count == 1 and found.search_id is None
    empty = subject_search_run(
        actor=supervisor_a, criteria=criteria(**{**NOTHING, "website": "", "website_unknown": True})
    )
    record = empty.record
    assert record is not None and empty.search_id == record.ref
    assert record.steps_run == ["name", "keywords", "phone"] and record.steps_skipped == ["website"]
    assert record.found == {"name": 0, "keywords": 0, "phone": 0} and record.found_count == 0
    assert record.criteria["phone"] == "(443) 555-0199" and record.agency_id == supervisor_a.agency_membership.agency_id
    event = AuditEvent.objects.get(action="subject_search.completed", target_id=str(record.pk))
    assert event.new_values == {"steps_run": ["name", "keywords", "phone"], "steps_skipped": ["website"], "found": 0}
    # A viewer may search, but could not create an entity: nothing is recorded for them.
    assert subject_search_run(actor=viewer_a, criteria=criteria(**NOTHING)).record is None
    assert SubjectSearch.objects.count() == 2


def _create(actor, search_id, name="Shady Lender of Nowhere"):
    return services.non_nmls_entity_create(actor=actor, search_id=search_id, name=name, state="MD")


def _refused(actor, search_id, code: str) -> None:
    entities, events = NonNmlsEntity.objects.count(), AuditEvent.objects.count()
    with pytest.raises(Conflict) as exc:
        _create(actor, search_id)
    assert exc.value.code == code and exc.value.status == 409, exc.value.detail
    assert NonNmlsEntity.objects.count() == entities and AuditEvent.objects.count() == events


def test_entity_only_after_an_exhausted_search_of_the_same_user(registry, supervisor_a, manager_a):
    _refused(supervisor_a, None, "subject_search_required")
    _refused(supervisor_a, "", "subject_search_required")
    _refused(supervisor_a, "not-a-uuid", "subject_search_required")
    _refused(supervisor_a, uuid.uuid4(), "subject_search_required")
    partial = subject_search_run(actor=supervisor_a, criteria=criteria(name="Nowhere", keywords="nowhere"))
    assert partial.record is None
    found = subject_search_run(actor=supervisor_a, criteria=criteria(**{**NOTHING, "phone": "5616828000"}))
    assert found.record is not None
    _refused(supervisor_a, found.record.ref, "subject_search_found_subjects")

    search = subject_search_run(actor=supervisor_a, criteria=criteria(**NOTHING))
    _refused(manager_a, search.search_id, "subject_search_required")  # another user's proof
    entity = _create(supervisor_a, search.search_id)
    assert entity.tracking_number.startswith("ETN-") and entity.created_by_agency_id == search.record.agency_id
    record = SubjectSearch.objects.get(ref=search.search_id)
    assert record.entity == entity
    event = AuditEvent.objects.get(action="non_nmls_entity.created")
    assert event.new_values["subject_search"] == str(record.ref)
    # Used once only.
    _refused(supervisor_a, search.search_id, "subject_search_used")


def test_a_search_is_good_for_an_hour(supervisor_a):
    with time_machine.travel(clock.now() - dt.timedelta(minutes=61), tick=False):
        old = subject_search_run(actor=supervisor_a, criteria=criteria(**NOTHING))
    _refused(supervisor_a, old.search_id, "subject_search_stale")
    with time_machine.travel(clock.now() - dt.timedelta(minutes=59), tick=False):
        recent = subject_search_run(actor=supervisor_a, criteria=criteria(**NOTHING))
    assert _create(supervisor_a, recent.search_id).name == "Shady Lender of Nowhere"


def test_a_subject_added_since_the_search_is_found_at_creation(supervisor_a):
    search = subject_search_run(actor=supervisor_a, criteria=criteria(**NOTHING))
    Company.objects.create(company_ref="CO-123456", legal_name="Other name", website="http://shady-nowhere.example")
    with pytest.raises(Conflict) as exc:
        _create(supervisor_a, search.search_id)
    assert exc.value.code == "subject_search_found_subjects" and "by website" in exc.value.detail
    assert not NonNmlsEntity.objects.exists() and SubjectSearch.objects.get().entity is None


def test_viewers_and_company_users_cannot_create(supervisor_a, viewer_a, company_admin_x):
    search = subject_search_run(actor=supervisor_a, criteria=criteria(**NOTHING))
    for user in (viewer_a, company_admin_x):
        with pytest.raises(PermissionDenied):
            _create(user, search.search_id)
    assert not NonNmlsEntity.objects.exists()


def test_entity_fields_are_still_validated(supervisor_a):
    search = subject_search_run(actor=supervisor_a, criteria=criteria(**NOTHING))
    with pytest.raises(ApplicationError) as exc:
        services.non_nmls_entity_create(actor=supervisor_a, search_id=search.search_id, name=" ", state="XX")
    assert [e["field"] for e in exc.value.extra["errors"]] == ["name", "state"]
    assert SubjectSearch.objects.get().entity is None
