"""Fill the agreed inwonerbijdrage of existing budget years, and start the figures clock.

Until now the seven paid the lines of components 1 and 2 minus other financing plus a carried
deficit. The agreed figure closest to that, without charging the deficit (seed 002: "geen
aanvullende afrekening met de gemeenten"), is the lines minus the other financing; the
programme office corrects it where the agreement says otherwise. Existing financing was
counted as covering, so it is marked committed, except the neighbours' 250,000 of the demo
budget 2024, which seed 002 calls hoped-for ("Er is nog geen concrete toezegging"); the
Regionaal Werkcentrum's 40,000 belongs to Smart Delta & Partners from 2026 (seed 000), not to
the 2024 budget, and is removed from the demo budget.
"""

from decimal import Decimal

from django.db import migrations

DEMO_NOTE_START = "Demo: begroting 2024 uit het werkplan"
OLD_SENTENCE = "Het tekort van ongeveer € 140.000 over 2023 is in de bijdrage van 2024 verwerkt."
NEW_SENTENCE = (
    "Het tekort van ongeveer € 140.000 over 2023 is doorgeschoven naar 2024 en wordt binnen de "
    "begroting opgelost: er volgt geen aanvullende afrekening met de gemeenten."
)


def fill(apps, schema_editor):
    BudgetYear = apps.get_model("finance", "BudgetYear")
    Financing = apps.get_model("finance", "Financing")
    FiguresClock = apps.get_model("finance", "FiguresClock")
    LetterText = apps.get_model("finance", "LetterText")
    FiguresClock.objects.get_or_create(pk=1, defaults={"tick": 1})
    for budget in BudgetYear.objects.all():
        financing = list(Financing.objects.filter(budget=budget))
        if budget.year == 2024 and budget.note.startswith(DEMO_NOTE_START):
            for item in financing:
                if item.kind == "overig" and "Regionaal Werkcentrum" in item.description:
                    item.delete()
                elif item.kind == "buurgemeente":
                    item.status = "gehoopt"
                    item.description = "Vaste bijdragen buurgemeenten"
                    item.save(update_fields=["status", "description"])
            budget.contribution = Decimal("4750000.00")
            budget.forecast_indexation = Decimal("2.50")
            budget.decision_reference = "Uitvoeringsprogramma Smart Delta Drechtsteden 2024"
            budget.note = (
                "Begroting 2024 uit het Uitvoeringsprogramma 2024. De indeling van de posten in "
                "componenten en de verwachte indexatie van 2,5 % voor de jaren erna zijn aannames."
            )
            letter = LetterText.objects.filter(budget=budget).first()
            if letter is not None and OLD_SENTENCE in letter.key_message:
                letter.key_message = letter.key_message.replace(OLD_SENTENCE, NEW_SENTENCE)
                letter.save(update_fields=["key_message"])
        else:
            for item in financing:
                item.status = "toegezegd"
                item.save(update_fields=["status"])
            lines = sum(
                (line.amount for line in budget.lines.all() if line.component in (1, 2)),
                Decimal("0"),
            )
            others = sum((item.amount for item in financing), Decimal("0"))
            budget.contribution = max(Decimal("0"), lines - others)
        budget.save(
            update_fields=["contribution", "forecast_indexation", "decision_reference", "note"]
        )


class Migration(migrations.Migration):
    dependencies = [("finance", "0002_agreed_contribution_amendments_issued_letters")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=False)]
