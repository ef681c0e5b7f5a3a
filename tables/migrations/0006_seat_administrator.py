"""Seat.bestuurder becomes Seat.administrator: field names are English like every other field;
the label people read stays "bestuurder (wethouder)"."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("tables", "0005_free_text_maxima")]

    operations = [
        migrations.RenameField("seat", "bestuurder", "administrator"),
        migrations.RenameField("historicalseat", "bestuurder", "administrator"),
    ]
