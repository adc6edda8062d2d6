"""Periodic jobs with run keys.

Invariants:
- A job registers itself with a name and a period function (e.g. one run per day); a run key
  ``name:period`` is inserted before the job runs, in the same transaction as the job's work,
  so a given period runs at most once even with two schedulers, and a crash leaves no key.
- Jobs live in domain apps and register at import time from their app's ``ready()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from . import clock
from .models import JobRun


@dataclass(frozen=True)
class Job:
    name: str
    period: Callable[[], str]
    run: Callable[[], str]


_REGISTRY: dict[str, Job] = {}


def daily() -> str:
    return clock.today().isoformat()


def every_run() -> str:
    return clock.now().strftime("%Y-%m-%dT%H:%M")


def register_job(name: str, run: Callable[[], str], period: Callable[[], str] = daily) -> None:
    _REGISTRY[name] = Job(name=name, period=period, run=run)


def registered_jobs() -> list[Job]:
    return list(_REGISTRY.values())


def run_due_jobs() -> Iterator[tuple[str, str]]:
    for job in registered_jobs():
        key = f"{job.name}:{job.period()}"
        with transaction.atomic():
            try:
                with transaction.atomic():
                    JobRun.objects.create(run_key=key, started_at=clock.now())
            except IntegrityError:
                outcome = "already ran for this period"
            else:
                outcome = job.run()
        yield job.name, outcome
