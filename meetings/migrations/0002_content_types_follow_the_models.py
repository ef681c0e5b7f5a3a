"""The content types of the moved models follow them from `tables` to `meetings` (issue 31).

A content type row is what permissions (and admin log entries) hang on; renaming its app label
keeps every permission a user or group holds on meetings, decisions and actions, under the
same row id. Django would otherwise create new rows for `meetings` after migrating and leave
the old ones stale. Reversible: the reverse renames them back.
"""

from django.db import migrations

MOVED = [
    "meeting",
    "agendaitem",
    "meetingpaper",
    "attendance",
    "decision",
    "action",
]
MODELS = MOVED + [f"historical{name}" for name in MOVED]


def _relabel(apps, old, new):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        row = content_type.objects.filter(app_label=old, model=model).first()
        if row is None:
            continue  # a fresh database: Django creates the row after migrating
        # A row under the new label can only be an empty one Django made after an earlier
        # migrate; the old row carries the permissions, so it wins.
        content_type.objects.filter(app_label=new, model=model).delete()
        row.app_label = new
        row.save(update_fields=["app_label"])


def to_meetings(apps, schema_editor):
    _relabel(apps, "tables", "meetings")


def to_tables(apps, schema_editor):
    _relabel(apps, "meetings", "tables")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("meetings", "0001_initial"),
        ("tables", "0024_meetings_moved_to_meetings_app"),
    ]

    operations = [migrations.RunPython(to_meetings, to_tables)]
