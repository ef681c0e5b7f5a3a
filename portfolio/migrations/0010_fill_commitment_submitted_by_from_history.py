"""Who submitted each submitted or confirmed position, read from its history (the field is new
in 0008): the user of the history row where its status became `ingediend`, the last time it did.
A position whose history does not say keeps an empty `submitted_by`.
"""

from django.db import migrations


def fill_from_history(apps, schema_editor):
    commitment_model = apps.get_model("portfolio", "Commitment")
    history = apps.get_model("portfolio", "HistoricalCommitment")
    for commitment in commitment_model.objects.filter(status__in=["ingediend", "bevestigd"]):
        submitter, previous = None, None
        for row in history.objects.filter(id=commitment.pk).order_by("history_date", "history_id"):
            if row.status == "ingediend" and previous != "ingediend":
                submitter = row.history_user_id
            previous = row.status
        if submitter is not None:
            commitment.submitted_by_id = submitter
            commitment.save(update_fields=["submitted_by"])


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0009_commitment_submitted_by_versioned_milestones")]

    operations = [migrations.RunPython(fill_from_history, migrations.RunPython.noop)]
