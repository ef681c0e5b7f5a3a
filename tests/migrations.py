"""Tests of a data migration: move the test database to a migration and read the models as
they were there (the historical models, not today's)."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(target: list[tuple[str, str]]):
    """Migrate the database to `target` (forward or back) and return its apps registry."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps
