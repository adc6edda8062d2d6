from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from redress.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Audit trail tools. `audit verify` re-checks the hash chain and reports the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="verify the hash chain")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if result.ok:
            self.stdout.write(f"Audit chain intact: {result.checked} events verified.")
            return
        raise CommandError(
            f"Audit chain broken at event {result.broken_at}: {result.problem} "
            f"({result.checked} events verified before it)."
        )
