"""Trigram indexes for the search over closed escalations (following/search.py), PostgreSQL only.

The search matches with `icontains`, which Django writes on PostgreSQL as
`UPPER(column::text) LIKE UPPER('%…%')`. A GIN index with `gin_trgm_ops` on exactly that
expression answers such a LIKE from the index, so the search reads the matching escalations
instead of filtering every closed one. SQLite has no such index and keeps scanning (its data
sets are small). The indexes are not in the model state: they exist only where the database can
hold them, and tests/bench/test_plans.py checks on PostgreSQL that the search uses them.
"""

from django.db import migrations

COLUMNS = ["title", "description", "decision"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS escalation_search_{column} ON tables_escalation "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS escalation_search_{column}")


class Migration(migrations.Migration):
    dependencies = [("tables", "0011_meeting_planning")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
