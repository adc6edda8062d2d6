"""The ``redress`` command: ``redress audit verify``, ``redress token create``, ``redress demo``…

It is Django's management command runner with the project's settings preselected, so every
``redress X`` is also ``python manage.py X``.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["redress", *sys.argv[1:]])
