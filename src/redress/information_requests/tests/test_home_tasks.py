"""The agency home task list: responses waiting for the agency and IRs overdue at the company."""

from __future__ import annotations

import pytest
from django.test import Client

from redress.information_requests import responses
from redress.information_requests.selectors import agency_ir_tasks_for

from .conftest import at, later

pytestmark = pytest.mark.django_db


def test_submitted_response_is_a_task_for_the_poc_and_supervisors_only(with_poc, cast, viewer_a, supervisor_b):
    ir, xavi = with_poc, cast["xavi"]
    assert agency_ir_tasks_for(actor=cast["mark"]).to_review == []
    responses.response_save_draft(actor=xavi, ir_ref=ir.ref, text="Refund issued.", expected_version=None)
    responses.response_submit(actor=xavi, ir_ref=ir.ref, expected_version=None)
    assert [t.ref for t in agency_ir_tasks_for(actor=cast["mark"]).to_review] == [ir.ref]  # the Agency POC
    assert [t.ref for t in agency_ir_tasks_for(actor=cast["alice"]).to_review] == [ir.ref]  # a Supervisor
    assert agency_ir_tasks_for(actor=viewer_a).to_review == []
    assert agency_ir_tasks_for(actor=supervisor_b).to_review == []
    assert agency_ir_tasks_for(actor=xavi).to_review == []


def test_overdue_requests_appear_after_their_due_date(sent_ir, cast):
    assert agency_ir_tasks_for(actor=cast["mark"]).overdue == []
    with at(later(15)):
        assert [t.ref for t in agency_ir_tasks_for(actor=cast["mark"]).overdue] == [sent_ir.ref]


def test_home_page_lists_the_tasks_with_links(with_poc, cast):
    ir, xavi = with_poc, cast["xavi"]
    responses.response_save_draft(actor=xavi, ir_ref=ir.ref, text="Refund issued.", expected_version=None)
    responses.response_submit(actor=xavi, ir_ref=ir.ref, expected_version=None)
    client = Client()
    client.force_login(cast["mark"])
    page = client.get("/").content.decode()
    assert "Information request tasks" in page
    assert f"/complaints/{ir.complaint.ref}/information-requests/{ir.ref}/" in page
