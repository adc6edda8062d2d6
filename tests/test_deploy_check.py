"""Production settings pass Django's deployment checklist with the documented variables set."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _clean_environment() -> dict[str, str]:
    """The process environment without what other tests set for themselves (the browser tests
    allow Django's ORM inside Playwright's event loop; production never does)."""
    return {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")}


def _check(tmp_path: Path, **overrides: str) -> subprocess.CompletedProcess[str]:
    env = {
        **_clean_environment(),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "REDRESS_SECRET_KEY": secrets.token_urlsafe(50),
        "REDRESS_ALLOWED_HOSTS": "complaints.example.gov",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        **overrides,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = _check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env_without_key = {k: v for k, v in _clean_environment().items() if k != "REDRESS_SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={
            **env_without_key,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "REDRESS_ALLOWED_HOSTS": "complaints.example.gov",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "REDRESS_SECRET_KEY" in result.stderr
