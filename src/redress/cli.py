"""The ``redress`` command: ``redress audit verify``, ``redress token create``, ``redress demo``…

It is Django's management command runner with the project's settings preselected, so every
``redress X`` is also ``python manage.py X``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> None:
    # In a source checkout the settings package sits beside src/; put it on the path so the
    # installed script works from any directory.
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "config" / "settings").is_dir() and str(checkout) not in sys.path:
        sys.path.insert(0, str(checkout))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["redress", *sys.argv[1:]])
