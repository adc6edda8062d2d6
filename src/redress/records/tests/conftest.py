from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from redress.complaints.models import Complaint
from redress.complaints.services import complaint_close, complaint_create
from redress.complaints.tests.conftest import intake_details
from redress.documents.constants import DocumentContext, DocumentVisibility
from redress.documents.services import documents_upload
from redress.information_requests.services import ir_create

CLOSED_AT = dt.datetime(2020, 3, 10, 15, 0, tzinfo=dt.UTC)


def upload(name: str, body: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="text/plain")


@pytest.fixture
def closed_complaint(company_x, agency_a) -> Callable[..., Complaint]:
    """A complaint with an intake document, an IR document and a closure document, closed at ``when``."""

    def make(actor: Any, *, when: dt.datetime = CLOSED_AT, company: Any = None, tag: str = "a") -> Complaint:
        with time_machine.travel(when - dt.timedelta(days=20), tick=False):
            complaint = complaint_create(
                actor=actor,
                subject_type="company",
                subject_id=(company or company_x).pk,
                details=intake_details(date_received=timezone.localdate() - dt.timedelta(days=1)),
                submit_for_review=False,
            )
            documents_upload(
                actor=actor,
                files=[upload(f"intake-{tag}.txt", f"intake letter {tag}".encode())],
                context=DocumentContext.INTAKE,
                visibility=DocumentVisibility.AGENCY_ONLY,
                agency=complaint.agency,
                attached_to=complaint,
            )
            ir = ir_create(actor=actor, complaint_ref=complaint.ref, title="Account history", description="Send it.")
            documents_upload(
                actor=actor,
                files=[upload(f"ir-{tag}.txt", f"ir attachment {tag}".encode())],
                context=DocumentContext.IR,
                visibility=DocumentVisibility.AGENCY_ONLY,
                agency=complaint.agency,
                attached_to=ir,
            )
        with time_machine.travel(when, tick=False):
            complaint.refresh_from_db()
            complaint_close(
                actor=actor,
                ref=complaint.ref,
                closure={"reason": "invalid"},
                expected_version=complaint.version,
                files=[upload(f"closure-{tag}.txt", f"closure letter {tag}".encode())],
            )
        complaint.refresh_from_db()
        return complaint

    return make
