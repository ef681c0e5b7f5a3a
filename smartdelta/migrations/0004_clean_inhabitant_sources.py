"""Inhabitant sources are shown to councillors: replace the team's notes the demo once stored
("Wikipedia infobox citing CBS; no 2024 figure was found: replace with ...") by a plain source
line with the reference date."""

from django.db import migrations

from smartdelta.validators import TEAM_NOTE

MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip


def clean(apps, schema_editor):
    InhabitantCount = apps.get_model("smartdelta", "InhabitantCount")
    for count in InhabitantCount.objects.all():
        if TEAM_NOTE.search(count.source) or count.source.startswith("CBS; "):
            date = count.reference_date
            count.source = f"CBS, bevolking op {date.day} {MONTHS[date.month - 1]} {date.year}"
            count.save(update_fields=["source"])


class Migration(migrations.Migration):
    dependencies = [("smartdelta", "0003_inhabitant_source_is_public")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
