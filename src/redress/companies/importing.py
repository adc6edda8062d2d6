"""Bulk load of the company registry from CSV.

The file is UTF-8 (a byte-order mark is fine) with a header row. Columns, in any order; only
``nmls_id`` and ``legal_name`` are required, unknown columns are refused:

==============  ===================================================================================
nmls_id         NMLS ID, digits only. The key: a row whose NMLS ID is already in the registry
                updates that company, otherwise a new company (with a new Company ID) is created.
legal_name      Legal name.
other_names     Trade or former names, separated by semicolons.
street, city    Address lines.
state           Two-letter US state or territory code.
postal_code     ZIP or ZIP+4.
phone           Main phone number.
website         Web address; ``https://`` is added when no scheme is given.
business_types  Semicolon-separated business types, as labels ("Mortgage Servicing") or codes
                ("mortgage_servicing").
license_number  A licence number the company holds with the importing agency (needs an agency).
license_type    The kind of that licence, e.g. "Mortgage Lender".
supervised      yes / no (also y/n, true/false, 1/0): whether the importing agency supervises it.
                Blank leaves supervision as it is.
==============  ===================================================================================

Invariants:
- Every row is validated before anything is written. If any row fails, the whole import raises
  ``ImportRejected`` listing every problem (row number as a spreadsheet shows it, column,
  message) and writes nothing; otherwise all rows are written in one transaction.
- On update a blank cell keeps the stored value, so a partial file never erases data.
- Cell text is stored literally; formula-like text ("=HYPERLINK(…)") is data, made safe only
  when the system writes CSV.
- Only system admins and agency Supervisors, Managers and account admins may import, and only
  for their own agency's licences and supervision.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction

from redress.accounts.policy import actor_for, can_edit_company_registry, can_mark_supervised
from redress.audit.services import audit_record
from redress.core.errors import ApplicationError

from .guards import refuse
from .models import Company, StateLicense, Supervision
from .services import clean_company_fields, create_company_row, update_company_row
from .validation import clean_text, split_list

if TYPE_CHECKING:
    from redress.accounts.models import User
    from redress.agencies.models import Agency

COLUMNS = (
    "nmls_id",
    "legal_name",
    "other_names",
    "street",
    "city",
    "state",
    "postal_code",
    "phone",
    "website",
    "business_types",
    "license_number",
    "license_type",
    "supervised",
)
REQUIRED_COLUMNS = ("nmls_id", "legal_name")
MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


class ImportRejected(ApplicationError):
    """The file (or some rows) failed validation; nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        count = len(errors)
        super().__init__(
            "import_invalid",
            f"The file was not imported: {count} problem{'s' if count != 1 else ''} found. Nothing was changed.",
            field="file",
        )
        self.errors = errors
        self.extra = {"errors": [e.__dict__ for e in errors]}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    company_refs: list[str] = field(default_factory=list)


@dataclass
class _Row:
    number: int
    fields: dict[str, Any]
    license_number: str
    license_type: str
    supervised: bool | None


def _read_rows(file: IO[bytes] | IO[str] | bytes | str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    raw: bytes | str = file if isinstance(file, bytes | str) else file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ImportRejected([RowError(0, "", f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")])
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRejected([RowError(0, "", "The file is not UTF-8 text. Save it as CSV UTF-8.")]) from None
    else:
        text = raw.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportRejected([RowError(0, "", "The file is empty.")]) from None
    except csv.Error as exc:
        raise ImportRejected([RowError(1, "", f"The header row cannot be read: {exc}.")]) from None
    problems = [RowError(1, name, "Unknown column.") for name in header if name not in COLUMNS]
    problems += [RowError(1, name, "Required column is missing.") for name in REQUIRED_COLUMNS if name not in header]
    dupes = {name for name in header if header.count(name) > 1}
    problems += [RowError(1, name, "Column appears more than once.") for name in sorted(dupes)]
    if problems:
        raise ImportRejected(problems)
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for cells in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportRejected([RowError(number, "", f"More than {MAX_ROWS} rows; split the file.")])
            if len(cells) > len(header):
                problems.append(RowError(number, "", "The row has more cells than the header."))
                continue
            rows.append((number, dict(zip(header, [*cells, *[""] * (len(header) - len(cells))], strict=True))))
    except csv.Error as exc:
        raise ImportRejected([RowError(reader.line_num, "", f"The file cannot be read as CSV: {exc}.")]) from None
    if problems:
        raise ImportRejected(problems)
    return header, rows


def _parse_row(number: int, cells: dict[str, str], *, agency: Agency | None, errors: list[RowError]) -> _Row | None:
    values: dict[str, Any] = {}
    for name in ("nmls_id", "legal_name", "street", "city", "state", "postal_code", "phone", "website"):
        if name in cells and (cells[name].strip() or name in REQUIRED_COLUMNS):
            values[name] = cells[name]
    for name in ("other_names", "business_types"):
        if name in cells and cells[name].strip():
            values[name] = split_list(cells[name])
    start = len(errors)
    fields: dict[str, Any] = {}
    # Clean one field at a time so a row reports every bad cell, not just the first.
    for name, value in values.items():
        try:
            fields.update(
                clean_company_fields({name: value}, legal_name_fallback=str(values.get("legal_name", "")).strip())
            )
        except ApplicationError as exc:
            errors.append(RowError(number, exc.field or name, exc.detail))
    if "nmls_id" in fields and fields["nmls_id"] is None:
        errors.append(RowError(number, "nmls_id", "NMLS ID is required for import."))
    license_number = license_type = ""
    try:
        license_number = clean_text(
            cells.get("license_number"), field="license_number", max_length=60, label="Licence number"
        )
        license_type = clean_text(cells.get("license_type"), field="license_type", max_length=120, label="Licence type")
    except ApplicationError as exc:
        errors.append(RowError(number, exc.field or "license_number", exc.detail))
    if license_type and not license_number:
        errors.append(RowError(number, "license_number", "A licence type needs a licence number."))
    supervised_text = cells.get("supervised", "").strip().lower()
    supervised: bool | None = None
    if supervised_text in _YES:
        supervised = True
    elif supervised_text in _NO:
        supervised = False
    elif supervised_text:
        errors.append(RowError(number, "supervised", "Use yes or no."))
    if agency is None and license_number:
        errors.append(RowError(number, "license_number", "Licence numbers need an importing agency."))
    if agency is None and supervised is not None:
        errors.append(RowError(number, "supervised", "Supervision needs an importing agency."))
    if len(errors) > start:
        return None
    return _Row(number, fields, license_number, license_type, supervised)


def _check_across_rows(rows: list[_Row], *, agency: Agency | None, errors: list[RowError]) -> None:
    seen_nmls: dict[str, int] = {}
    seen_licence: dict[str, int] = {}
    for row in rows:
        nmls = row.fields["nmls_id"]
        if nmls in seen_nmls:
            errors.append(RowError(row.number, "nmls_id", f"NMLS ID {nmls} is also on row {seen_nmls[nmls]}."))
        seen_nmls.setdefault(nmls, row.number)
        if row.license_number:
            if row.license_number in seen_licence:
                errors.append(
                    RowError(
                        row.number,
                        "license_number",
                        f"Licence number {row.license_number} is also on row {seen_licence[row.license_number]}.",
                    )
                )
            seen_licence.setdefault(row.license_number, row.number)
    if agency is None:
        return
    numbers = [row.license_number for row in rows if row.license_number]
    holders = {
        lic.license_number: lic.company.nmls_id
        for lic in StateLicense.objects.filter(agency=agency, license_number__in=numbers).select_related("company")
    }
    for row in rows:
        holder_nmls = holders.get(row.license_number)
        if row.license_number and holder_nmls is not None and holder_nmls != row.fields["nmls_id"]:
            errors.append(
                RowError(row.number, "license_number", f"Licence {row.license_number} belongs to another company.")
            )


def companies_parse_csv(file: IO[bytes] | IO[str] | bytes | str, *, agency: Agency | None = None) -> list[_Row]:
    """Parse and validate the whole file; raise ImportRejected with every problem found."""
    _header, raw_rows = _read_rows(file)
    if not raw_rows:
        raise ImportRejected([RowError(0, "", "The file has a header but no rows.")])
    errors: list[RowError] = []
    rows = [r for number, cells in raw_rows if (r := _parse_row(number, cells, agency=agency, errors=errors))]
    _check_across_rows(rows, agency=agency, errors=errors)
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e.row, e.column)))
    return rows


def _apply_agency(*, actor: User | None, company: Company, agency: Agency, row: _Row) -> None:
    if row.license_number:
        lic, created = StateLicense.objects.get_or_create(
            agency=agency,
            license_number=row.license_number,
            defaults={"company": company, "license_type": row.license_type},
        )
        if created:
            audit_record(
                actor=actor,
                action="license.created",
                target=lic,
                new={"license_number": lic.license_number, "license_type": lic.license_type},
                agency_id=agency.pk,
                company_id=company.pk,
            )
        elif row.license_type and lic.license_type != row.license_type:
            old = {"license_type": lic.license_type}
            lic.license_type = row.license_type
            lic.version += 1
            lic.save(update_fields=["license_type", "version"])
            audit_record(
                actor=actor,
                action="license.updated",
                target=lic,
                old=old,
                new={"license_type": lic.license_type},
                agency_id=agency.pk,
                company_id=company.pk,
            )
    if row.supervised is True:
        _, created = Supervision.objects.get_or_create(agency=agency, company=company)
        if created:
            audit_record(
                actor=actor,
                action="company.supervision_marked",
                target=company,
                new={"supervised_by": agency.code},
                agency_id=agency.pk,
                company_id=company.pk,
            )
    elif row.supervised is False:
        deleted, _ = Supervision.objects.filter(agency=agency, company=company).delete()
        if deleted:
            audit_record(
                actor=actor,
                action="company.supervision_unmarked",
                target=company,
                old={"supervised_by": agency.code},
                agency_id=agency.pk,
                company_id=company.pk,
            )


def companies_import_csv(
    *, actor: User | None, file: IO[bytes] | IO[str] | bytes | str, agency: Agency | None = None
) -> ImportResult:
    """Validate every row, then create or update (by NMLS ID) all of them in one transaction."""
    if actor is not None:
        who = actor_for(actor)
        allowed = can_edit_company_registry(who) and (agency is None or can_mark_supervised(who, agency))
        if not allowed:
            refuse(actor, "company.import", agency, company_id=None)
    rows = companies_parse_csv(file, agency=agency)
    result = ImportResult()
    with transaction.atomic():
        existing = {
            c.nmls_id: c
            for c in Company.objects.select_for_update().filter(nmls_id__in=[r.fields["nmls_id"] for r in rows])
        }
        for row in rows:
            company = existing.get(row.fields["nmls_id"])
            if company is None:
                company = create_company_row(actor=actor, fields=row.fields, action="company.imported")
                result.created += 1
            else:
                before = company.version
                company = update_company_row(actor=actor, company=company, fields=row.fields, action="company.updated")
                if company.version != before:
                    result.updated += 1
                else:
                    result.unchanged += 1
            if agency is not None:
                _apply_agency(actor=actor, company=company, agency=agency, row=row)
            result.company_refs.append(company.company_ref)
        audit_record(
            actor=actor,
            action="company.import_completed",
            new={"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            agency_id=agency.pk if agency is not None else None,
        )
    return result
