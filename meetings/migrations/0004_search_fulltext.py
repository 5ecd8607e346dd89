"""Full-text search indexes on PostgreSQL (nothing on SQLite), used by :mod:`meetings.search`.

Replaces 0003's trigram indexes on the ``search_text`` columns (the filter there is now a
full-text prefix query, which they cannot answer) and keeps its trigram index on people.

- Full-text GIN indexes on ``to_tsvector('simple', search_text)`` of meetings, zapiski and
  resolutions: ``filter_text`` asks them for every query word as a prefix (``word:*``).
- A trigram GIN index (pg_trgm, ``gin_trgm_ops``) on ``Person.search_key``: the speakers
  list matches names with ``LIKE 'word%' OR LIKE '% word%'``.
- ``toast_tuple_target = 256`` on meetings: PostgreSQL only toasts rows over ~2 kB, but
  those it then shrinks to 256 bytes (search_text out of line), not to 2 kB.

Raw SQL without model state, so the same migration history serves SQLite, where these
operations do nothing.
"""

from django.db import migrations

FULL_TEXT = [
    ("meetings_meeting_search_fts", "meetings_meeting"),
    ("meetings_zapiska_search_fts", "meetings_zapiska"),
    ("meetings_resolution_search_fts", "meetings_resolution"),
]
TRIGRAM = [("meetings_person_search_trgm", "meetings_person", "search_key")]
OLD_TRIGRAM = [
    "meetings_meeting_search_trgm",
    "meetings_zapiska_search_trgm",
    "meetings_resolution_search_trgm",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name in OLD_TRIGRAM:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for name, table in FULL_TEXT:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            "USING gin (to_tsvector('simple'::regconfig, search_text))"
        )
    for name, table, column in TRIGRAM:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )
    schema_editor.execute("ALTER TABLE meetings_meeting SET (toast_tuple_target = 256)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in FULL_TEXT:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for name, table in zip(OLD_TRIGRAM, [t for _, t in FULL_TEXT], strict=True):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)"
        )
    schema_editor.execute("ALTER TABLE meetings_meeting RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_search_trigram_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
