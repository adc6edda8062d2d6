"""GIN indexes for complaint full-text search, on PostgreSQL only.

Built from the same Django expressions ``redress.complaints.search`` queries with (repeated here
so this migration never changes meaning), so the SQL matches the index definition exactly;
they are not part of the model state because SQLite has no GIN.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEXES = (
    ("complaint", "cmp_text_search_idx", lambda: SearchVector("summary", "desired_outcome", config="english")),
    ("researchentry", "research_text_search_idx", lambda: SearchVector("description", config="english")),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, name, vector in INDEXES:
        schema_editor.add_index(apps.get_model("complaints", model_name), GinIndex(vector(), name=name))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, name, vector in INDEXES:
        schema_editor.remove_index(apps.get_model("complaints", model_name), GinIndex(vector(), name=name))


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_related_items")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
