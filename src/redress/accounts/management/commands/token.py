"""`redress token create EMAIL NAME [--days N]` and `redress token revoke EMAIL TOKEN_ID`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from redress.accounts.models import User
from redress.accounts.tokens import token_create, token_revoke
from redress.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Create or revoke personal API access tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token; the secret is printed once")
        create.add_argument("email")
        create.add_argument("name")
        create.add_argument("--days", type=int, default=None)
        revoke = sub.add_parser("revoke", help="revoke a token")
        revoke.add_argument("email")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with the email {options['email']}.")
        try:
            with transaction.atomic():
                if options["action"] == "create":
                    token, secret = token_create(actor=user, user=user, name=options["name"], days=options["days"])
                    self.stdout.write(f"Token {token.pk} '{token.name}' expires {token.expires_at:%Y-%m-%d}.")
                    self.stdout.write(secret)
                else:
                    token = token_revoke(actor=user, token_id=options["token_id"])
                    self.stdout.write(f"Token {token.pk} revoked.")
        except ApplicationError as exc:
            raise CommandError(exc.detail) from exc
