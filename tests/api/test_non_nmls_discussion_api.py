"""Non-NMLS entities and their discussion over the API: GET /non-nmls-entities (search, cursor
pages), GET /non-nmls-entities/{tracking_number}, GET and POST …/discussion. Complaints users of
every agency read and post; everyone else gets 404, like an unknown entity; bad text is a 422
problem that writes nothing."""

from __future__ import annotations

import pytest

from redress.agencies.models import AgencyMembership
from redress.api.tests.conftest import assert_problem, bearer
from redress.audit.models import AuditEvent
from redress.complaints.models import NonNmlsEntityPost
from redress.complaints.non_nmls_discussion import POST_ACTION, discussion_post_create
from redress.complaints.services import complaint_create
from redress.complaints.tests.conftest import intake_details, non_nmls_entity_for

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def entity(supervisor_a):
    return non_nmls_entity_for(supervisor_a, "Shady Upfront Fee Lenders", city="Baltimore", state="MD")


def _complaint_about(actor, entity):
    details = intake_details()
    complaint_create(
        actor=actor, subject_type="non_nmls", subject_id=entity.pk, details=details, submit_for_review=False
    )


def _discussion(entity) -> str:
    return f"/api/v1/non-nmls-entities/{entity.tracking_number}/discussion"


def test_post_from_two_agencies_and_both_read_both(client, entity, supervisor_a, supervisor_b):
    a, b = bearer(supervisor_a), bearer(supervisor_b)
    first = client.post(_discussion(entity), {"text": " Took a fee. "}, content_type=JSON, headers=a)
    assert first.status_code == 201, first.content
    assert first.json()["text"] == "Took a fee."
    assert first.json()["agency"] == "Maryland Office of Financial Regulation"
    assert first["Location"] == _discussion(entity)
    second = client.post(_discussion(entity), {"text": "Same in Texas."}, content_type=JSON, headers=b)
    assert second.status_code == 201 and second.json()["author_name"] == "Blake Supervisor"
    for headers in (a, b):
        body = client.get(_discussion(entity), headers=headers).json()
        assert [p["text"] for p in body["items"]] == ["Took a fee.", "Same in Texas."]
        assert body["next_cursor"] is None
    assert AuditEvent.objects.filter(action=POST_ACTION).count() == 2


def test_discussion_pages_oldest_first(client, entity, supervisor_a):
    for n in range(5):
        discussion_post_create(actor=supervisor_a, tracking_number=entity.tracking_number, text=f"Post {n}")
    headers = bearer(supervisor_a)
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = client.get(_discussion(entity), params, headers=headers).json()
        seen += [p["text"] for p in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == [f"Post {n}" for n in range(5)]
    assert_problem(client.get(_discussion(entity), {"cursor": "%%%"}, headers=headers), 422, "invalid_cursor")


def test_list_searches_and_pages_with_counts(client, entity, supervisor_a, supervisor_b):
    other = non_nmls_entity_for(supervisor_b, "Quick Cash Title Loans")
    complaint_create(
        actor=supervisor_b,
        subject_type="non_nmls",
        subject_id=entity.pk,
        details=intake_details(),
        submit_for_review=False,
    )
    discussion_post_create(actor=supervisor_b, tracking_number=entity.tracking_number, text="Seen here too.")
    headers = bearer(supervisor_a)
    first = client.get("/api/v1/non-nmls-entities", {"limit": 1}, headers=headers).json()
    assert [i["name"] for i in first["items"]] == ["Quick Cash Title Loans"]
    second = client.get("/api/v1/non-nmls-entities", {"limit": 1, "cursor": first["next_cursor"]}, headers=headers)
    (item,) = second.json()["items"]
    assert item["tracking_number"] == entity.tracking_number and second.json()["next_cursor"] is None
    assert (item["complaint_count"], item["post_count"], item["created_by_agency"]) == (
        1,
        1,
        "Maryland Office of Financial Regulation",
    )
    found = client.get("/api/v1/non-nmls-entities", {"q": "title quick"}, headers=headers).json()
    assert [i["tracking_number"] for i in found["items"]] == [other.tracking_number]


def test_get_one_counts_every_agency_and_the_callers(client, entity, supervisor_a, supervisor_b):
    for actor in (supervisor_a, supervisor_b, supervisor_b):
        complaint_create(
            actor=actor,
            subject_type="non_nmls",
            subject_id=entity.pk,
            details=intake_details(),
            submit_for_review=False,
        )
    body = client.get(f"/api/v1/non-nmls-entities/{entity.tracking_number}", headers=bearer(supervisor_a)).json()
    assert (body["complaint_count"], body["own_complaint_count"], body["post_count"]) == (3, 1, 0)
    assert body["city"] == "Baltimore" and body["last_post_at"] is None
    assert "complaints" not in body  # other agencies' complaints are counted, never listed


@pytest.mark.parametrize(
    ("text", "status", "code"),
    [
        ("   ", 422, "validation_error"),
        ("", 422, "validation_error"),
        ("x" * 4001, 422, "validation_error"),
        ("nul\x00", 422, "validation_error"),
    ],
)
def test_bad_text_is_a_422_problem_and_writes_nothing(client, entity, supervisor_b, text, status, code):
    response = client.post(_discussion(entity), {"text": text}, content_type=JSON, headers=bearer(supervisor_b))
    assert_problem(response, status, code)
    assert not NonNmlsEntityPost.objects.exists()
    assert not AuditEvent.objects.filter(action=POST_ACTION).exists()


def test_missing_text_is_422(client, entity, supervisor_b):
    assert_problem(
        client.post(_discussion(entity), {}, content_type=JSON, headers=bearer(supervisor_b)), 422, "validation_error"
    )


def test_unknown_entity_is_404(client, entity, supervisor_a):
    headers = bearer(supervisor_a)
    assert_problem(client.get("/api/v1/non-nmls-entities/ETN-999999", headers=headers), 404, "not_found")
    assert_problem(client.get("/api/v1/non-nmls-entities/ETN-999999/discussion", headers=headers), 404, "not_found")
    response = client.post(
        "/api/v1/non-nmls-entities/ETN-999999/discussion", {"text": "Hi"}, content_type=JSON, headers=headers
    )
    assert_problem(response, 404, "not_found")


@pytest.mark.parametrize("who", ["company_admin_x", "company_user_x", "examiner", "sysadmin"])
def test_tokens_without_a_complaints_role_get_404(client, request, entity, make_user, agency_a, supervisor_a, who):
    discussion_post_create(actor=supervisor_a, tracking_number=entity.tracking_number, text="Known scam.")
    if who == "examiner":
        user = make_user(full_name="Eve Examiner")
        AgencyMembership.objects.create(user=user, agency=agency_a, complaints_role="")
    else:
        user = request.getfixturevalue(who)
    headers = bearer(user)
    assert_problem(client.get("/api/v1/non-nmls-entities", headers=headers), 404, "not_found")
    assert_problem(client.get(f"/api/v1/non-nmls-entities/{entity.tracking_number}", headers=headers), 404, "not_found")
    assert_problem(client.get(_discussion(entity), headers=headers), 404, "not_found")
    response = client.post(_discussion(entity), {"text": "Let me in"}, content_type=JSON, headers=headers)
    assert_problem(response, 404, "not_found")
    assert NonNmlsEntityPost.objects.count() == 1


def test_retried_post_with_the_same_key_posts_once(client, entity, supervisor_a):
    headers = {**bearer(supervisor_a), "Idempotency-Key": "post-1"}
    first = client.post(_discussion(entity), {"text": "Once."}, content_type=JSON, headers=headers)
    again = client.post(_discussion(entity), {"text": "Once."}, content_type=JSON, headers=headers)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert NonNmlsEntityPost.objects.count() == 1
