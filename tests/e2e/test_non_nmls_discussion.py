"""The Non-NMLS entity discussion in a real browser: a Supervisor of another agency finds the
entity from the home page, opens it, posts an empty text first (a form error), then a real post,
and sees it in the thread next to the first agency's post. axe runs on every page state."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from redress.complaints.models import NonNmlsEntityPost
from redress.complaints.non_nmls_discussion import discussion_post_create
from redress.complaints.tests.conftest import non_nmls_entity_for
from tests.e2e.helpers import assert_accessible, login

pytestmark = pytest.mark.e2e


def test_find_an_entity_and_join_its_discussion(page, base_url, supervisor_a, supervisor_b):
    entity = non_nmls_entity_for(supervisor_a, "Shady Upfront Fee Lenders", city="Baltimore", state="MD")
    non_nmls_entity_for(supervisor_a, "Quick Cash Title Loans")
    discussion_post_create(
        actor=supervisor_a, tracking_number=entity.tracking_number, text="Took a $900 fee, then stopped answering."
    )

    login(page, base_url, supervisor_b, supervisor_b.totp_secret)
    page.get_by_role("link", name="Non-NMLS entities and their discussions").click()
    expect(page.locator("h1")).to_have_text("Non-NMLS entities")
    expect(page.locator("tbody tr")).to_have_count(2)
    assert_accessible(page)

    page.get_by_label("Name or Entity Tracking Number").fill("upfront shady")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("h2#entities-heading")).to_contain_text("upfront shady")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("1 post")
    assert_accessible(page)

    page.get_by_role("link", name="Shady Upfront Fee Lenders").click()
    expect(page.locator("h1")).to_have_text("Shady Upfront Fee Lenders")
    expect(page.locator("main")).to_contain_text(entity.tracking_number)
    expect(page.locator("#complaint-count")).to_have_text("0 in all agencies")
    expect(page.locator("#discussion li")).to_have_count(1)
    expect(page.locator("#discussion li").first).to_contain_text("Maryland Office of Financial Regulation")
    assert_accessible(page)

    # An empty post is a form error that names the field, and writes nothing.
    page.get_by_role("button", name="Post").click()
    expect(page.locator(".usa-error-message")).to_have_text("Enter the text of your post.")
    expect(page.locator("#id_text")).to_have_attribute("aria-invalid", "true")
    assert not NonNmlsEntityPost.objects.filter(author=supervisor_b).exists()
    assert_accessible(page)

    page.get_by_label("Your post").fill("Same outfit is calling consumers in El Paso.\nAsked for a wire transfer.")
    page.get_by_role("button", name="Post").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Your post was added to the discussion.")
    post = NonNmlsEntityPost.objects.get(author=supervisor_b)
    assert page.url.endswith(f"/non-nmls-entities/{entity.tracking_number}/#post-{post.pk}")
    expect(page.locator("#discussion li")).to_have_count(2)
    mine = page.locator(f"#post-{post.pk}")
    expect(mine).to_contain_text("Blake Supervisor, Texas Department of Banking")
    expect(mine).to_contain_text("Asked for a wire transfer.")
    assert_accessible(page)
