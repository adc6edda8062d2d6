"""Complaints Reports (spec 9.2): counts by status, closure reason, business type, category and
subject, plus monetary relief totals, for a date range.

Invariants:
- Every figure comes from ``complaints.report_selectors.complaint_summary_for``, which scopes it to
  the caller's agency, leaves canceled complaints out and aggregates in SQL; this module only
  labels and lays the figures out, so the page and both exports cost the same few queries.
- The page, the CSV and the XLSX show the same tables (``tables``): one section per dimension,
  each with its total row.
- Money is summed in integer cents and shown in dollars only at the edge (``Decimal``, two places).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from redress.accounts.models import User
from redress.companies.constants import BusinessType
from redress.complaints.constants import ClosureReason, Status
from redress.complaints.report_selectors import (
    CLOSURES_BY_CLOSED,
    ComplaintSummary,
    SummaryFilters,
    complaint_summary_for,
)
from redress.reports.writers import Section

TITLE = "Complaints Reports"
REPORTED_STATUSES = tuple(s for s in Status if s != Status.CANCELED)
CLOSURES_BY_LABELS = {
    "received": "Date received (closed complaints among those received in the range)",
    "closed": "Date closed (complaints whose latest closure is in the range)",
}
CHART_WIDTH = 600
_BAR_SPACE = 480  # the longest bar; the rest of the width holds its count
_ROW_HEIGHT = 44

COUNT = "count"
SHARE = "share"
MONEY = "money"
TEXT = "text"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = TEXT


@dataclass(frozen=True)
class Table:
    """One dimension of the report. ``rows`` and ``total`` hold typed values (int counts, Decimal
    shares and dollars, text) that the exports keep; ``display`` formats them for the page."""

    key: str
    title: str
    sheet: str  # the export section's title (an XLSX sheet name holds at most 31 characters)
    caption: str
    columns: tuple[Column, ...]
    rows: list[list[Any]]
    total: list[Any] | None = None
    row_headers: bool = True
    chart: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    def export_rows(self) -> list[list[Any]]:
        return [*self.rows, *([self.total] if self.total else [])]

    def display_rows(self) -> list[list[Cell]]:
        return [display_row(self.columns, row) for row in self.rows]

    def display_total(self) -> list[Cell] | None:
        return display_row(self.columns, self.total) if self.total else None

    def bars(self) -> list[Bar]:
        """The bar chart of the first count column, for the rows with a label."""
        counts = [row[1] for row in self.rows]
        top = max(counts, default=0)
        bars = []
        for i, row in enumerate(self.rows):
            width = _BAR_SPACE * row[1] / top if top else 0.0
            bars.append(
                Bar(
                    label=str(row[0]),
                    count=f"{row[1]:,}",
                    text_y=str(i * _ROW_HEIGHT + 15),
                    bar_y=str(i * _ROW_HEIGHT + 21),
                    count_y=str(i * _ROW_HEIGHT + 35),
                    width=f"{width:.1f}",
                    count_x=f"{width + 8:.1f}",
                )
            )
        return bars

    @property
    def chart_height(self) -> int:
        return len(self.rows) * _ROW_HEIGHT + 4


@dataclass(frozen=True)
class Bar:
    """One bar of a chart, its coordinates already written as SVG attribute text."""

    label: str
    count: str
    text_y: str
    bar_y: str
    count_y: str
    width: str
    count_x: str


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool


@dataclass(frozen=True)
class Report:
    summary: ComplaintSummary
    tables: list[Table]
    filters: list[tuple[str, str]]

    @property
    def relief_dollars(self) -> Decimal:
        return dollars(self.summary.relief_cents)


def dollars(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def share(count: int, total: int) -> Decimal | None:
    """Percentage with one decimal place; None when there is nothing to share."""
    if not total:
        return None
    return (Decimal(count * 100) / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _display(kind: str, value: Any) -> str:
    if value is None:
        return "—"
    if kind == COUNT:
        return f"{value:,}"
    if kind == SHARE:
        return f"{value}%"
    if kind == MONEY:
        return f"${value:,.2f}"
    return str(value)


def display_row(columns: Sequence[Column], row: Sequence[Any]) -> list[Cell]:
    return [Cell(_display(c.kind, v), c.kind != TEXT) for c, v in zip(columns, row, strict=True)]


def _label(choices: Any, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code or "Not recorded"


def status_counts(s: ComplaintSummary) -> list[tuple[str, str, int]]:
    """(code, label, count) for every status a report shows, in the status machine's order."""
    return [(st.value, str(st.label), s.by_status.get(st.value, 0)) for st in REPORTED_STATUSES]


def closure_counts(s: ComplaintSummary) -> list[tuple[str, str, int]]:
    """(code, label, count) for every closure reason, in the order SES lists them."""
    return [(r.value, str(r.label), s.by_closure_reason.get(r.value, 0)) for r in ClosureReason]


def business_type_counts(s: ComplaintSummary) -> list[tuple[str, str, int]]:
    """(code, label, count) for every business type on the list, then any other recorded code."""
    codes = [b.value for b in BusinessType]
    extra = sorted(code for code in s.by_business_type if code not in codes)
    return [(code, _label(BusinessType, code), s.by_business_type.get(code, 0)) for code in [*codes, *extra]]


def _status_table(s: ComplaintSummary) -> Table:
    rows = [[label, n, share(n, s.total)] for _code, label, n in status_counts(s)]
    return Table(
        key="status",
        sheet="By status",
        title="Complaints by status",
        caption="Complaints received in the range, by their status now",
        columns=(Column("Status"), Column("Complaints", COUNT), Column("Share of complaints (%)", SHARE)),
        rows=rows,
        total=["Total", s.total, share(s.total, s.total)],
        chart=True,
    )


def _closure_table(s: ComplaintSummary) -> Table:
    closed_by = (
        "latest closure in the range" if s.filters.closures_by == CLOSURES_BY_CLOSED else "received in the range"
    )
    rows = [[label, n, share(n, s.closed_total)] for _code, label, n in closure_counts(s)]
    return Table(
        key="closure_reason",
        sheet="By closure reason",
        title="Closed complaints by closure reason",
        caption=f"Complaints closed now ({closed_by}), by the reason of their latest closure",
        columns=(
            Column("Closure reason"),
            Column("Complaints", COUNT),
            Column("Share of closed complaints (%)", SHARE),
        ),
        rows=rows,
        total=["Total closed", s.closed_total, share(s.closed_total, s.closed_total)],
        chart=True,
    )


def _business_type_table(s: ComplaintSummary) -> Table:
    rows = [[label, n, share(n, s.total)] for _code, label, n in business_type_counts(s)]
    return Table(
        key="business_type",
        sheet="By business type",
        title="Complaints by business type",
        caption="Complaints received in the range, by the business type recorded at intake",
        columns=(Column("Business type"), Column("Complaints", COUNT), Column("Share of complaints (%)", SHARE)),
        rows=rows,
        total=["Total", s.total, share(s.total, s.total)],
    )


def _category_table(s: ComplaintSummary) -> Table:
    rows = [
        [c.name if c.active else f"{c.name} (no longer in use)", c.count, share(c.count, s.total)]
        for c in s.by_category
    ]
    rows.append(["No category", s.without_category, share(s.without_category, s.total)])
    return Table(
        key="category",
        sheet="By category",
        title="Complaints by category",
        caption="Complaints received in the range, by your agency's categories",
        columns=(Column("Category"), Column("Complaints", COUNT), Column("Share of complaints (%)", SHARE)),
        rows=rows,
        total=["Complaints (each counted once)", s.total, share(s.total, s.total)],
        notes=(
            "A complaint with several categories counts once under each, so the rows may add up to more "
            "than the total.",
        ),
    )


def _subject_table(s: ComplaintSummary) -> Table:
    kinds = {"company": "Company", "non_nmls": "Non-NMLS entity", "none": ""}
    rows: list[list[Any]] = [
        [t.name, kinds[t.kind], t.identifier, t.count, share(t.count, s.total)] for t in s.top_subjects
    ]
    if s.other_subjects:
        others = s.other_subject_complaints
        label = f"All other subjects ({s.other_subjects:,})"
        rows.append([label, "", "", others, share(others, s.total)])
    return Table(
        key="subject",
        sheet="By subject",
        title="Complaints by subject",
        caption=f"Complaints received in the range, by subject: the {s.filters.top_subjects} with the most "
        "complaints, then all others together",
        columns=(
            Column("Subject"),
            Column("Kind"),
            Column("NMLS ID or tracking number"),
            Column("Complaints", COUNT),
            Column("Share of complaints (%)", SHARE),
        ),
        rows=rows,
        total=["Total", "", "", s.total, share(s.total, s.total)],
        notes=("A complaint about a branch or an individual counts under their company.",),
    )


def _relief_table(s: ComplaintSummary) -> Table:
    average = (
        (Decimal(s.relief_cents) / s.relief_count / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if s.relief_count
        else None
    )
    return Table(
        key="monetary_relief",
        sheet="Monetary relief",
        title="Monetary relief",
        caption="Monetary relief recorded on the latest closure of the closed complaints counted above",
        columns=(
            Column("Closed complaints", COUNT),
            Column("Closed with monetary relief", COUNT),
            Column("Total monetary relief (USD)", MONEY),
            Column("Average relief per complaint with relief (USD)", MONEY),
        ),
        rows=[[s.closed_total, s.relief_count, dollars(s.relief_cents), average]],
        row_headers=False,
    )


def describe_filters(filters: SummaryFilters, *, agency_poc: str = "") -> list[tuple[str, str]]:
    return [
        ("Report", TITLE),
        ("Complaints received from", filters.date_from.isoformat()),
        ("Complaints received to", filters.date_to.isoformat()),
        ("Closures and relief counted by", CLOSURES_BY_LABELS.get(filters.closures_by, filters.closures_by)),
        ("Agency POC", agency_poc or ("Anyone" if not filters.agency_poc_id else str(filters.agency_poc_id))),
        ("Business type", _label(BusinessType, filters.business_type) if filters.business_type else "Any"),
        ("Product", filters.product or "Any"),
        ("Subjects listed", str(filters.top_subjects)),
        ("Canceled complaints", "Left out"),
    ]


def complaint_report(*, actor: User, filters: SummaryFilters, agency_poc: str = "") -> Report:
    summary = complaint_summary_for(actor=actor, filters=filters)
    tables = [
        _status_table(summary),
        _closure_table(summary),
        _relief_table(summary),
        _business_type_table(summary),
        _category_table(summary),
        _subject_table(summary),
    ]
    return Report(summary=summary, tables=tables, filters=describe_filters(filters, agency_poc=agency_poc))


def export_sections(report: Report) -> Iterator[Section]:
    """The filters first, then one section per table with its total row."""
    yield Section(title="Filters", header=("Setting", "Value"), rows=[list(pair) for pair in report.filters])
    for table in report.tables:
        yield Section(title=table.sheet, header=[c.name for c in table.columns], rows=table.export_rows())


def file_name(filters: SummaryFilters, extension: str) -> str:
    return f"complaints-report-{filters.date_from.isoformat()}-{filters.date_to.isoformat()}.{extension}"
