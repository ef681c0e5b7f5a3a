"""The free text at agenda items (`AgendaItem.decision`, from before decision lists were kept
decision by decision) becomes numbered decisions of their meeting (issue 31: "the free-text
decision fields beside the numbered decisions become one kind of decision").

Per meeting, in agenda order, each item with text becomes the next decision (after any the
meeting already has), tied to its item, with a history row that names no user: the migration,
not a person, wrote it. The next migration drops the field. The reverse leaves the decisions as
they are (nothing is lost either way; the field comes back empty).
"""

from django.db import migrations
from django.db.models import Max
from django.utils import timezone


def free_text_to_decisions(apps, schema_editor):
    agenda_item = apps.get_model("meetings", "AgendaItem")
    decision = apps.get_model("meetings", "Decision")
    historical = apps.get_model("meetings", "HistoricalDecision")
    now = timezone.now()
    items = agenda_item.objects.exclude(decision="").order_by("meeting_id", "order", "pk")
    numbers: dict[int, int] = {}
    for item in items:
        if item.meeting_id not in numbers:
            last = decision.objects.filter(meeting_id=item.meeting_id).aggregate(n=Max("number"))
            numbers[item.meeting_id] = last["n"] or 0
        numbers[item.meeting_id] += 1
        row = decision.objects.create(
            meeting_id=item.meeting_id,
            agenda_item_id=item.pk,
            number=numbers[item.meeting_id],
            text=item.decision,
            updated_at=now,
        )
        historical.objects.create(
            id=row.pk,
            meeting_id=row.meeting_id,
            agenda_item_id=row.agenda_item_id,
            number=row.number,
            text=row.text,
            version=row.version,
            updated_at=now,
            history_date=now,
            history_type="+",
            history_change_reason="Vrije tekst bij het agendapunt overgezet naar de besluitenlijst",
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_content_types_follow_the_models")]

    operations = [migrations.RunPython(free_text_to_decisions, migrations.RunPython.noop)]
