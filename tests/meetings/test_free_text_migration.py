"""Migrations meetings 0003 and 0004: the free text at agenda items from before decision lists
were kept decision by decision becomes numbered decisions of their meeting, one kind of
decision (issue 31); the field goes. Nothing is lost on the way back either."""

import datetime

import pytest

from tests.migrations import migrate_to

BEFORE = [("meetings", "0002_content_types_follow_the_models")]
AFTER = [("meetings", "0004_agenda_item_decision_is_a_decision")]


@pytest.mark.django_db(transaction=True)
def test_the_free_text_of_agenda_items_becomes_numbered_decisions():
    apps = migrate_to(BEFORE)
    regiekamer = apps.get_model("tables", "Regiekamer").objects.get_or_create(kind="ambtelijk")[0]
    meeting_model = apps.get_model("meetings", "Meeting")
    item_model = apps.get_model("meetings", "AgendaItem")
    decision_model = apps.get_model("meetings", "Decision")
    old = meeting_model.objects.create(regiekamer=regiekamer, date=datetime.date(2024, 3, 4))
    # Out of their agenda order on purpose: the numbers follow the agenda.
    second = item_model.objects.create(meeting=old, order=2, title="Twee", decision="Besluit B.")
    first = item_model.objects.create(meeting=old, order=1, title="Een", decision="Besluit A.")
    item_model.objects.create(meeting=old, order=3, title="Rondvraag", decision="")
    # A meeting that has a decision record already: the free text follows it.
    mixed = meeting_model.objects.create(regiekamer=regiekamer, date=datetime.date(2024, 5, 6))
    decision_model.objects.create(meeting=mixed, number=1, text="Al vastgelegd.")
    late = item_model.objects.create(meeting=mixed, order=1, title="Punt", decision="Vrije tekst.")

    apps = migrate_to(AFTER)
    decision_model = apps.get_model("meetings", "Decision")
    rows = list(
        decision_model.objects.order_by("meeting_id", "number").values_list(
            "meeting_id", "number", "agenda_item_id", "text"
        )
    )
    assert rows == [
        (old.pk, 1, first.pk, "Besluit A."),
        (old.pk, 2, second.pk, "Besluit B."),
        (mixed.pk, 1, None, "Al vastgelegd."),
        (mixed.pk, 2, late.pk, "Vrije tekst."),
    ]
    history = apps.get_model("meetings", "HistoricalDecision").objects.filter(meeting_id=old.pk)
    assert sorted(history.values_list("number", "history_type", "history_user")) == [
        (1, "+", None),
        (2, "+", None),
    ]
    assert "decision" not in {
        f.name for f in apps.get_model("meetings", "AgendaItem")._meta.get_fields()
    }

    # Back: the field returns (empty), the decisions stay.
    apps = migrate_to(BEFORE)
    assert apps.get_model("meetings", "Decision").objects.filter(meeting_id=old.pk).count() == 2
    migrate_to(AFTER)
