"""Who changed a project last, read from its newest history row (the field is new in 0003).

`updated_at` already held the moment of the last save and is kept as it is.
"""

from django.db import migrations


def fill_from_history(apps, schema_editor):
    project_model = apps.get_model("portfolio", "Project")
    history = apps.get_model("portfolio", "HistoricalProject")
    for project in project_model.objects.all():
        last = history.objects.filter(id=project.pk).order_by("-history_date").first()
        if last is not None and last.history_user_id is not None:
            project.updated_by_id = last.history_user_id
            project.save(update_fields=["updated_by"])


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0003_versioned_project")]

    operations = [migrations.RunPython(fill_from_history, migrations.RunPython.noop)]
