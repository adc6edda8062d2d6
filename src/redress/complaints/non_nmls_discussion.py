"""The discussion thread of each Non-NMLS entity (spec 7.7), and finding entities to discuss.

Invariants:
- The thread is cross-agency on purpose: every agency user holding a complaints role (Supervisor,
  Manager or Viewer), in any agency, reads every entity's thread and may post to it, so agencies
  can spot the same bad actor. Anyone else (company users, agency users with system roles only,
  system administrators) is answered exactly as if the entity did not exist, by the selectors and
  by ``discussion_post_create`` alike.
- A post is text (stripped, required, at most ``DISCUSSION_POST_MAX_LENGTH`` characters, no NUL)
  with its author, the author's agency at the time and a timestamp. A refused post writes nothing.
  Posts are never edited or removed.
- Every post is written with its AuditEvent (``non_nmls_entity.discussion_posted``, target the
  entity) in one transaction.
- Reads cost a fixed number of queries whatever the number of posts or entities: authors and
  agencies come with the posts, counts come as subquery annotations.
- Other agencies' complaints about an entity are only ever counted, never listed.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Upper

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.audit.services import audit_record
from redress.core.errors import NotFound

from . import policy
from .constants import DISCUSSION_POST_MAX_LENGTH
from .models import Complaint, NonNmlsEntity, NonNmlsEntityPost
from .validation import FieldErrors

POST_ACTION = "non_nmls_entity.discussion_posted"
MAX_QUERY_LENGTH = 200
MAX_SIMILAR = 10
MAX_SIMILAR_WORDS = 8
MIN_WORD_LENGTH = 3

_TRACKING_NUMBER = re.compile(r"^[A-Za-z0-9-]{1,20}$")
_WORD = re.compile(r"[^\W_]+")
# Words that say what kind of business a name is, not which one: matching on them finds
# everything, so "similar" leaves them out.
_GENERIC_WORDS = frozenset(
    "the and of for inc llc ltd llp corp co company corporation incorporated limited group services".split()
)


def _not_found() -> NotFound:
    return NotFound("No such Non-NMLS entity.")


def _complaints_agency(user: User) -> int:
    """The reader's agency, when they may take part in the thread at all."""
    who = actor_for(user)
    if not policy.is_complaints_user(who) or who.agency_id is None:
        raise _not_found()
    return who.agency_id


def _with_counts(qs: QuerySet[NonNmlsEntity]) -> QuerySet[NonNmlsEntity]:
    """Complaint and post counts and the latest post time, as subqueries (no join fan-out)."""
    complaints = (
        Complaint.objects.filter(non_nmls_entity=OuterRef("pk"))
        .order_by()
        .values("non_nmls_entity")
        .annotate(n=Count("id"))
        .values("n")
    )
    posts = NonNmlsEntityPost.objects.filter(entity=OuterRef("pk")).order_by().values("entity")
    return qs.select_related("created_by_agency").annotate(
        complaint_count=Coalesce(Subquery(complaints, output_field=IntegerField()), Value(0)),
        post_count=Coalesce(Subquery(posts.annotate(n=Count("id")).values("n"), output_field=IntegerField()), Value(0)),
        last_post_at=Subquery(posts.annotate(at=Max("created_at")).values("at")),
    )


def _entity_or_404(tracking_number: str) -> NonNmlsEntity:
    key = (tracking_number or "").strip().upper()
    if not _TRACKING_NUMBER.fullmatch(key):
        raise _not_found()
    entity = NonNmlsEntity.objects.filter(tracking_number=key).first()
    if entity is None:
        raise _not_found()
    return entity


# --- reads -----------------------------------------------------------------------------------


def non_nmls_entity_get_for(*, actor: User, tracking_number: str) -> NonNmlsEntity:
    """One entity by its Entity Tracking Number, with ``complaint_count`` (every agency's),
    ``own_complaint_count`` (the reader's agency), ``post_count`` and ``last_post_at``."""
    agency_id = _complaints_agency(actor)
    key = (tracking_number or "").strip().upper()
    if not _TRACKING_NUMBER.fullmatch(key):
        raise _not_found()
    own = (
        Complaint.objects.filter(non_nmls_entity=OuterRef("pk"), agency_id=agency_id)
        .order_by()
        .values("non_nmls_entity")
        .annotate(n=Count("id"))
        .values("n")
    )
    entity = (
        _with_counts(NonNmlsEntity.objects.filter(tracking_number=key))
        .annotate(own_complaint_count=Coalesce(Subquery(own, output_field=IntegerField()), Value(0)))
        .first()
    )
    if entity is None:
        raise _not_found()
    return entity


def discussion_posts_for(*, actor: User, tracking_number: str) -> QuerySet[NonNmlsEntityPost]:
    """The entity's posts, oldest first, with author and agency (one query however many)."""
    _complaints_agency(actor)
    entity = _entity_or_404(tracking_number)
    return (
        NonNmlsEntityPost.objects.filter(entity=entity).select_related("author", "agency").order_by("created_at", "id")
    )


def _name_words(text: str) -> list[str]:
    return list(dict.fromkeys(w.lower() for w in _WORD.findall(text or "")))


def non_nmls_entities_for(*, actor: User, query: str = "") -> QuerySet[NonNmlsEntity]:
    """Every Non-NMLS entity (any agency created it), optionally only those whose name contains
    every word of ``query`` or whose Entity Tracking Number contains it; by name, with counts."""
    _complaints_agency(actor)
    qs = NonNmlsEntity.objects.all()
    text = " ".join((query or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]
    if text:
        by_name = Q()
        for word in _name_words(text):
            by_name &= Q(name__icontains=word)
        qs = qs.filter(by_name | Q(tracking_number__icontains=text))
    return _with_counts(qs).order_by(Upper("name"), "id")


def non_nmls_entities_similar(
    *, actor: User, name: str, limit: int = MAX_SIMILAR, exclude_id: int | None = None
) -> list[NonNmlsEntity]:
    """Entities sharing a distinctive word with ``name``, most shared words first: the ones whose
    discussion to read before creating another (a search that needs every word finds fewer)."""
    _complaints_agency(actor)
    words = [w for w in _name_words(name) if len(w) >= MIN_WORD_LENGTH and w not in _GENERIC_WORDS][:MAX_SIMILAR_WORDS]
    if not words:
        return []
    any_word = Q()
    score: Any = Value(0, output_field=IntegerField())
    for word in words:
        any_word |= Q(name__icontains=word)
        score = score + Case(When(name__icontains=word, then=Value(1)), default=Value(0), output_field=IntegerField())
    qs = NonNmlsEntity.objects.filter(any_word)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return list(_with_counts(qs).annotate(score=score).order_by("-score", Upper("name"), "id")[:limit])


# --- writes ----------------------------------------------------------------------------------


def _validate_text(text: str) -> str:
    errs = FieldErrors()
    value = (text or "").strip()
    if not value:
        errs.add("text", "Enter the text of your post.")
    elif len(value) > DISCUSSION_POST_MAX_LENGTH:
        errs.add(
            "text",
            f"Keep the post to {DISCUSSION_POST_MAX_LENGTH:,} characters or fewer (it has {len(value):,}).",
        )
    elif "\x00" in value:
        errs.add("text", "Remove the null character from the text.")
    errs.raise_if_any("The post could not be added.")
    return value


def discussion_post_create(*, actor: User, tracking_number: str, text: str) -> NonNmlsEntityPost:
    """Add a post to the entity's discussion, as the actor and their agency."""
    agency_id = _complaints_agency(actor)
    entity = _entity_or_404(tracking_number)
    value = _validate_text(text)
    with transaction.atomic():
        post = NonNmlsEntityPost.objects.create(
            entity=entity,
            author=actor,
            agency_id=agency_id,
            text=value,
        )
        audit_record(
            actor=actor,
            action=POST_ACTION,
            target=entity,
            new={"post": post.pk, "text": value},
            agency_id=agency_id,
        )
    return post
