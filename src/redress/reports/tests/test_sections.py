"""Reports of several tables: CSV sections separated by a blank line, one XLSX sheet per section,
formula-safe text and native numbers (money as Decimal) in both."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from redress.reports.complaint_summary import Column, display_row, share
from redress.reports.writers import Section, csv_sections, xlsx_sections

SECTIONS = [
    Section(title="By status", header=["Status", "Complaints"], rows=[["Open", 3], ["=cmd|' /C calc'!A0", -2]]),
    Section(title="By status", header=["Reason", "Relief (USD)"], rows=[["Monetary", Decimal("123.45")]]),
    Section(title="What: [a/b]?*", header=["x"], rows=[]),
]


def test_csv_sections_are_stacked_and_formula_safe():
    lines = list(csv_sections(SECTIONS))
    assert lines[0].startswith("\ufeffBy status")
    blocks = "".join(lines).lstrip("\ufeff").split("\r\n\r\n")
    parsed = [list(csv.reader(io.StringIO(b))) for b in blocks]
    assert parsed[0] == [["By status"], ["Status", "Complaints"], ["Open", "3"], ["'=cmd|' /C calc'!A0", "-2"]]
    assert parsed[1] == [["By status"], ["Reason", "Relief (USD)"], ["Monetary", "123.45"]]
    assert parsed[2] == [["What: [a/b]?*"], ["x"]]
    assert list(csv_sections([])) == ["\ufeff"]


def test_xlsx_sections_get_a_sheet_each_with_valid_unique_names():
    workbook = load_workbook(xlsx_sections(SECTIONS))
    assert workbook.sheetnames == ["By status", "By status (2)", "What ab"]
    first = workbook["By status"]
    assert first.cell(row=3, column=1).data_type == "s" and first.cell(row=3, column=2).value == -2
    assert workbook["By status (2)"].cell(row=2, column=2).value == 123.45
    assert load_workbook(xlsx_sections([])).sheetnames == ["Report"]


def test_display_formats_counts_shares_and_money():
    columns = (Column("Label"), Column("n", "count"), Column("%", "share"), Column("$", "money"))
    cells = display_row(columns, ["Closed", 12345, share(1, 3), Decimal("1234.5")])
    assert [c.text for c in cells] == ["Closed", "12,345", "33.3%", "$1,234.50"]
    assert [c.numeric for c in cells] == [False, True, True, True]
    assert share(1, 0) is None and display_row(columns[:3], ["x", 0, None])[2].text == "—"
