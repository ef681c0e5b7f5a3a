"""Migration 0020 renames Commitment to Position: the rows, their history and their content type
stay; nothing is dropped and made again (issue 31)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from portfolio.models import Position

BEFORE = ("portfolio", "0019_position_counts")


def _state_apps(target):
    return MigrationExecutor(connection).loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_positions_their_history_and_content_type_survive_the_rename():
    # Through the command, not the executor: its signals rename the content types.
    call_command("migrate", *BEFORE, verbosity=0)
    try:
        apps = _state_apps(BEFORE)
        organisation = apps.get_model("smartdelta", "Organisation").objects.create(
            name="Dordrecht", slug="dordrecht", kind="kern"
        )
        theme = apps.get_model("portfolio", "Theme").objects.create(name="T", slug="t")
        project = apps.get_model("portfolio", "Project").objects.create(
            name="P", theme=theme, lead=organisation
        )
        old = apps.get_model("portfolio", "Commitment").objects.create(
            project=project, organisation=organisation, variant="geen", status="ingediend"
        )
        start = timezone.now() - datetime.timedelta(days=3)
        for days, status in [(0, "concept"), (1, "ingediend")]:
            apps.get_model("portfolio", "HistoricalCommitment").objects.create(
                id=old.pk,
                project=project,
                organisation=organisation,
                variant="geen",
                status=status,
                entry_payment="eenmalig",
                version=days + 1,
                updated_at=start,
                history_date=start + datetime.timedelta(days=days),
                history_type="+" if days == 0 else "~",
            )
        content_types = apps.get_model("contenttypes", "ContentType").objects
        old_type = content_types.get(app_label="portfolio", model="commitment").pk
    finally:
        call_command("migrate", "portfolio", verbosity=0)
    ContentType.objects.clear_cache()

    position = Position.objects.get(pk=old.pk)
    assert (position.project_id, position.variant, position.status) == (
        project.pk,
        "geen",
        "ingediend",
    )
    assert list(position.history.order_by("history_date").values_list("status", flat=True)) == [
        "concept",
        "ingediend",
    ]
    assert ContentType.objects.get_for_model(Position).pk == old_type
    assert not ContentType.objects.filter(app_label="portfolio", model="commitment").exists()
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert "portfolio_position" in tables and "portfolio_historicalposition" in tables
    assert "portfolio_commitment" not in tables
