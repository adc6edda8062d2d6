"""Property-based run over the whole OpenAPI schema: no input may produce a server error.

Every operation gets a bounded number of generated requests (valid and invalid) sent in-process
to the WSGI application with a supervisor's bearer token, on whichever database the suite runs.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from redress.accounts.tokens import token_create
from redress.api.api import api
from redress.audit.services import audit_record
from redress.companies.services import company_create
from redress.documents.constants import DocumentContext, DocumentVisibility
from redress.documents.services import documents_upload

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 10


@pytest.fixture
def in_process_requests():
    # Requests run inside the test's transaction; closing the connection at request end would end it.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(agency_a, supervisor_a, company_x, company_admin_x, sysadmin):
    from django.db import transaction

    company_create(actor=sysadmin, legal_name="Seeded Lender LLC", nmls_id="4242")
    documents_upload(
        actor=supervisor_a,
        files=[SimpleUploadedFile("seed.txt", b"seed")],
        context=DocumentContext.OTHER,
        visibility=DocumentVisibility.AGENCY_ONLY,
        agency=agency_a,
    )
    with transaction.atomic():
        audit_record(actor=sysadmin, action="agency.updated", target=agency_a, new={"name": "x"})
    _token, secret = token_create(actor=supervisor_a, user=supervisor_a, name="fuzz")
    return {"Authorization": f"Bearer {secret}"}


def _operations():
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
    return schema, [result.ok() for result in schema.get_all_operations()]


def test_schema_loads_every_operation():
    _schema, operations = _operations()
    assert len(operations) >= 20


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_errors(in_process_requests, seeded, mode):
    app = in_process_requests
    _schema, operations = _operations()
    failures: list[str] = []
    statuses: set[int] = set()
    for operation in operations:
        strategy = operation.as_strategy(generation_mode=mode)

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case):
            response = case.call(app=app, headers=seeded)
            statuses.add(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}")
            case.validate_response(response, checks=[not_a_server_error], headers=seeded)

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {type(exc).__name__}: {str(exc)[:500]}")
    assert not failures, "\n".join(failures)
    # The run reached the application: authenticated successes and refusals both occurred.
    assert any(200 <= s < 300 for s in statuses) and any(400 <= s < 500 for s in statuses), statuses
