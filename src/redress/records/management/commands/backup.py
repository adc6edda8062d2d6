from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from redress.core import clock
from redress.records.backup import BackupError, backup_create, default_backup_name


class Command(BaseCommand):
    help = (
        "Write one consistent archive of the whole system: every table as portable JSON lines, every stored "
        "document and a SHA-256 manifest. `backup [--output PATH]`; restore it with `restore PATH`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            default="",
            help="archive to write (default: redress-backup-<UTC time>.zip in the current folder); never overwritten",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"] or default_backup_name(clock.now()))
        try:
            result = backup_create(output=output)
        except BackupError as exc:
            raise CommandError(f"{exc.code}: {exc.detail}") from None
        for name in result.missing_files:
            self.stderr.write(f"warning: stored file {name} is missing; its row is backed up without bytes")
        self.stdout.write(result.summary())
