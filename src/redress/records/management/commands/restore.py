from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from redress.records.restore import RestoreError, backup_restore


class Command(BaseCommand):
    help = (
        "Rebuild the system from a `backup` archive into an empty, migrated database. The whole archive is "
        "checked first; a database that already holds data is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup archive (.zip)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_restore(path=Path(options["path"]))
        except RestoreError as exc:
            raise CommandError(f"{exc.code}: {exc.detail}") from None
        self.stdout.write(result.summary())
