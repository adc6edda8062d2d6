"""Bounded property-based run over the Information Request operations, agency side and company
side, with real Complaint and IR IDs in the path: no generated input may produce a server error."""

# ruff: noqa: F811  (fixtures imported from the agency-side module are parameters here)
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from redress.api.api import api
from redress.api.tests.conftest import bearer
from redress.information_requests import services

from .test_irs_agency import complaint, later, responder_x, sent_ir  # noqa: F401  (fixtures)
from .test_schemathesis import in_process_requests  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 5


def _is_ir_operation(path: str) -> bool:
    return "information-requests" in path or path.startswith("/api/v1/company/") or path.endswith("/comments")


@pytest.fixture
def targets(complaint, sent_ir, supervisor_a, responder_x):
    ready = services.ir_create(
        actor=supervisor_a, complaint_ref=complaint.ref, title="Unsent", description="Still a draft."
    )
    return {
        "refs": {"ref": complaint.ref, "ir_ref": sent_ir.ref, "ready_ref": ready.ref},
        "agency": bearer(supervisor_a),
        "company": bearer(responder_x),
    }


@pytest.mark.parametrize("side", ["agency", "company"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_ir_operations_never_fail_with_5xx(in_process_requests, targets, mode, side):
    app = in_process_requests
    headers = targets[side]
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
    operations = [r.ok() for r in schema.get_all_operations()]
    operations = [op for op in operations if _is_ir_operation(op.path)]
    assert len(operations) >= 25
    failures: list[str] = []
    statuses: set[int] = set()
    current = {"ir_ref": ""}
    for index, operation in enumerate(operations):
        current["ir_ref"] = targets["refs"]["ir_ref"] if index % 2 else targets["refs"]["ready_ref"]
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
            if case.path_parameters and mode == GenerationMode.POSITIVE:
                if "ref" in case.path_parameters:
                    case.path_parameters["ref"] = targets["refs"]["ref"]
                if "ir_ref" in case.path_parameters:
                    case.path_parameters["ir_ref"] = current["ir_ref"]
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
    # The run reached real IRs (successes) and refusals; invalid-only input needs only refusals.
    assert any(400 <= s < 500 for s in statuses), statuses
    if mode == GenerationMode.POSITIVE:
        assert any(200 <= s < 300 for s in statuses), statuses
