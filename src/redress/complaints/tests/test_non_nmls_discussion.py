"""The Non-NMLS entity discussion (spec 7.7): one thread per entity that complaints staff of every
agency read and post to; nobody else sees it or can tell it exists."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from redress.agencies.models import AgencyMembership
from redress.audit.models import AuditEvent
from redress.audit.selectors import history_for
from redress.complaints.constants import DISCUSSION_POST_MAX_LENGTH
from redress.complaints.models import NonNmlsEntityPost
from redress.complaints.non_nmls_discussion import (
    POST_ACTION,
    discussion_post_create,
    discussion_posts_for,
    non_nmls_entities_for,
    non_nmls_entities_similar,
    non_nmls_entity_get_for,
)
from redress.complaints.services import complaint_create
from redress.core.errors import ApplicationError, NotFound

from .conftest import intake_details, non_nmls_entity_for

pytestmark = pytest.mark.django_db

ENTITY_TYPE = "complaints.nonnmlsentity"


@pytest.fixture
def entity(supervisor_a):
    return non_nmls_entity_for(supervisor_a, "Shady Upfront Fee Lenders", city="Baltimore", state="MD")


@pytest.fixture
def examiner_a(make_user, agency_a):
    """An agency user with system roles only: no complaints role."""
    user = make_user(full_name="Eve Examiner")
    AgencyMembership.objects.create(user=user, agency=agency_a, complaints_role="")
    return user


def _complaint_about(actor, entity):
    return complaint_create(
        actor=actor, subject_type="non_nmls", subject_id=entity.pk, details=intake_details(), submit_for_review=False
    )


def test_posts_from_two_agencies_are_read_by_both(entity, supervisor_a, supervisor_b, viewer_a):
    first = discussion_post_create(
        actor=supervisor_a, tracking_number=entity.tracking_number, text="  Took a $900 fee, then vanished.  "
    )
    second = discussion_post_create(
        actor=supervisor_b, tracking_number=entity.tracking_number.lower(), text="Same people, now in Texas."
    )
    assert first.text == "Took a $900 fee, then vanished."
    assert (first.agency, second.agency) == (
        supervisor_a.agency_membership.agency,
        supervisor_b.agency_membership.agency,
    )
    for reader in (supervisor_a, supervisor_b, viewer_a):
        posts = list(discussion_posts_for(actor=reader, tracking_number=entity.tracking_number))
        assert [p.pk for p in posts] == [first.pk, second.pk]  # oldest first
    # A Viewer takes part too: the thread is for every complaints role.
    discussion_post_create(actor=viewer_a, tracking_number=entity.tracking_number, text="Seen again in May.")
    assert NonNmlsEntityPost.objects.filter(entity=entity).count() == 3


@pytest.mark.parametrize("who", ["company_admin_x", "company_user_x", "examiner_a", "sysadmin"])
def test_anyone_without_a_complaints_role_is_refused_as_if_nothing_existed(request, entity, supervisor_a, who):
    discussion_post_create(actor=supervisor_a, tracking_number=entity.tracking_number, text="Known scam.")
    outsider = request.getfixturevalue(who)
    events = AuditEvent.objects.count()
    with pytest.raises(NotFound):
        discussion_post_create(actor=outsider, tracking_number=entity.tracking_number, text="Let me in.")
    with pytest.raises(NotFound):
        discussion_posts_for(actor=outsider, tracking_number=entity.tracking_number)
    with pytest.raises(NotFound):
        non_nmls_entity_get_for(actor=outsider, tracking_number=entity.tracking_number)
    with pytest.raises(NotFound):
        non_nmls_entities_for(actor=outsider)
    with pytest.raises(NotFound):
        history_for(actor=outsider, target_type=ENTITY_TYPE, target_id=str(entity.pk))
    assert NonNmlsEntityPost.objects.count() == 1
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the text of your post."),
        ("   \n\t ", "Enter the text of your post."),
        ("x" * (DISCUSSION_POST_MAX_LENGTH + 1), "characters or fewer"),
        ("bad\x00byte", "null character"),
    ],
)
def test_bad_text_is_refused_and_nothing_is_written(entity, supervisor_b, text, message):
    events = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as exc:
        discussion_post_create(actor=supervisor_b, tracking_number=entity.tracking_number, text=text)
    assert exc.value.status == 422 and exc.value.field == "text" and message in exc.value.extra["errors"][0]["message"]
    assert not NonNmlsEntityPost.objects.exists()
    assert AuditEvent.objects.count() == events


def test_longest_text_is_accepted_once_stripped(entity, supervisor_b):
    text = "y" * DISCUSSION_POST_MAX_LENGTH
    post = discussion_post_create(actor=supervisor_b, tracking_number=entity.tracking_number, text=f"\n{text}  ")
    assert post.text == text


@pytest.mark.parametrize("tracking_number", ["ETN-999999", "", "ETN\x00", "x" * 40, "ETN-000001/../"])
def test_unknown_entity_answers_not_found(entity, supervisor_a, tracking_number):
    with pytest.raises(NotFound):
        discussion_post_create(actor=supervisor_a, tracking_number=tracking_number, text="Hello")
    with pytest.raises(NotFound):
        non_nmls_entity_get_for(actor=supervisor_a, tracking_number=tracking_number)
    with pytest.raises(NotFound):
        discussion_posts_for(actor=supervisor_a, tracking_number=tracking_number)


def test_post_is_audited_on_the_entity_in_its_agency(entity, supervisor_b, supervisor_a):
    post = discussion_post_create(actor=supervisor_b, tracking_number=entity.tracking_number, text="Called me twice.")
    event = AuditEvent.objects.get(action=POST_ACTION)
    assert (event.actor, event.target_type, event.target_id) == (
        supervisor_b,
        "complaints.nonnmlsentity",
        str(entity.pk),
    )
    assert event.agency_id == supervisor_b.agency_membership.agency_id
    assert event.new_values == {"post": post.pk, "text": "Called me twice."}
    # The entity's history is the thread's: any agency's complaints users read it.
    actions = [
        e.action
        for e in history_for(actor=supervisor_a, target_type="complaints.nonnmlsentity", target_id=str(entity.pk))
    ]
    assert actions == ["non_nmls_entity.created", POST_ACTION]


def test_audit_failure_leaves_no_post(entity, supervisor_a, monkeypatch):
    from redress.complaints import non_nmls_discussion

    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(non_nmls_discussion, "audit_record", broken)
    with pytest.raises(RuntimeError):
        discussion_post_create(actor=supervisor_a, tracking_number=entity.tracking_number, text="Lost?")
    assert not NonNmlsEntityPost.objects.exists()


def test_entity_counts_complaints_of_every_agency_but_lists_none(entity, supervisor_a, supervisor_b):
    _complaint_about(supervisor_a, entity)
    _complaint_about(supervisor_a, entity)
    _complaint_about(supervisor_b, entity)
    discussion_post_create(actor=supervisor_b, tracking_number=entity.tracking_number, text="One in Texas.")
    seen_by_b = non_nmls_entity_get_for(actor=supervisor_b, tracking_number=entity.tracking_number)
    assert (seen_by_b.complaint_count, seen_by_b.own_complaint_count, seen_by_b.post_count) == (3, 1, 1)
    assert seen_by_b.last_post_at is not None
    seen_by_a = non_nmls_entity_get_for(actor=supervisor_a, tracking_number=entity.tracking_number)
    assert (seen_by_a.complaint_count, seen_by_a.own_complaint_count) == (3, 2)


def test_list_searches_by_every_name_word_or_tracking_number(supervisor_a, supervisor_b):
    shady = non_nmls_entity_for(supervisor_a, "Shady Upfront Fee Lenders")
    quick = non_nmls_entity_for(supervisor_b, "Quick Cash Title Loans")
    non_nmls_entity_for(supervisor_b, "Shady Acres Cash Advance")
    everyone = [e.name for e in non_nmls_entities_for(actor=supervisor_a)]
    assert everyone == ["Quick Cash Title Loans", "Shady Acres Cash Advance", "Shady Upfront Fee Lenders"]
    assert [e.pk for e in non_nmls_entities_for(actor=supervisor_a, query="shady LENDERS")] == [shady.pk]
    assert [e.pk for e in non_nmls_entities_for(actor=supervisor_b, query=quick.tracking_number.lower())] == [quick.pk]
    assert len(non_nmls_entities_for(actor=supervisor_a, query="cash")) == 2
    assert not non_nmls_entities_for(actor=supervisor_a, query="nothing like it")


def test_similar_entities_share_a_distinctive_word(supervisor_a, supervisor_b):
    shady = non_nmls_entity_for(supervisor_a, "Shady Upfront Fee Lenders LLC")
    acres = non_nmls_entity_for(supervisor_b, "Shady Acres Cash Advance Inc")
    non_nmls_entity_for(supervisor_b, "Quick Cash Title Loans Inc")
    similar = non_nmls_entities_similar(actor=supervisor_b, name="Shady Fee Lenders of Baltimore LLC")
    # Most shared words first; "LLC", "Inc" and "of" match nothing on their own.
    assert [e.pk for e in similar] == [shady.pk, acres.pk]
    assert similar[0].post_count == 0
    assert non_nmls_entities_similar(actor=supervisor_b, name="The Inc LLC") == []


def test_reads_cost_the_same_however_many_posts(entity, supervisor_a, supervisor_b):
    def cost() -> int:
        with CaptureQueriesContext(connection) as ctx:
            posts = list(discussion_posts_for(actor=supervisor_a, tracking_number=entity.tracking_number))
            for p in posts:
                assert p.author.email and p.agency.name
            listed = list(non_nmls_entities_for(actor=supervisor_a))
            for e in listed:
                assert e.created_by_agency.name
        return len(ctx.captured_queries)

    discussion_post_create(actor=supervisor_a, tracking_number=entity.tracking_number, text="One.")
    one = cost()
    for n in range(6):
        author = supervisor_b if n % 2 else supervisor_a
        discussion_post_create(actor=author, tracking_number=entity.tracking_number, text=f"Post {n}.")
    non_nmls_entity_for(supervisor_b, "Another Unknown Outfit")
    assert cost() == one
