"""Serve the web app and the task worker together (the `make run` demo)."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the web server and the background task worker in one terminal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--interval", "1"])
        scheduler = subprocess.Popen([sys.executable, "manage.py", "run_scheduled_jobs", "--loop", "--interval", "300"])
        self.stdout.write(f"Worker started (pid {worker.pid}); web on http://{options['addr']}:{options['port']}/")
        try:
            call_command("runserver", f"{options['addr']}:{options['port']}", use_reloader=False)
        finally:
            for proc in (worker, scheduler):
                proc.send_signal(signal.SIGTERM)
            for proc in (worker, scheduler):
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
