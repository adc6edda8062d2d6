from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from redress.core import clock
from redress.records.disposition import disposition_run


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--as-of must be a date like 2032-01-31, not {value!r}") from exc


class Command(BaseCommand):
    help = "Records management. `records disposition run --as-of DATE [--dry-run]` applies the retention schedule."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="area", required=True)
        disposition = sub.add_parser("disposition", help="retention schedule and disposition")
        actions = disposition.add_subparsers(dest="action", required=True)
        run = actions.add_parser("run", help="dispose of every document past its retention date")
        run.add_argument("--as-of", dest="as_of", default="", help="decision date (default: today)")
        run.add_argument("--dry-run", action="store_true", help="list what would be disposed; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = _date(options["as_of"]) if options["as_of"] else clock.today()
        result = disposition_run(as_of=as_of, dry_run=options["dry_run"])
        for planned in result.planned:
            verb = "would dispose" if result.dry_run else "due"
            self.stdout.write(
                f"{planned.complaint.ref}: {verb} {len(planned.documents)} document(s) (due {planned.due})"
            )
        self.stdout.write(result.summary())
