"""Full-text search over a complaint's summary, desired outcome and research notes.

Invariants:
- ``apply_text_search`` only narrows a queryset the caller already scoped to the actor (it is
  applied on top of ``complaint_list_for``), so it can never widen visibility.
- On PostgreSQL the expressions below are exactly the ones the GIN indexes of migration
  0004 were built from (the same Django expressions compile to the same SQL), so the planner
  can use them; ``websearch_to_tsquery`` accepts any user text without a syntax error.
- On SQLite (the embedded default) every word must appear, case-insensitively, in one of the
  three texts; no index, but the same meaning for simple queries.
- Blank text leaves the queryset unchanged.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Q, QuerySet

from .models import Complaint, ResearchEntry

CONFIG = "english"
MAX_TEXT_LENGTH = 200
MAX_WORDS = 10


def complaint_vector() -> SearchVector:
    return SearchVector("summary", "desired_outcome", config=CONFIG)


def research_vector() -> SearchVector:
    return SearchVector("description", config=CONFIG)


def _clean(text: str) -> str:
    return " ".join((text or "").replace("\x00", " ").split())[:MAX_TEXT_LENGTH]


def apply_text_search(qs: QuerySet[Complaint], text: str) -> QuerySet[Complaint]:
    """Complaints of ``qs`` whose summary, desired outcome or any research note matches ``text``."""
    text = _clean(text)
    if not text:
        return qs
    if connections[qs.db].vendor == "postgresql":
        query = SearchQuery(text, config=CONFIG, search_type="websearch")
        in_complaint = Complaint.objects.annotate(_fts=complaint_vector()).filter(_fts=query).values("id")
        in_notes = ResearchEntry.objects.annotate(_fts=research_vector()).filter(_fts=query).values("complaint_id")
        return qs.filter(Q(id__in=in_complaint) | Q(id__in=in_notes))
    for word in text.split()[:MAX_WORDS]:
        noted = ResearchEntry.objects.filter(description__icontains=word).values("complaint_id")
        qs = qs.filter(Q(summary__icontains=word) | Q(desired_outcome__icontains=word) | Q(id__in=noted))
    return qs
