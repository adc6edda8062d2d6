"""Run the periodic jobs once (for a cron or systemd timer), or in a loop with --loop.

Each job is idempotent for its run key (job name + period), so running this twice in the same
period does nothing the second time.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from redress.core.scheduling import run_due_jobs


class Command(BaseCommand):
    help = "Run periodic jobs that are due (idempotent per period)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running, every --interval seconds")
        parser.add_argument("--interval", type=int, default=300)

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            for name, outcome in run_due_jobs():
                self.stdout.write(f"{name}: {outcome}")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
