"""The Non-NMLS entity pages: the searchable list, the entity page with its cross-agency discussion
(post, then redirect; form errors on bad input), and the links that lead there from intake and
from the complaint record."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from redress.agencies.models import AgencyMembership
from redress.complaints.models import NonNmlsEntityPost
from redress.complaints.non_nmls_discussion import discussion_post_create
from redress.complaints.services import complaint_create
from redress.complaints.tests.conftest import intake_details, non_nmls_entity_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def entity(supervisor_b):
    return non_nmls_entity_for(supervisor_b, "Shady Upfront Fee Lenders", city="El Paso", state="TX")


def _url(entity) -> str:
    return f"/non-nmls-entities/{entity.tracking_number}/"


def test_list_finds_entities_of_every_agency(client, entity, supervisor_a, supervisor_b):
    other = non_nmls_entity_for(supervisor_a, "Quick Cash Title Loans")
    client.force_login(supervisor_a)
    html = client.get("/non-nmls-entities/").content.decode()
    assert entity.name in html and other.name in html and "Texas Department of Banking" in html
    html = client.get("/non-nmls-entities/", {"q": "upfront shady"}).content.decode()
    assert _url(entity) in html and other.name not in html
    html = client.get("/non-nmls-entities/", {"q": other.tracking_number}).content.decode()
    assert _url(other) in html and entity.name not in html
    assert "No Non-NMLS entity matches" in client.get("/non-nmls-entities/", {"q": "zzz"}).content.decode()
    too_long = client.get("/non-nmls-entities/", {"q": "x" * 300})
    assert too_long.status_code == 422


def test_list_pages(client, supervisor_a):
    for n in range(27):
        non_nmls_entity_for(supervisor_a, f"Unknown Outfit {n:02d}")
    client.force_login(supervisor_a)
    first = client.get("/non-nmls-entities/").content.decode()
    assert "Unknown Outfit 24" in first and "Unknown Outfit 25" not in first and "?page=2" in first
    second = client.get("/non-nmls-entities/", {"page": "2"}).content.decode()
    assert "Unknown Outfit 25" in second and "Unknown Outfit 26" in second and "?page=1" in second
    assert client.get("/non-nmls-entities/", {"page": "nonsense"}).status_code == 200


def test_entity_page_counts_complaints_of_every_agency_without_listing_them(client, entity, supervisor_a, supervisor_b):
    other_agency = complaint_create(
        actor=supervisor_b,
        subject_type="non_nmls",
        subject_id=entity.pk,
        details=intake_details(),
        submit_for_review=False,
    )
    client.force_login(supervisor_a)
    html = client.get(_url(entity)).content.decode()
    assert "1 in all agencies, 0 of them in your agency" in html
    assert other_agency.ref not in html
    assert "No one has posted about this entity yet." in html
    assert f"/history/complaints.nonnmlsentity/{entity.pk}/" in html
    assert client.get(f"/history/complaints.nonnmlsentity/{entity.pk}/").status_code == 200


def test_post_with_an_error_then_successfully(client, entity, supervisor_a, supervisor_b):
    client.force_login(supervisor_a)
    empty = client.post(_url(entity), {"text": "   "})
    assert empty.status_code == 422
    assert "Enter the text of your post." in empty.content.decode() and 'href="#id_text"' in empty.content.decode()
    too_long = client.post(_url(entity), {"text": "x" * 4001})
    assert too_long.status_code == 422 and "characters or fewer" in too_long.content.decode()
    assert not NonNmlsEntityPost.objects.exists()

    done = client.post(_url(entity), {"text": "Took a <b>$900</b> fee from a Maryland consumer."})
    post = NonNmlsEntityPost.objects.get()
    assert done.status_code == 302 and done["Location"] == f"{_url(entity)}#post-{post.pk}"
    client.force_login(supervisor_b)
    html = client.get(_url(entity)).content.decode()
    assert f'id="post-{post.pk}"' in html and "Sam Supervisor, Maryland Office of Financial Regulation" in html
    assert "&lt;b&gt;$900&lt;/b&gt;" in html  # text, never markup


def test_viewers_post_too(client, entity, viewer_a):
    client.force_login(viewer_a)
    assert client.post(_url(entity), {"text": "Seen it in Ohio."}).status_code == 302
    assert NonNmlsEntityPost.objects.get().author == viewer_a


@pytest.mark.parametrize("who", ["company_admin_x", "examiner", "sysadmin"])
def test_nobody_else_sees_the_pages(client, request, entity, make_user, agency_a, who):
    if who == "examiner":
        user = make_user(full_name="Eve Examiner")
        AgencyMembership.objects.create(user=user, agency=agency_a, complaints_role="")
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get("/non-nmls-entities/").status_code == 404
    assert client.get(_url(entity)).status_code == 404
    assert client.post(_url(entity), {"text": "Hello"}).status_code == 404
    assert client.get(f"/history/complaints.nonnmlsentity/{entity.pk}/").status_code == 404
    assert not NonNmlsEntityPost.objects.exists()


def test_unknown_entity_is_404(client, supervisor_a):
    client.force_login(supervisor_a)
    assert client.get("/non-nmls-entities/ETN-999999/").status_code == 404
    assert client.get("/non-nmls-entities/ETN%00/").status_code == 404
    assert client.post("/non-nmls-entities/ETN-999999/", {"text": "Hi"}).status_code == 404


def test_entity_page_costs_the_same_however_many_posts(client, entity, supervisor_a, supervisor_b, viewer_a):
    client.force_login(supervisor_a)
    discussion_post_create(actor=supervisor_b, tracking_number=entity.tracking_number, text="First.")

    def cost() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url(entity)).status_code == 200
        return len(ctx.captured_queries)

    one = cost()
    for n, author in enumerate((supervisor_a, viewer_a, supervisor_b, supervisor_a)):
        discussion_post_create(actor=author, tracking_number=entity.tracking_number, text=f"Post {n}.")
    assert cost() == one


def test_subject_search_results_link_to_the_discussion(client, entity, supervisor_a):
    client.force_login(supervisor_a)
    html = client.get("/complaints/new/", {"keywords": "shady upfront"}).content.decode()
    assert f'href="{_url(entity)}"' in html and "Discussion about this entity" in html


def test_create_page_lists_similar_entities_with_their_discussion(client, entity, supervisor_a, supervisor_b):
    discussion_post_create(actor=supervisor_b, tracking_number=entity.tracking_number, text="Beware.")
    client.force_login(supervisor_a)
    # Every step finds nothing: "Shady Lenders of Baltimore" is not "Shady Upfront Fee Lenders" ...
    search = {"name": "Shady Lenders of Baltimore", "keywords": "baltimore", "phone_unknown": "on"}
    html = client.get("/complaints/new/", {**search, "website_unknown": "on"}).content.decode()
    assert "/non-nmls-entities/?q=Shady%20Lenders%20of%20Baltimore" in html
    create_url = html.split('href="/complaints/new/non-nmls/?search=')[1].split('"')[0]
    page = client.get(f"/complaints/new/non-nmls/?search={create_url}").content.decode()
    # ... but it shares words with it, so its discussion is offered before creating another.
    assert "Similar Non-NMLS entities" in page and f'href="{_url(entity)}"' in page
    assert "1 discussion post" in page and f"?subject=non_nmls:{entity.pk}" in page
    # A redisplayed form looks again with the name as typed.
    again = client.post("/complaints/new/non-nmls/", {"name": "Upfront Fee People", "search": "x"})
    assert f'href="{_url(entity)}"' in again.content.decode()


def test_complaint_record_links_its_non_nmls_subject(client, entity, supervisor_b):
    complaint = complaint_create(
        actor=supervisor_b,
        subject_type="non_nmls",
        subject_id=entity.pk,
        details=intake_details(),
        submit_for_review=False,
    )
    client.force_login(supervisor_b)
    html = client.get(f"/complaints/{complaint.ref}/").content.decode()
    assert f'href="{_url(entity)}"' in html


def test_home_links_to_the_entities(client, supervisor_a):
    client.force_login(supervisor_a)
    assert 'href="/non-nmls-entities/"' in client.get("/").content.decode()
