import pytest
from django.core.management import CommandError, call_command

from redress.accounts.models import ApiToken
from redress.accounts.tokens import authenticate_token

pytestmark = pytest.mark.django_db


def test_token_create_prints_a_secret_that_authenticates(supervisor_a, capsys):
    call_command("token", "create", supervisor_a.email, "integration", "--days", "30")
    out = capsys.readouterr().out.strip().splitlines()
    secret = out[-1]
    assert secret.startswith("rdr_")
    assert authenticate_token(secret) == supervisor_a
    token = ApiToken.objects.get(user=supervisor_a)
    assert token.secret_hash != secret and secret not in token.secret_hash


def test_token_revoke_stops_authentication(supervisor_a, capsys):
    call_command("token", "create", supervisor_a.email, "ci")
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    token = ApiToken.objects.get(user=supervisor_a)
    call_command("token", "revoke", supervisor_a.email, str(token.pk))
    assert authenticate_token(secret) is None


def test_token_create_refuses_bad_input_and_unknown_users(supervisor_a):
    with pytest.raises(CommandError, match="No active user"):
        call_command("token", "create", "nobody@example.test", "x")
    with pytest.raises(CommandError, match="1 to 366 days"):
        call_command("token", "create", supervisor_a.email, "x", "--days", "0")
    assert not ApiToken.objects.exists()
