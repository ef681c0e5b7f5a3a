"""Migration 0009 reads who submitted each position from its history (issue 15)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.migrations import migrate_to

BEFORE = [("portfolio", "0009_commitment_submitted_by_versioned_milestones")]
AFTER = [("portfolio", "0010_fill_commitment_submitted_by_from_history")]


@pytest.fixture
def latest_schema_afterwards():
    """Migrate forward to the latest state after the test: the flush that ends it (and every
    test after it) expects today's tables, and 0020 renamed the position's table."""
    yield
    call_command("migrate", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_submitter_is_the_user_of_the_last_submission(latest_schema_afterwards):
    apps = migrate_to(BEFORE)
    organisation = apps.get_model("smartdelta", "Organisation").objects.create(
        name="Dordrecht", slug="dordrecht", kind="kern"
    )
    user_model = apps.get_model("smartdelta", "User")
    first, second, third = (
        user_model.objects.create(username=name, organisation=organisation)
        for name in ("eerste", "tweede", "derde")
    )
    theme = apps.get_model("portfolio", "Theme").objects.create(name="T", slug="t")
    project = apps.get_model("portfolio", "Project").objects.create(
        name="P", theme=theme, lead=organisation
    )
    position_model = apps.get_model("portfolio", "Commitment")
    history = apps.get_model("portfolio", "HistoricalCommitment")
    confirmed = position_model.objects.create(
        project=project,
        organisation=organisation,
        variant="volledig",
        status="bevestigd",
        decision_reference="B-1",
        decision_date=datetime.date(2024, 1, 1),
    )
    start = timezone.now() - datetime.timedelta(days=10)
    # Submitted by the first, back to concept, submitted again by the second, confirmed by
    # the third: the second submitted what was confirmed.
    for days, status, user in [
        (0, "concept", first),
        (1, "ingediend", first),
        (2, "concept", second),
        (3, "ingediend", second),
        (4, "bevestigd", third),
    ]:
        history.objects.create(
            id=confirmed.pk,
            project=project,
            organisation=organisation,
            variant="volledig",
            status=status,
            entry_payment="eenmalig",
            version=days + 1,
            updated_at=start,
            history_date=start + datetime.timedelta(days=days),
            history_type="~",
            history_user=user,
        )
    concept = position_model.objects.create(
        project=apps.get_model("portfolio", "Project").objects.create(
            name="Q", theme=theme, lead=organisation
        ),
        organisation=organisation,
        variant="volledig",
        status="concept",
    )

    apps = migrate_to(AFTER)
    position_model = apps.get_model("portfolio", "Commitment")
    assert position_model.objects.get(pk=confirmed.pk).submitted_by_id == second.pk
    assert position_model.objects.get(pk=concept.pk).submitted_by_id is None
