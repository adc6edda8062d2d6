"""The guided subject search of intake step A (spec 3.1): identifier, name and location, keywords,
phone and website, each a read-only look-up scoped like ``ui_selectors``.

Invariants:
- Only agency users get results; anyone else gets none, whatever they ask.
- Every step returns at most ``MAX_RESULTS`` subjects per kind, in a fixed number of queries.
- Phone and website match on the normal forms of ``core.contact`` (indexed columns), so a
  number or address matches however it was typed, here and in the registry.
- A step counts as run only when it was given something to search for; phone and website can
  instead be answered "I do not have this information" (skipped). Which steps a search must
  have tried before a Non-NMLS entity may be created is ``REQUIRED_STEPS``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.db.models.functions import Upper

from redress.accounts.models import User
from redress.accounts.policy import actor_for
from redress.companies.models import Branch, Company, Individual
from redress.companies.selectors import company_search_for
from redress.core.contact import MIN_PHONE_DIGITS, phone_digits, website_host

from .constants import SubjectType
from .models import NonNmlsEntity
from .ui_selectors import MAX_RESULTS, SubjectOption, subjects_by_identifier, subjects_by_name
from .validation import US_STATES, FieldErrors

STEP_LABELS = {
    "identifier": "Identifier",
    "name": "Name and location",
    "keywords": "Keywords",
    "phone": "Phone number",
    "website": "Website",
}
STEPS = tuple(STEP_LABELS)
# The identifier step is optional: an unknown entity has none. The other four must each have been
# searched, or (phone, website) answered "I do not have this information".
REQUIRED_STEPS = ("name", "keywords", "phone", "website")
SKIPPABLE_STEPS = ("phone", "website")
MAX_KEYWORDS = 8
MIN_KEYWORD_LENGTH = 2
_WORD = re.compile(r"[^\W_]+(?:['’.&-][^\W_]+)*")


def _clean(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


@dataclass(frozen=True)
class SearchCriteria:
    """What the user asked each step to search for."""

    identifier: str = ""
    name: str = ""
    city: str = ""
    state: str = ""
    keywords: str = ""
    phone: str = ""
    website: str = ""
    phone_unknown: bool = False
    website_unknown: bool = False

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> SearchCriteria:
        return cls(
            identifier=_clean(values.get("identifier"), 60),
            name=_clean(values.get("name"), 200),
            city=_clean(values.get("city"), 100),
            state=_clean(values.get("state"), 2).upper(),
            keywords=_clean(values.get("keywords"), 200),
            phone=_clean(values.get("phone"), 40),
            website=_clean(values.get("website"), 200),
            phone_unknown=bool(values.get("phone_unknown")),
            website_unknown=bool(values.get("website_unknown")),
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def is_empty(self) -> bool:
        return not any(v for k, v in asdict(self).items() if not k.endswith("_unknown"))

    def words(self) -> list[str]:
        found = [w for w in _WORD.findall(self.keywords) if len(w) >= MIN_KEYWORD_LENGTH]
        return list(dict.fromkeys(w.lower() for w in found))[:MAX_KEYWORDS]

    def check(self) -> None:
        """Refuse input a step cannot search with, naming the field, before anything runs."""
        errs = FieldErrors()
        if self.state and self.state not in US_STATES:
            errs.add("state", "Choose a state from the list.")
        if self.keywords and not self.words():
            errs.add("keywords", f"Enter words of at least {MIN_KEYWORD_LENGTH} letters or digits.")
        if self.phone and not phone_digits(self.phone):
            errs.add("phone", f"Enter the full phone number, at least {MIN_PHONE_DIGITS} digits with the area code.")
        if self.website and not website_host(self.website):
            errs.add("website", "Enter a website address such as example.com.")
        errs.raise_if_any("The search could not run.")


@dataclass
class StepOutcome:
    step: str
    run: bool = False
    skipped: bool = False
    found: list[SubjectOption] = field(default_factory=list)

    @property
    def label(self) -> str:
        return STEP_LABELS[self.step]


@dataclass
class GuidedSearch:
    """What every step found, the subjects found by any step (each once), and what is left to do."""

    criteria: SearchCriteria
    steps: list[StepOutcome]
    results: list[SubjectOption]
    found_by: dict[str, list[str]]

    @property
    def searched(self) -> bool:
        return any(s.run for s in self.steps)

    @property
    def missing(self) -> list[str]:
        done = {s.step for s in self.steps if s.run or s.skipped}
        return [step for step in REQUIRED_STEPS if step not in done]

    @property
    def missing_labels(self) -> list[str]:
        return [STEP_LABELS[s] for s in self.missing]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def exhausted(self) -> bool:
        """Every required step tried and nothing found: a Non-NMLS entity may be created."""
        return self.complete and not self.results

    @property
    def rows(self) -> list[tuple[SubjectOption, list[str]]]:
        """Each subject found with the labels of the steps that found it."""
        return [(o, self.found_by.get(o.token, [])) for o in self.results]

    def step(self, name: str) -> StepOutcome:
        return next(s for s in self.steps if s.step == name)

    def steps_run(self) -> list[str]:
        return [s.step for s in self.steps if s.run]

    def steps_skipped(self) -> list[str]:
        return [s.step for s in self.steps if s.skipped]


def _agency_user(user: User) -> bool:
    who = actor_for(user)
    return who.is_agency_user and who.agency_id is not None


def _entity(entity: NonNmlsEntity) -> SubjectOption:
    return SubjectOption(SubjectType.NON_NMLS, entity.pk, entity.name, entity=entity)


def _company(company: Company) -> SubjectOption:
    return SubjectOption(SubjectType.COMPANY, company.pk, company.legal_name, company=company)


def _companies(actor: User) -> Any:
    return company_search_for(actor)


def subjects_by_keywords(*, actor: User, keywords: str) -> list[SubjectOption]:
    """Companies whose legal or other names contain every word, individuals whose first or last
    name is each word, and Non-NMLS entities whose name contains every word."""
    words = SearchCriteria(keywords=keywords).words()
    if not _agency_user(actor) or not words:
        return []
    companies = _companies(actor)
    entities = NonNmlsEntity.objects.all()
    people = Individual.objects.select_related("company")
    for word in words:
        # search_text is legal name + other names; on PostgreSQL a trigram index serves this.
        companies = companies.filter(search_text__icontains=word)
        entities = entities.filter(name__icontains=word)
        people = people.filter(Q(first_name__iexact=word) | Q(last_name__iexact=word))
    out = [_company(c) for c in companies[:MAX_RESULTS]]
    for person in people.order_by(Upper("last_name"), Upper("first_name"), "id")[:MAX_RESULTS]:
        out.append(
            SubjectOption(
                SubjectType.INDIVIDUAL,
                person.pk,
                f"{person.first_name} {person.last_name}",
                company=person.company,
                individual=person,
            )
        )
    out.extend(_entity(e) for e in entities.order_by(Upper("name"), "id")[:MAX_RESULTS])
    return out


def subjects_by_phone(*, actor: User, phone: str) -> list[SubjectOption]:
    """Companies and Non-NMLS entities with this phone number, however either was typed."""
    digits = phone_digits(phone)
    if not _agency_user(actor) or not digits:
        return []
    out = [_company(c) for c in _companies(actor).filter(phone_digits=digits)[:MAX_RESULTS]]
    entities = NonNmlsEntity.objects.filter(phone_digits=digits).order_by(Upper("name"), "id")
    return out + [_entity(e) for e in entities[:MAX_RESULTS]]


def subjects_by_website(*, actor: User, website: str) -> list[SubjectOption]:
    """Companies and Non-NMLS entities with this website host (scheme, "www." and path ignored)."""
    host = website_host(website)
    if not _agency_user(actor) or not host:
        return []
    out = [_company(c) for c in _companies(actor).filter(website_host=host)[:MAX_RESULTS]]
    entities = NonNmlsEntity.objects.filter(website_host=host).order_by(Upper("name"), "id")
    return out + [_entity(e) for e in entities[:MAX_RESULTS]]


def _with_children(options: list[SubjectOption]) -> list[SubjectOption]:
    """Company results carry their branches and individuals, two queries for all of them."""
    ids = [o.pk for o in options if o.subject_type == SubjectType.COMPANY]
    if not ids:
        return options
    companies = {
        c.pk: c
        for c in Company.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("branches", queryset=Branch.objects.order_by("name", "id")),
            Prefetch("individuals", queryset=Individual.objects.order_by("last_name", "first_name", "id")),
        )
    }
    out = []
    for option in options:
        company = companies.get(option.pk) if option.subject_type == SubjectType.COMPANY else None
        if company is None:
            out.append(option)
            continue
        children = [
            SubjectOption(SubjectType.BRANCH, b.pk, b.name, company=company, branch=b) for b in company.branches.all()
        ] + [
            SubjectOption(SubjectType.INDIVIDUAL, i.pk, f"{i.first_name} {i.last_name}", company=company, individual=i)
            for i in company.individuals.all()
        ]
        out.append(
            SubjectOption(SubjectType.COMPANY, company.pk, company.legal_name, company=company, children=children)
        )
    return out


def guided_subject_search(*, actor: User, criteria: SearchCriteria) -> GuidedSearch:
    """Run every step that was given something to search for; the caller records the outcome."""
    criteria.check()
    steps = {name: StepOutcome(name) for name in STEPS}
    if _agency_user(actor):
        c = criteria
        if c.identifier:
            steps["identifier"] = StepOutcome(
                "identifier", run=True, found=subjects_by_identifier(actor=actor, identifier=c.identifier)
            )
        if c.name or c.city or c.state:
            found = subjects_by_name(actor=actor, name=c.name, city=c.city, state=c.state)
            # Location alone narrows nothing down to a name: it shows results but is no name step.
            steps["name"] = StepOutcome("name", run=bool(c.name), found=found)
        if c.keywords:
            steps["keywords"] = StepOutcome(
                "keywords", run=True, found=subjects_by_keywords(actor=actor, keywords=c.keywords)
            )
        for step, value, unknown, lookup in (
            ("phone", c.phone, c.phone_unknown, subjects_by_phone),
            ("website", c.website, c.website_unknown, subjects_by_website),
        ):
            if value:
                steps[step] = StepOutcome(step, run=True, found=lookup(actor=actor, **{step: value}))
            elif unknown:
                steps[step] = StepOutcome(step, skipped=True)
    results: list[SubjectOption] = []
    found_by: dict[str, list[str]] = {}
    by_token: dict[str, SubjectOption] = {}
    for outcome in steps.values():
        for option in outcome.found:
            if option.token not in by_token:
                by_token[option.token] = option
                results.append(option)
            labels = found_by.setdefault(option.token, [])
            if outcome.label not in labels:
                labels.append(outcome.label)
    return GuidedSearch(
        criteria=criteria,
        steps=list(steps.values()),
        results=_with_children(results),
        found_by=found_by,
    )
