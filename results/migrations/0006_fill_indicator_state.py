"""Fill the state of every indicator that exists: whether its latest measurement is behind
its trajectory, as `results.indicators.keep_state` writes it from now on."""

from django.db import migrations


def fill(apps, schema_editor):
    from results import trajectory

    Indicator = apps.get_model("results", "Indicator")
    IndicatorState = apps.get_model("results", "IndicatorState")
    for indicator in Indicator.objects.all():
        latest = indicator.measurements.order_by("-date", "-pk").first()
        points = list(indicator.targets.values_list("period_end", "value"))
        baseline = (indicator.baseline_date, indicator.baseline_value)
        behind = latest is not None and trajectory.is_behind(
            indicator.direction, baseline, points, latest.date, latest.value
        )
        IndicatorState.objects.update_or_create(indicator=indicator, defaults={"behind": behind})


class Migration(migrations.Migration):
    dependencies = [("results", "0005_indicator_state")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
