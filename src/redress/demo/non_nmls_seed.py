"""Demo Non-NMLS entities, each with a complaint and a discussion between the two demo agencies.

Invariants:
- Made through the services a user goes through: a guided subject search that tried every step
  and found nothing (``subject_search_run``), then ``non_nmls_entity_create`` on its proof, then
  ``complaint_create`` and ``discussion_post_create``; so the demo obeys the same rules and
  leaves the same audit trail.
- Idempotent: an entity of the same name is never created twice, and a thread that already has
  posts gets no more.
- The entities are invented (no real business is named as a possible unlicensed lender); the
  complaints reuse the wording of CFPB product and issue values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from redress.accounts.models import User
from redress.agencies.constants import ComplaintsRole
from redress.agencies.models import Agency
from redress.companies.constants import BusinessType
from redress.complaints.constants import HowReceived
from redress.complaints.models import NonNmlsEntity
from redress.complaints.non_nmls_discussion import discussion_post_create
from redress.complaints.services import complaint_create, non_nmls_entity_create
from redress.complaints.subject_search import subject_search_run
from redress.complaints.subject_selectors import SearchCriteria
from redress.core import clock


@dataclass(frozen=True)
class DemoEntity:
    name: str
    city: str
    state: str
    website: str
    product: str
    issue: str
    summary: str
    posts: tuple[tuple[str, str], ...]  # (agency code, text)


ENTITIES = (
    DemoEntity(
        name="Harborline Debt Freedom Partners",
        city="Baltimore",
        state="MD",
        website="harborline-debt-freedom.example",
        product="Debt collection",
        issue="Attempts to collect debt not owed",
        summary=(
            "A caller from Harborline Debt Freedom Partners demanded payment of a payday loan the consumer "
            "never took out and threatened arrest. No licence or NMLS record was found for the caller."
        ),
        posts=(
            ("MD-OFR", "Third call report this month; the phone number rotates. No NMLS record under any name."),
            ("TX-DOB", "We had two Texas consumers describe the same script in March. Sharing our notes on request."),
        ),
    ),
    DemoEntity(
        name="QuickTitle Auto Cash Online",
        city="Houston",
        state="TX",
        website="quicktitle-auto-cash.example",
        product="Payday loan, title loan, or personal loan",
        issue="Charged fees or interest you didn't expect",
        summary=(
            "The consumer applied online for a title loan from QuickTitle Auto Cash Online and was charged an "
            "upfront processing fee; no loan was ever funded and the website no longer answers."
        ),
        posts=(
            ("MD-OFR", "Website registered last quarter; it offers loans to Maryland residents without a licence."),
        ),
    ),
)


def _first_member(agency: Agency, role: str) -> User:
    return User.objects.filter(
        is_active=True, agency_membership__agency=agency, agency_membership__complaints_role=role
    ).order_by("pk")[0]


def _entity(spec: DemoEntity, actor: User) -> tuple[NonNmlsEntity, bool]:
    existing = NonNmlsEntity.objects.filter(name=spec.name).first()
    if existing is not None:
        return existing, False
    search = subject_search_run(
        actor=actor,
        criteria=SearchCriteria(
            name=spec.name, keywords=spec.name.split()[0], phone_unknown=True, website=spec.website
        ),
    )
    entity = non_nmls_entity_create(
        actor=actor,
        search_id=search.search_id,
        name=spec.name,
        city=spec.city,
        state=spec.state,
        website=spec.website,
    )
    return entity, True


def seed_non_nmls(*, agencies: list[Agency]) -> int:
    """One entity per ``ENTITIES`` entry, entered by the importing agency's Supervisor with a
    complaint about it, and posts from each agency. Returns how many entities were created."""
    by_code = {agency.code: agency for agency in agencies}
    owner = agencies[0]
    supervisor = _first_member(owner, ComplaintsRole.SUPERVISOR)
    created = 0
    for spec in ENTITIES:
        entity, new = _entity(spec, supervisor)
        if not new:
            continue
        complaint_create(
            actor=supervisor,
            subject_type="non_nmls",
            subject_id=entity.pk,
            details={
                "date_received": clock.today() - dt.timedelta(days=12),
                "how_received": HowReceived.PHONE,
                "business_type": BusinessType.CONSUMER_FINANCE,
                "product": spec.product,
                "issue": spec.issue,
                "summary": spec.summary,
                "complainant_first_name": "Jordan",
                "complainant_last_name": "Ellis",
                "complainant_state": spec.state,
            },
            submit_for_review=False,
        )
        for code, text in spec.posts:
            author = _first_member(by_code.get(code, owner), ComplaintsRole.SUPERVISOR)
            discussion_post_create(actor=author, tracking_number=entity.tracking_number, text=text)
        created += 1
    return created
