"""Migration meetings 0002 moves the moved models' content types to `meetings` (issue 31), so
the permissions that hang on them stay attached; its reverse moves them back."""

import pytest

from tests.migrations import migrate_to

BEFORE = [("meetings", "0001_initial"), ("tables", "0024_meetings_moved_to_meetings_app")]
AFTER = [("meetings", "0002_content_types_follow_the_models")]
# Where every other test expects the database: the app's last migration.
LATEST = [("meetings", "0004_agenda_item_decision_is_a_decision")]


@pytest.mark.django_db(transaction=True)
def test_the_content_types_and_their_permissions_follow_the_models():
    apps = migrate_to(BEFORE)
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    content_type.objects.filter(model__in=["meeting", "historicaldecision"]).delete()
    meeting = content_type.objects.create(app_label="tables", model="meeting")
    history = content_type.objects.create(app_label="tables", model="historicaldecision")
    # An empty row under the new label, as Django makes after a migrate: the old row wins.
    content_type.objects.create(app_label="meetings", model="meeting")
    kept = permission.objects.create(
        content_type=meeting, codename="view_meeting_test", name="Mag vergadering zien"
    )

    apps = migrate_to(AFTER)
    content_type = apps.get_model("contenttypes", "ContentType")
    assert content_type.objects.get(pk=meeting.pk).app_label == "meetings"
    assert content_type.objects.get(pk=history.pk).app_label == "meetings"
    assert content_type.objects.filter(model="meeting").count() == 1
    assert apps.get_model("auth", "Permission").objects.get(pk=kept.pk).content_type_id == (
        meeting.pk
    )

    apps = migrate_to(BEFORE)
    content_type = apps.get_model("contenttypes", "ContentType")
    assert content_type.objects.get(pk=meeting.pk).app_label == "tables"
    assert content_type.objects.get(pk=history.pk).app_label == "tables"

    migrate_to(LATEST)
