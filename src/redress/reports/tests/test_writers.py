"""CSV and XLSX writers: formula-safe text, native dates and numbers, rows streamed."""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from redress.reports.writers import csv_lines, xlsx_file

HEADER = ["Name", "When", "Count", "Timely"]
ROWS = [
    ['=HYPERLINK("http://x")', dt.date(2026, 6, 1), 3, True],
    ["+cmd", None, 0, False],
    ["plain\x01text", dt.date(2026, 6, 2), 12, None],
]


def test_csv_is_formula_safe_and_streams_line_by_line():
    lines = list(csv_lines(HEADER, iter(ROWS)))
    assert len(lines) == 4 and lines[0].startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO("".join(lines).lstrip("\ufeff"))))
    assert parsed[0] == HEADER
    assert parsed[1] == ['\'=HYPERLINK("http://x")', "2026-06-01", "3", "Yes"]
    assert parsed[2] == ["'+cmd", "", "0", "No"]


def test_xlsx_keeps_types_and_never_writes_formulas():
    handle = xlsx_file(HEADER, iter(ROWS), title="A title that is far longer than thirty-one characters")
    sheet = load_workbook(handle).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == HEADER
    first = sheet.cell(row=2, column=1)
    assert first.data_type == "s" and first.value == '=HYPERLINK("http://x")'
    assert values[1][1].date() == dt.date(2026, 6, 1) and values[1][2] == 3 and values[1][3] is True
    assert values[3][0] == "plaintext"
    assert len(sheet.title) <= 31
