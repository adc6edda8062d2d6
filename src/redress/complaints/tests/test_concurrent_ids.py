"""Complaint IDs stay unique when several requests create complaints at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from redress.complaints.models import Complaint
from redress.complaints.services import complaint_create

from .conftest import intake_details


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_creates_get_distinct_ids(supervisor_a, manager_a, company_x):
    # The test database of SQLite lives in memory and cannot be shared between threads; SQLite
    # serialises writers anyway. The race this guards against needs PostgreSQL.
    workers = 1 if connection.vendor == "sqlite" else 6
    per_worker = 4
    errors: list[BaseException] = []
    barrier = threading.Barrier(workers)

    def create_some(actor) -> None:
        try:
            barrier.wait(timeout=30)
            for _ in range(per_worker):
                complaint_create(
                    actor=actor,
                    subject_type="company",
                    subject_id=company_x.pk,
                    details=intake_details(),
                    submit_for_review=False,
                )
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=create_some, args=(supervisor_a if i % 2 else manager_a,)) for i in range(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    refs = list(Complaint.objects.values_list("ref", flat=True))
    assert len(refs) == workers * per_worker
    assert len(set(refs)) == len(refs)
    numbers = sorted(int(ref.rsplit("-", 1)[1]) for ref in refs)
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
