"""Table writers shared by every export: streamed CSV and write-only XLSX.

Invariants:
- Neither writer holds the whole table in memory: CSV yields one encoded line at a time, XLSX
  streams rows into openpyxl's write-only workbook on a temporary file.
- No cell can run as a spreadsheet formula: CSV text goes through ``core.csv_safety.safe_cell``;
  XLSX text cells are typed as strings (never formulas) and lose characters XML cannot carry.
- Dates, numbers and booleans keep their native types in XLSX, so spreadsheets sort them right.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from redress.core.csv_safety import safe_cell

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MAX_SHEET_TITLE = 31


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
    return safe_cell(value)


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The table as CSV lines, with a byte-order mark so spreadsheet programs read UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        yield writer.writerow([_csv_value(v) for v in row])


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        # Spreadsheets have no time zones: write the wall-clock time the row was shown with.
        value = value.replace(tzinfo=None)
    if value is None or isinstance(value, bool | int | float | dt.date):
        native: Any = value
        return WriteOnlyCell(sheet, value=native)
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # text starting with "=" must stay text, not become a formula
    return cell


def xlsx_file(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> IO[bytes]:
    """The table as an XLSX workbook in a temporary file, positioned at its start.
    The caller hands it to a FileResponse, which closes (and so deletes) it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=ILLEGAL_CHARACTERS_RE.sub("", title)[:_MAX_SHEET_TITLE] or "Report")
    sheet.append([_xlsx_cell(sheet, h) for h in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle
