from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from redress.accounts.models import User
from redress.agencies.models import Agency
from redress.companies.importing import COLUMNS, ImportRejected, companies_import_csv
from redress.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Company registry tools. `companies import FILE [--agency CODE] [--actor EMAIL]` loads a CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import",
            help="create or update companies (by NMLS ID) from a CSV file; nothing is written if any row is invalid",
            description="Columns: " + ", ".join(COLUMNS) + ". Only nmls_id and legal_name are required.",
        )
        imp.add_argument("file", help="path to a UTF-8 CSV file with a header row")
        imp.add_argument("--agency", help="agency code (e.g. MD-OFR) the licence and supervised columns are for")
        imp.add_argument("--actor", help="email of the user the change is recorded for (default: the system)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        agency = None
        if options.get("agency"):
            agency = Agency.objects.filter(code=options["agency"].upper()).first()
            if agency is None:
                raise CommandError(f"No agency with code {options['agency']}.")
        actor = None
        if options.get("actor"):
            actor = User.objects.filter(email__iexact=options["actor"], is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user with email {options['actor']}.")
        try:
            with path.open("rb") as handle:
                result = companies_import_csv(actor=actor, file=handle, agency=agency)
        except ImportRejected as exc:
            for err in exc.errors:
                where = f"row {err.row}" if err.row else "file"
                column = f", {err.column}" if err.column else ""
                self.stderr.write(f"{where}{column}: {err.message}")
            raise CommandError(exc.detail) from None
        except ApplicationError as exc:
            raise CommandError(exc.detail) from None
        self.stdout.write(
            f"Imported {len(result.company_refs)} rows: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
