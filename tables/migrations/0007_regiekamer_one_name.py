"""The link to a regiekamer has one name everywhere: `regiekamer` (was `chamber` on escalations)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tables", "0006_seat_administrator"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="escalation", name="escalation_chamber_open"),
        migrations.RenameField("escalation", "chamber", "regiekamer"),
        migrations.RenameField("historicalescalation", "chamber", "regiekamer"),
        migrations.RenameField("escalationevent", "from_chamber", "from_regiekamer"),
        migrations.RenameField("escalationevent", "to_chamber", "to_regiekamer"),
        migrations.AddIndex(
            model_name="escalation",
            index=models.Index(
                condition=~models.Q(state="afgehandeld"),
                fields=["regiekamer", "deadline", "id"],
                name="escalation_regiekamer_open",
            ),
        ),
    ]
