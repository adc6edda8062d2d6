"""The agency's complaint categories: the list, its default seed, and the categories of a complaint."""

from __future__ import annotations

import json

import pytest
from django.db import IntegrityError, transaction

from redress.agencies.services import agency_create
from redress.audit.models import AuditEvent
from redress.complaints import categories as cats
from redress.complaints.models import ComplaintCategory, ComplaintCategoryLink
from redress.complaints.taxonomy import BUNDLED
from redress.core.errors import ApplicationError, NotFound, PermissionDenied, PreconditionFailed

pytestmark = pytest.mark.django_db


def names(agency) -> list[str]:
    return list(ComplaintCategory.objects.filter(agency=agency).values_list("name", flat=True))


def test_every_agency_starts_with_the_default_pairs(agency_a, sysadmin):
    assert names(agency_a) == list(cats.DEFAULT_NAMES)
    assert 15 <= len(cats.DEFAULT_NAMES) <= 20
    assert "Mortgage — Trouble during payment process" in cats.DEFAULT_NAMES
    new = agency_create(actor=sysadmin, code="VA-BFI", name="Virginia Bureau of Financial Institutions", state="VA")
    assert names(new) == list(cats.DEFAULT_NAMES)
    assert AuditEvent.objects.filter(action="complaint_category.defaults_seeded", agency_id=new.pk).count() == 1
    # Seeding again adds nothing.
    assert cats.categories_seed_defaults(agency_id=new.pk) == 0


def test_default_pairs_come_from_the_bundled_taxonomy():
    tree = json.loads(BUNDLED.read_text(encoding="utf-8"))
    issues = {p["name"]: {i["name"] for i in p["issues"]} for p in tree["products"]}
    for product, issue in cats.DEFAULT_PAIRS:
        assert issue in issues[product], (product, issue)


def test_admin_adds_renames_and_deactivates(agency_admin_a, agency_a):
    added = cats.category_add(actor=agency_admin_a, agency_id=agency_a.pk, name="  Elder   financial abuse ")
    assert added.name == "Elder financial abuse" and added.position == len(cats.DEFAULT_NAMES) + 1
    renamed = cats.category_rename(
        actor=agency_admin_a, category_id=added.pk, name="Elder financial exploitation", expected_version=1
    )
    assert renamed.version == 2
    off = cats.category_set_active(actor=agency_admin_a, category_id=added.pk, active=False, expected_version=2)
    assert not off.is_active and off.version == 3
    assert added.pk not in [c.pk for c in cats.category_list_for(actor=agency_admin_a, active_only=True)]
    on = cats.category_set_active(actor=agency_admin_a, category_id=added.pk, active=True, expected_version=3)
    assert on.is_active
    actions = list(
        AuditEvent.objects.filter(target_id=str(added.pk), action__startswith="complaint_category.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "complaint_category.added",
        "complaint_category.renamed",
        "complaint_category.deactivated",
        "complaint_category.activated",
    ]


def test_names_are_unique_per_agency_whatever_the_case(agency_admin_a, agency_a, agency_b, sysadmin):
    with pytest.raises(ApplicationError) as exc:
        cats.category_add(actor=agency_admin_a, agency_id=agency_a.pk, name="MORTGAGE — trouble during payment process")
    assert exc.value.code == cats.NAME_TAKEN and exc.value.field == "name"
    other = cats.category_add(actor=agency_admin_a, agency_id=agency_a.pk, name="Other")
    with pytest.raises(ApplicationError) as exc:
        cats.category_rename(
            actor=agency_admin_a, category_id=other.pk, name=cats.DEFAULT_NAMES[0].upper(), expected_version=None
        )
    assert exc.value.code == cats.NAME_TAKEN
    # Another agency may use the same name.
    cats.category_add(actor=sysadmin, agency_id=agency_b.pk, name="Other")
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        ComplaintCategory.objects.create(agency=agency_a, name="OTHER")


def test_stale_version_is_refused(agency_admin_a, agency_a):
    category = ComplaintCategory.objects.filter(agency=agency_a).first()
    with pytest.raises(PreconditionFailed):
        cats.category_rename(actor=agency_admin_a, category_id=category.pk, name="New name", expected_version=7)
    category.refresh_from_db()
    assert category.name == cats.DEFAULT_NAMES[0]


@pytest.mark.parametrize("user", ["supervisor_a", "viewer_a"])
def test_complaints_users_cannot_change_the_list(request, user, agency_a):
    actor = request.getfixturevalue(user)
    category = ComplaintCategory.objects.filter(agency=agency_a).first()
    with pytest.raises(PermissionDenied):
        cats.category_add(actor=actor, agency_id=agency_a.pk, name="Mine")
    with pytest.raises(PermissionDenied):
        cats.category_set_active(actor=actor, category_id=category.pk, active=False, expected_version=None)
    assert AuditEvent.objects.filter(action="complaint_category.add.denied", is_security=True).count() == 1
    # But they read their agency's list.
    assert cats.category_list_for(actor=actor).count() == len(cats.DEFAULT_NAMES)


def test_other_agencies_and_companies_see_nothing(agency_admin_a, supervisor_b, company_admin_x, agency_a):
    category = ComplaintCategory.objects.filter(agency=agency_a).first()
    for actor in (supervisor_b, company_admin_x):
        with pytest.raises(NotFound):
            cats.category_get_for(actor=actor, category_id=category.pk)
        with pytest.raises(NotFound):
            cats.category_rename(actor=actor, category_id=category.pk, name="x", expected_version=None)
        with pytest.raises(NotFound):
            cats.category_list_for(actor=actor, agency_id=agency_a.pk)
    assert not cats.category_list_for(actor=company_admin_x).exists()


def test_categories_are_never_deleted():
    assert not hasattr(cats, "category_delete")
    assert ComplaintCategoryLink._meta.get_field("category").remote_field.on_delete.__name__ == "PROTECT"


# --- the categories of a complaint ---------------------------------------------------------------


def _ids(agency, *positions: int) -> list[int]:
    rows = list(ComplaintCategory.objects.filter(agency=agency).order_by("position"))
    return [rows[p].pk for p in positions]


def test_intake_assigns_the_agencys_active_categories(make_complaint, supervisor_a, agency_a):
    chosen = _ids(agency_a, 2, 0)
    complaint = make_complaint(supervisor_a, categories=chosen)
    assert cats.category_names(complaint) == [cats.DEFAULT_NAMES[0], cats.DEFAULT_NAMES[2]]
    event = AuditEvent.objects.get(action="complaint.created", target_id=str(complaint.pk))
    assert event.new_values["categories"] == [cats.DEFAULT_NAMES[0], cats.DEFAULT_NAMES[2]]


@pytest.mark.parametrize("case", ["other_agency", "unknown", "inactive", "not_ids"])
def test_intake_refuses_categories_it_may_not_use(make_complaint, supervisor_a, agency_a, agency_b, case):
    from redress.complaints.models import Complaint

    if case == "other_agency":
        value = _ids(agency_b, 0)
    elif case == "unknown":
        value = [10**9]
    elif case == "inactive":
        value = _ids(agency_a, 1)
        ComplaintCategory.objects.filter(pk=value[0]).update(is_active=False)
    else:
        value = ["Mortgage"]
    with pytest.raises(ApplicationError) as exc:
        make_complaint(supervisor_a, categories=value)
    assert exc.value.code == cats.INVALID_CATEGORY and exc.value.field == "categories"
    assert exc.value.status == 422
    assert not Complaint.objects.exists() and not ComplaintCategoryLink.objects.exists()


def test_update_replaces_categories_and_keeps_a_deactivated_one(make_complaint, supervisor_a, agency_admin_a, agency_a):
    from redress.complaints.services import complaint_update

    first, second, third = _ids(agency_a, 0, 1, 2)
    complaint = make_complaint(supervisor_a, categories=[first, second])
    cats.category_set_active(actor=agency_admin_a, category_id=first, active=False, expected_version=None)
    # Deactivating changes nothing on the complaint.
    assert cats.category_names(complaint) == [cats.DEFAULT_NAMES[0], cats.DEFAULT_NAMES[1]]
    # The deactivated one may stay; a new one must be active.
    updated = complaint_update(
        actor=supervisor_a, ref=complaint.ref, changes={"categories": [first, third]}, expected_version=1
    )
    assert updated.version == 2
    assert cats.category_names(updated) == [cats.DEFAULT_NAMES[0], cats.DEFAULT_NAMES[2]]
    event = AuditEvent.objects.filter(action="complaint.updated", target_id=str(complaint.pk)).get()
    assert event.old_values["categories"] == [cats.DEFAULT_NAMES[0], cats.DEFAULT_NAMES[1]]
    assert event.new_values["categories"] == [cats.DEFAULT_NAMES[0], cats.DEFAULT_NAMES[2]]
    # Once dropped, a deactivated category cannot come back.
    complaint_update(actor=supervisor_a, ref=complaint.ref, changes={"categories": [third]}, expected_version=2)
    with pytest.raises(ApplicationError):
        complaint_update(actor=supervisor_a, ref=complaint.ref, changes={"categories": [first]}, expected_version=3)
    # The same set again is no change at all.
    same = complaint_update(actor=supervisor_a, ref=complaint.ref, changes={"categories": [third]}, expected_version=3)
    assert same.version == 3


def test_categories_are_locked_after_closure(make_complaint, supervisor_a, agency_a):
    from redress.complaints.services import complaint_close, complaint_update

    complaint = make_complaint(supervisor_a, categories=_ids(agency_a, 0))
    complaint_close(
        actor=supervisor_a, ref=complaint.ref, closure={"reason": "closed_with_explanation"}, expected_version=1
    )
    with pytest.raises(ApplicationError) as exc:
        complaint_update(actor=supervisor_a, ref=complaint.ref, changes={"categories": []}, expected_version=2)
    assert exc.value.code == "complaint_locked"
    assert cats.category_names(complaint) == [cats.DEFAULT_NAMES[0]]


def test_list_filter_by_category(make_complaint, supervisor_a, supervisor_b, agency_a, agency_b, company_x):
    from redress.complaints.selectors import ComplaintFilters, complaint_list_for

    mortgage, debt = _ids(agency_a, 0, 5)
    tagged = make_complaint(supervisor_a, categories=[mortgage, debt])
    make_complaint(supervisor_a, categories=[debt])
    make_complaint(supervisor_a)
    assert list(complaint_list_for(actor=supervisor_a, filters=ComplaintFilters(category_id=mortgage))) == [tagged]
    assert complaint_list_for(actor=supervisor_a, filters=ComplaintFilters(category_id=debt)).count() == 2
    # Another agency's filter by this id finds none of A's complaints.
    assert not complaint_list_for(actor=supervisor_b, filters=ComplaintFilters(category_id=mortgage)).exists()
