"""Bounded property-based run over the complaint operations with real Complaint IDs in the path:
no generated input may produce a server error."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from redress.accounts.tokens import token_create
from redress.api.api import api
from redress.complaints.services import complaint_create
from redress.complaints.tests.conftest import intake_details

from .test_schemathesis import in_process_requests  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 8


@pytest.fixture
def complaint_refs(supervisor_a, company_x):
    open_one = complaint_create(
        actor=supervisor_a,
        subject_type="company",
        subject_id=company_x.pk,
        details=intake_details(),
        submit_for_review=False,
    )
    pending = complaint_create(
        actor=supervisor_a,
        subject_type="company",
        subject_id=company_x.pk,
        details=intake_details(),
        submit_for_review=True,
    )
    _token, secret = token_create(actor=supervisor_a, user=supervisor_a, name="fuzz")
    return [open_one.ref, pending.ref], {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_complaint_operations_never_fail_with_5xx(in_process_requests, complaint_refs, mode):  # noqa: F811
    app = in_process_requests
    refs, headers = complaint_refs
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
    operations = [r.ok() for r in schema.get_all_operations()]
    operations = [op for op in operations if op.path.startswith("/api/v1/complaints")]
    assert len(operations) >= 20
    failures: list[str] = []
    statuses: set[int] = set()
    current = {"ref": refs[0]}
    for index, operation in enumerate(operations):
        current["ref"] = refs[index % len(refs)]
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
            if case.path_parameters and "ref" in case.path_parameters and mode == GenerationMode.POSITIVE:
                case.path_parameters["ref"] = current["ref"]
            response = case.call(app=app, headers=headers)
            statuses.add(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}")
            case.validate_response(response, checks=[not_a_server_error], headers=headers)

        try:
            run()
        except Exception as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {type(exc).__name__}: {str(exc)[:500]}")
    assert not failures, "\n".join(failures)
    # The run reached real complaints, not only refusals of made-up IDs.
    assert any(200 <= s < 300 for s in statuses) and any(400 <= s < 500 for s in statuses), statuses
