import datetime as dt

import pytest
from django.utils import timezone

from redress.api.housekeeping import purge_idempotency_records
from redress.api.models import IdempotencyRecord
from redress.core.scheduling import run_due_jobs

pytestmark = pytest.mark.django_db


def _record(user, key, age_days):
    return IdempotencyRecord.objects.create(
        user=user,
        key=key,
        method="POST",
        path="/api/v1/x",
        request_hash="0" * 64,
        status_code=201,
        response_body="{}",
        created_at=timezone.now() - dt.timedelta(days=age_days),
    )


def test_old_records_are_purged_recent_ones_kept(supervisor_a):
    _record(supervisor_a, "old", 8)
    keep = _record(supervisor_a, "recent", 6)
    assert purge_idempotency_records().startswith("purged 1 ")
    assert list(IdempotencyRecord.objects.all()) == [keep]


def test_the_purge_runs_once_a_day_from_the_scheduler(supervisor_a):
    _record(supervisor_a, "old", 30)
    first = dict(run_due_jobs())
    assert first["api.idempotency_purge"].startswith("purged 1 ")
    _record(supervisor_a, "old-2", 30)
    assert dict(run_due_jobs())["api.idempotency_purge"] == "already ran for this period"
    assert IdempotencyRecord.objects.filter(key="old-2").exists()
