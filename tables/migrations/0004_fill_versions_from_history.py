"""Who changed a process step or chair term last, and when, read from its newest history row.

The fields are new (0003) and default to the migration's moment and nobody; the history
already knows the real answer for rows that existed before.
"""

from django.db import migrations


def fill_from_history(apps, schema_editor):
    for name in ("ProcessStep", "ChairTerm"):
        model = apps.get_model("tables", name)
        history = apps.get_model("tables", f"Historical{name}")
        for row in model.objects.all():
            last = history.objects.filter(id=row.pk).order_by("-history_date").first()
            if last is not None:
                row.updated_at = last.history_date
                row.updated_by_id = last.history_user_id
                row.save(update_fields=["updated_at", "updated_by"])


class Migration(migrations.Migration):
    dependencies = [("tables", "0003_versioned_process_steps_and_chair_terms")]

    operations = [migrations.RunPython(fill_from_history, migrations.RunPython.noop)]
