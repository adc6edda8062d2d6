"""``redress demo``: load the demonstration data set and print who can sign in."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from redress.core.errors import ApplicationError
from redress.demo.seed import (
    DEFAULT_PASSWORD,
    seed_demo,
    seed_demo_complaints,
    seed_demo_irs,
    seed_demo_non_nmls,
    seed_demo_sharing,
)


class Command(BaseCommand):
    help = (
        "Create demo agencies, users in every role and companies (safe to run again: nothing is created twice). "
        "Every demo login shares one password, REDRESS_DEMO_PASSWORD or --password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help=f"the shared demo password (default: {DEFAULT_PASSWORD})")
        parser.add_argument(
            "--complaints",
            type=int,
            default=2000,
            help="how many real CFPB records to enter as complaints (default 2000; 0 for none)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even with DEBUG off: demo accounts have a published password, never use this in production",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off, so this looks like a production installation. Demo accounts share a published "
                "password; pass --force only if this really is a demonstration system."
            )
        password = options.get("password") or os.environ.get("REDRESS_DEMO_PASSWORD") or DEFAULT_PASSWORD
        try:
            result = seed_demo(password=password)
        except ApplicationError as exc:
            raise CommandError(f"{exc.code}: {exc.detail}") from None
        if options["complaints"] > 0:
            self.stdout.write(f"Entering up to {options['complaints']} CFPB records as complaints…")
            try:
                entered = seed_demo_complaints(limit=options["complaints"])
                requests = seed_demo_irs()
                shared = seed_demo_sharing()
                entities = seed_demo_non_nmls()
            except ApplicationError as exc:
                raise CommandError(f"{exc.code}: {exc.detail}") from None
            if entered:
                result.created.append(f"{entered} complaints")
            if requests:
                result.created.append(f"{requests} information requests")
            if shared:
                result.created.append(f"{shared} referrals and access requests between the agencies")
            if entities:
                result.created.append(f"{entities} Non-NMLS entities with a complaint and a discussion each")
        if result.created:
            self.stdout.write("Created: " + ", ".join(result.created))
        else:
            self.stdout.write("The demo data was already there; nothing was created.")
        self.stdout.write("")
        self._table(result.logins)
        self.stdout.write("")
        self.stdout.write(f"Demo password for every login: {password}")
        if settings.REDRESS_REQUIRE_MFA:
            self.stdout.write("MFA is required: each user sets up an authenticator app at first sign-in.")
        else:
            self.stdout.write("MFA is off (REDRESS_REQUIRE_MFA=false): the password alone signs in.")

    def _table(self, logins: list[Any]) -> None:
        headers = ("Email", "Role", "Organisation")
        rows = [(login.email, login.role, login.organisation) for login in logins]
        widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(3)]
        line = "  ".join("-" * width for width in widths)
        self.stdout.write("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
        self.stdout.write(line)
        for row in rows:
            self.stdout.write("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)))
