"""The demonstration data set: two agencies, users in every role, real company names.

Everything is written through the domain services, as the system administrator would do it
by hand, so the demo exercises the same rules and leaves the same audit trail as real use.

Invariants:
- Idempotent: each object is looked up by its natural key (agency code, email, NMLS ID) and
  created only when missing; a second run creates nothing and records nothing.
- Every demo login gets the one shared demo password; nothing else about a user is changed on
  a re-run.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from redress.accounts.models import User
from redress.agencies.constants import NO_COMPLAINTS_ROLE, ComplaintsRole
from redress.agencies.models import Agency, AgencyMembership
from redress.agencies.services import agency_create, agency_user_create
from redress.companies.constants import ComplaintsAccess
from redress.companies.importing import companies_import_csv
from redress.companies.models import Company, CompanyMembership
from redress.companies.services import company_complaints_contact_set, company_user_create, supervision_mark

from .complaints_seed import seed_complaints
from .irs_seed import seed_irs
from .non_nmls_seed import seed_non_nmls
from .services import demo_password_set, demo_system_admin_ensure
from .sharing_seed import seed_sharing

DEFAULT_PASSWORD = "redress-demo-2026"
EMAIL_DOMAIN = "redress.example"
SYSTEM_ADMIN = ("admin@redress.example", "Alex Administrator")

# Real company names from the CFPB complaint database, with invented NMLS IDs, addresses and
# licences; its licence and supervision columns are imported as the Maryland agency's.
COMPANY_FILE = Path(__file__).resolve().parent.parent / "companies" / "data" / "demo_companies.csv"
IMPORTING_AGENCY = "MD-OFR"


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    state: str
    contact_email: str
    users: tuple[tuple[str, str, str, bool], ...]  # (local part, full name, complaints role, account admin)


AGENCIES = (
    AgencySpec(
        code="MD-OFR",
        name="Maryland Office of Financial Regulation",
        state="MD",
        contact_email="complaints@md-ofr.example",
        users=(
            ("supervisor", "Dana Whitfield", ComplaintsRole.SUPERVISOR, False),
            ("manager", "Marcus Bell", ComplaintsRole.MANAGER, False),
            ("viewer", "Priya Raman", ComplaintsRole.VIEWER, False),
            ("admin", "Helen Ostrowski", ComplaintsRole.VIEWER, True),
            # An examiner: supervisory activities, but no complaints module at all.
            ("examiner", "Owen Castillo", NO_COMPLAINTS_ROLE, False),
        ),
    ),
    AgencySpec(
        code="TX-DOB",
        name="Texas Department of Banking",
        state="TX",
        contact_email="complaints@tx-dob.example",
        users=(
            ("supervisor", "Luis Garza", ComplaintsRole.SUPERVISOR, False),
            ("manager", "Renee Callahan", ComplaintsRole.MANAGER, False),
            ("viewer", "Tom Nguyen", ComplaintsRole.VIEWER, False),
            ("admin", "Beverly Odom", ComplaintsRole.VIEWER, True),
        ),
    ),
)

# Company users for the first companies of the list: (local part, full name, access, account admin).
COMPANY_USERS = (
    ("admin", "Account Administrator", ComplaintsAccess.VIEW, True),
    ("complaints", "Complaints Contact", ComplaintsAccess.MANAGE, False),
    ("viewer", "Complaints Viewer", ComplaintsAccess.VIEW, False),
)
COMPANIES_WITH_USERS = 3


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    organisation: str


@dataclass
class SeedResult:
    logins: list[DemoLogin] = field(default_factory=list)
    created: list[str] = field(default_factory=list)


def _company_slug(company: Company) -> str:
    word = "".join(ch for ch in company.legal_name.split()[0].lower() if ch.isalnum())
    return word or company.company_ref.lower()


def _ensure_password(sysadmin: User, user: User, password: str) -> None:
    demo_password_set(actor=sysadmin, user=user, password=password)


def _seed_agency(spec: AgencySpec, *, sysadmin: User, password: str, result: SeedResult) -> Agency:
    agency = Agency.objects.filter(code=spec.code).first()
    if agency is None:
        agency = agency_create(
            actor=sysadmin, code=spec.code, name=spec.name, state=spec.state, contact_email=spec.contact_email
        )
        result.created.append(f"agency {spec.code}")
    domain = f"{spec.code.lower()}.example"
    for local, full_name, role, is_admin in spec.users:
        email = f"{local}@{domain}"
        membership = AgencyMembership.objects.select_related("user").filter(user__email__iexact=email).first()
        if membership is None:
            membership = agency_user_create(
                actor=sysadmin,
                agency_id=agency.pk,
                email=email,
                full_name=full_name,
                complaints_role=role,
                is_account_admin=is_admin,
            )
            result.created.append(f"agency user {email}")
        _ensure_password(sysadmin, membership.user, password)
        if is_admin:
            label = "Agency account administrator"
        else:
            label = ComplaintsRole(role).label if role else "Examiner (no complaints role)"
        result.logins.append(DemoLogin(email=email, role=label, organisation=agency.name))
    return agency


def _seed_companies(*, sysadmin: User, agency: Agency, result: SeedResult) -> list[Company]:
    data = COMPANY_FILE.read_bytes()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    nmls_ids = [row["nmls_id"].strip() for row in rows]
    if Company.objects.filter(nmls_id__in=nmls_ids).count() < len(set(nmls_ids)):
        imported = companies_import_csv(actor=sysadmin, file=data, agency=agency)
        result.created.append(f"{imported.created} companies")
    by_nmls = {c.nmls_id: c for c in Company.objects.filter(nmls_id__in=nmls_ids)}
    return [by_nmls[nmls] for nmls in nmls_ids]


def _seed_supervision(companies: list[Company], agencies: list[Agency], *, sysadmin: User) -> None:
    # Every agency supervises the companies that have users, so each agency's staff can work with
    # them; the second agency also supervises every third company of the list.
    for index, company in enumerate(companies):
        for position, agency in enumerate(agencies):
            if index < COMPANIES_WITH_USERS or (position > 0 and index % 3 == 0):
                supervision_mark(actor=sysadmin, company=company, agency=agency)


def _seed_company_users(company: Company, *, sysadmin: User, password: str, result: SeedResult) -> None:
    domain = f"{_company_slug(company)}.example"
    for local, title, access, is_admin in COMPANY_USERS:
        email = f"{local}@{domain}"
        membership = CompanyMembership.objects.select_related("user").filter(user__email__iexact=email).first()
        if membership is None:
            user = company_user_create(
                actor=sysadmin,
                company=company,
                email=email,
                full_name=f"{company.legal_name.split()[0].strip(',')} {title}",
                is_account_admin=is_admin,
                complaints_access=access,
            )
            result.created.append(f"company user {email}")
        else:
            user = membership.user
        if local == "complaints":
            company.refresh_from_db()
            if company.complaints_contact_id != user.pk:
                company_complaints_contact_set(
                    actor=sysadmin, company=company, user=user, expected_version=company.version
                )
        _ensure_password(sysadmin, user, password)
        role = "Company account administrator" if is_admin else ComplaintsAccess(access).label
        if local == "complaints":
            role = "Complaints Contact (manage complaints)"
        result.logins.append(DemoLogin(email=email, role=role, organisation=company.legal_name))


def seed_demo_complaints(*, limit: int) -> int:
    """Enter up to ``limit`` real CFPB records as complaints of the importing agency (idempotent)."""
    agency = Agency.objects.get(code=IMPORTING_AGENCY)
    actors = list(
        User.objects.filter(
            is_active=True,
            agency_membership__agency=agency,
            agency_membership__complaints_role__in=(ComplaintsRole.SUPERVISOR, ComplaintsRole.MANAGER),
        ).order_by("pk")
    )
    companies = {company.legal_name: company for company in Company.objects.all()}
    return seed_complaints(agency=agency, actors=actors, companies_by_name=companies, limit=limit)


def seed_demo_irs() -> int:
    """IRs in every state on the importing agency's complaints about companies with users (idempotent)."""
    return seed_irs(agency=Agency.objects.get(code=IMPORTING_AGENCY))


def seed_demo_sharing() -> int:
    """Referrals and access requests from the other demo agency (idempotent)."""
    owner = Agency.objects.get(code=IMPORTING_AGENCY)
    other = Agency.objects.filter(code__in=[spec.code for spec in AGENCIES]).exclude(pk=owner.pk).order_by("pk")[0]
    return seed_sharing(owner=owner, other=other)


def seed_demo_non_nmls() -> int:
    """Non-NMLS entities with a complaint each and a discussion between the agencies (idempotent)."""
    owner = Agency.objects.get(code=IMPORTING_AGENCY)
    others = list(Agency.objects.filter(code__in=[spec.code for spec in AGENCIES]).exclude(pk=owner.pk).order_by("pk"))
    return seed_non_nmls(agencies=[owner, *others])


def seed_demo(*, password: str = DEFAULT_PASSWORD) -> SeedResult:
    result = SeedResult()
    email, full_name = SYSTEM_ADMIN
    existed = User.objects.filter(email__iexact=email).exists()
    sysadmin = demo_system_admin_ensure(actor=None, email=email, full_name=full_name)
    if not existed:
        result.created.append(f"system administrator {email}")
    _ensure_password(sysadmin, sysadmin, password)
    result.logins.append(DemoLogin(email=sysadmin.email, role="System administrator", organisation="Redress"))
    agencies = [_seed_agency(spec, sysadmin=sysadmin, password=password, result=result) for spec in AGENCIES]
    importing = next(agency for agency in agencies if agency.code == IMPORTING_AGENCY)
    companies = _seed_companies(sysadmin=sysadmin, agency=importing, result=result)
    _seed_supervision(companies, agencies, sysadmin=sysadmin)
    for company in companies[:COMPANIES_WITH_USERS]:
        _seed_company_users(company, sysadmin=sysadmin, password=password, result=result)
    return result
