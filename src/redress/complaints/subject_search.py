"""Recording guided subject searches, and the proof they give for creating a Non-NMLS entity.

Invariants:
- The server runs the search and records it; a client never states what it searched or found.
  A search is recorded (``SubjectSearch`` + audit event, one transaction) only when it tried
  every required step and the user may create entities.
- ``subject_search_claim`` is the only way to use a record: it must be the actor's own (another
  user's answers like a missing one), at most ``VALID_FOR`` old, unused, have found nothing, and
  its criteria must still find nothing now. A refusal is a 409 with a stable code and changes
  nothing; the caller links the claimed record to the entity it creates in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.audit.services import audit_record
from redress.core import clock
from redress.core.errors import Conflict

from .models import SubjectSearch
from .subject_selectors import STEP_LABELS, GuidedSearch, SearchCriteria, guided_subject_search

VALID_FOR = dt.timedelta(hours=1)

SEARCH_REQUIRED = "subject_search_required"
SEARCH_STALE = "subject_search_stale"
SEARCH_USED = "subject_search_used"
SEARCH_FOUND_SUBJECTS = "subject_search_found_subjects"

_HOW = (
    "Run the guided search through every step (name and location, keywords, phone, website); "
    '"Create New Non-NMLS Entity" is offered only when no step finds a subject.'
)


@dataclass
class RecordedSearch:
    """A guided search as the user saw it, with its record when it tried every required step."""

    outcome: GuidedSearch
    record: SubjectSearch | None

    @property
    def search_id(self) -> uuid.UUID | None:
        """Usable to create a Non-NMLS entity: recorded and found nothing."""
        if self.record is None or self.record.found_count:
            return None
        return self.record.ref

    @property
    def expires_at(self) -> dt.datetime | None:
        return self.record.created_at + VALID_FOR if self.search_id and self.record else None


def subject_search_run(*, actor: User, criteria: SearchCriteria) -> RecordedSearch:
    """Run the guided search; when it tried every required step, record it as proof."""
    outcome = guided_subject_search(actor=actor, criteria=criteria)
    who = actor_for(actor)
    if not outcome.complete or who.agency_id is None or not who.can_manage_complaints:
        return RecordedSearch(outcome=outcome, record=None)
    with transaction.atomic():
        record = SubjectSearch.objects.create(
            actor=actor,
            agency_id=who.agency_id,
            criteria=criteria.as_dict(),
            steps_run=outcome.steps_run(),
            steps_skipped=outcome.steps_skipped(),
            found={s.step: len(s.found) for s in outcome.steps if s.run},
            found_count=len(outcome.results),
        )
        audit_record(
            actor=actor,
            action="subject_search.completed",
            target=record,
            new={
                "steps_run": record.steps_run,
                "steps_skipped": record.steps_skipped,
                "found": record.found_count,
            },
            agency_id=who.agency_id,
        )
    return RecordedSearch(outcome=outcome, record=record)


def _key(search_id: str | uuid.UUID | None) -> uuid.UUID | None:
    try:
        return search_id if isinstance(search_id, uuid.UUID) else uuid.UUID(str(search_id))
    except (ValueError, TypeError, AttributeError):
        return None


def subject_search_check(*, actor: User, search_id: str | uuid.UUID | None, lock: bool = False) -> SubjectSearch:
    """The actor's usable search record, or a Conflict saying what to do instead."""
    key = _key(search_id)
    qs = SubjectSearch.objects.select_related("entity")
    if lock:
        qs = qs.select_for_update(of=("self",))
    record = qs.filter(ref=key, actor=actor).first() if key is not None else None
    if record is None:
        raise Conflict(SEARCH_REQUIRED, f"Search for the subject first. {_HOW}", field="search_id")
    if record.entity is not None:
        raise Conflict(
            SEARCH_USED,
            f"This search was already used to create {record.entity.name} ({record.entity.tracking_number}). "
            "Search again before creating another Non-NMLS entity.",
            field="search_id",
        )
    if clock.now() - record.created_at > VALID_FOR:
        raise Conflict(
            SEARCH_STALE,
            "The search is more than an hour old and the registry may have changed since. Run it again.",
            field="search_id",
        )
    if record.found_count:
        raise Conflict(
            SEARCH_FOUND_SUBJECTS,
            f"The search found {record.found_count} subject(s). Choose one of them; a Non-NMLS entity is only "
            "for a subject that no step finds.",
            field="search_id",
        )
    return record


def subject_search_claim(*, actor: User, search_id: str | uuid.UUID | None) -> SubjectSearch:
    """Lock a usable record for the entity about to be created (call inside its transaction). The
    recorded criteria are searched again: something added since the search is found now."""
    record = subject_search_check(actor=actor, search_id=search_id, lock=True)
    again = guided_subject_search(actor=actor, criteria=SearchCriteria.from_values(record.criteria))
    if again.results:
        steps = ", ".join(dict.fromkeys(label for labels in again.found_by.values() for label in labels))
        raise Conflict(
            SEARCH_FOUND_SUBJECTS,
            f"The same search now finds {len(again.results)} subject(s) (by {steps.lower()}). "
            "Search again and choose the subject instead.",
            field="search_id",
        )
    return record


def criteria_labels(record: SubjectSearch) -> list[tuple[str, str]]:
    """What each step searched for, for display."""
    c = SearchCriteria.from_values(record.criteria)
    place = ", ".join(v for v in (c.city, c.state) if v)
    rows = [
        ("identifier", c.identifier),
        ("name", f"{c.name} ({place})" if place else c.name),
        ("keywords", c.keywords),
        ("phone", c.phone or ("I do not have this information" if c.phone_unknown else "")),
        ("website", c.website or ("I do not have this information" if c.website_unknown else "")),
    ]
    return [(STEP_LABELS[step], value) for step, value in rows if value]
