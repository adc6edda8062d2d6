import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "cfpb_taxonomy.json"


def seed(apps, schema_editor):
    TaxonomyVersion = apps.get_model("complaints", "TaxonomyVersion")
    if TaxonomyVersion.objects.exists():
        return
    tree = json.loads(DATA.read_text(encoding="utf-8"))
    TaxonomyVersion.objects.create(name="CFPB taxonomy (2012–2023 values)", tree=tree, is_current=True)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
