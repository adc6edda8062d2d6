"""Table writers shared by every export: streamed CSV and write-only XLSX.

Invariants:
- Neither writer holds the whole table in memory: CSV yields one encoded line at a time, XLSX
  streams rows into openpyxl's write-only workbook on a temporary file.
- No cell can run as a spreadsheet formula: CSV text goes through ``core.csv_safety.safe_cell``;
  XLSX text cells are typed as strings (never formulas) and lose characters XML cannot carry.
- Dates, numbers and booleans keep their native types in XLSX, so spreadsheets sort them right;
  numbers (money as ``Decimal``) are written as plain numbers in CSV too.
- A report of several tables writes each as its own section: stacked in one CSV, one sheet each
  in XLSX.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from redress.core.csv_safety import safe_cell

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MAX_SHEET_TITLE = 31
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


@dataclass(frozen=True)
class Section:
    """One table of a report with several: a title, a header row and its rows."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def _csv_value(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)  # a number is never a formula, even when negative
    return safe_cell(value)


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The table as CSV lines, with a byte-order mark so spreadsheet programs read UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        yield writer.writerow([_csv_value(v) for v in row])


def csv_sections(sections: Iterable[Section]) -> Iterator[str]:
    """Several tables in one CSV: each section is its title on a line of its own, its header and
    its rows, and a blank line separates one section from the next."""
    writer = csv.writer(_Echo())
    first = True
    for section in sections:
        title = writer.writerow([safe_cell(section.title)])
        yield ("\ufeff" + title) if first else writer.writerow([]) + title
        first = False
        yield writer.writerow([safe_cell(h) for h in section.header])
        for row in section.rows:
            yield writer.writerow([_csv_value(v) for v in row])
    if first:
        yield "\ufeff"


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        # Spreadsheets have no time zones: write the wall-clock time the row was shown with.
        value = value.replace(tzinfo=None)
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date):
        native: Any = value
        return WriteOnlyCell(sheet, value=native)
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # text starting with "=" must stay text, not become a formula
    return cell


def xlsx_file(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> IO[bytes]:
    """The table as an XLSX workbook in a temporary file, positioned at its start.
    The caller hands it to a FileResponse, which closes (and so deletes) it."""
    return xlsx_sections([Section(title=title, header=header, rows=rows)])


def _sheet_title(title: str, taken: set[str]) -> str:
    base = _SHEET_TITLE_FORBIDDEN.sub("", ILLEGAL_CHARACTERS_RE.sub("", title)).strip("' ")[:_MAX_SHEET_TITLE]
    base = base or "Report"
    name, n = base, 1
    while name.lower() in taken:  # sheet names must differ, whatever the letter case
        n += 1
        suffix = f" ({n})"
        name = base[: _MAX_SHEET_TITLE - len(suffix)] + suffix
    taken.add(name.lower())
    return name


def xlsx_sections(sections: Iterable[Section]) -> IO[bytes]:
    """Each section as a sheet of its own (header row, then rows) of one XLSX workbook, in a
    temporary file positioned at its start; the caller's FileResponse closes (and deletes) it."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    for section in sections:
        sheet = workbook.create_sheet(title=_sheet_title(section.title, taken))
        sheet.append([_xlsx_cell(sheet, h) for h in section.header])
        for row in section.rows:
            sheet.append([_xlsx_cell(sheet, v) for v in row])
    if not taken:
        workbook.create_sheet(title="Report")
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle
