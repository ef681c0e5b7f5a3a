"""One name for what an organisation takes on a project: Commitment becomes Position (issue 31).

Renames, never drops: the tables (portfolio_commitment, portfolio_historicalcommitment) are
renamed with their rows, the indexes are renamed in place, and the content types follow the
models (contenttypes' rename hook). Only the three check constraints that carried the old name
are dropped and added again under the new one, as Django has no operation to rename one; they
check the same conditions.

The autodetector cannot see this rename (the related name changes with it, so it would drop
Commitment and create Position with empty tables); this migration is written by hand.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0019_position_counts"),
        ("smartdelta", "0010_inhabitant_count_is_versioned"),
    ]

    operations = [
        migrations.RenameModel("Commitment", "Position"),
        migrations.RenameModel("HistoricalCommitment", "HistoricalPosition"),
        migrations.AlterField(
            model_name="position",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="positions",
                to="portfolio.project",
                verbose_name="project",
            ),
        ),
        migrations.AlterField(
            model_name="position",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="positions",
                to="smartdelta.organisation",
                verbose_name="organisatie",
            ),
        ),
        migrations.RenameIndex(
            model_name="position",
            new_name="position_by_organisation",
            old_name="commitment_by_organisation",
        ),
        migrations.RenameIndex(
            model_name="position",
            new_name="position_by_variant",
            old_name="commitment_by_variant",
        ),
        migrations.RenameIndex(
            model_name="position",
            new_name="position_in_force",
            old_name="commitment_in_force",
        ),
        migrations.RenameIndex(
            model_name="position",
            new_name="position_awaiting",
            old_name="commitment_awaiting",
        ),
        migrations.RemoveConstraint(model_name="position", name="commitment_amounts_valid"),
        migrations.AddConstraint(
            model_name="position",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("amount__isnull", True), ("amount__gte", 0), _connector="OR"),
                    models.Q(
                        ("share__isnull", True),
                        models.Q(("share__gte", 0), ("share__lte", 100)),
                        _connector="OR",
                    ),
                    models.Q(
                        ("capacity_fte__isnull", True), ("capacity_fte__gte", 0), _connector="OR"
                    ),
                ),
                name="position_amounts_valid",
            ),
        ),
        migrations.RemoveConstraint(model_name="position", name="commitment_variant_valid"),
        migrations.AddConstraint(
            model_name="position",
            constraint=models.CheckConstraint(
                condition=models.Q(("variant__in", ["volledig", "solidariteit", "instap", "geen"])),
                name="position_variant_valid",
            ),
        ),
        migrations.RemoveConstraint(model_name="position", name="commitment_status_valid"),
        migrations.AddConstraint(
            model_name="position",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status__in", ["concept", "ingediend", "bevestigd", "ingetrokken"])
                ),
                name="position_status_valid",
            ),
        ),
    ]
