"""Trigram (pg_trgm) GIN indexes for text search on PostgreSQL; nothing on SQLite.

``meetings.search`` filters the folded ``search_text`` / ``search_key`` columns with
``LIKE '%word%'``; on PostgreSQL these indexes let that use a bitmap index scan instead of
reading every row. The indexes live only in the database (raw SQL, no model state), so
the same migration history serves SQLite, where the operation does nothing.
"""

from django.db import migrations

INDEXES = [
    ("meetings_meeting_search_trgm", "meetings_meeting", "search_text"),
    ("meetings_zapiska_search_trgm", "meetings_zapiska", "search_text"),
    ("meetings_resolution_search_trgm", "meetings_resolution", "search_text"),
    ("meetings_person_search_trgm", "meetings_person", "search_key"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_meeting_source_note")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
