"""The product / issue taxonomy complaints are coded with.

Invariants:
- Exactly one version is current (a partial unique constraint enforces it).
- An installation always has one: when none exists (a new database, or one emptied by an
  operator), the bundled CFPB taxonomy is installed on first use.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import IntegrityError, transaction

from .models import TaxonomyVersion

BUNDLED = Path(__file__).resolve().parent / "data" / "cfpb_taxonomy.json"
BUNDLED_NAME = "CFPB taxonomy (2012–2023 values)"


def current_taxonomy() -> TaxonomyVersion:
    taxonomy = TaxonomyVersion.objects.filter(is_current=True).first()
    if taxonomy is not None:
        return taxonomy
    try:
        with transaction.atomic():
            return TaxonomyVersion.objects.create(
                name=BUNDLED_NAME, tree=json.loads(BUNDLED.read_text(encoding="utf-8")), is_current=True
            )
    except IntegrityError:
        # Another process installed it at the same moment.
        return TaxonomyVersion.objects.get(is_current=True)
