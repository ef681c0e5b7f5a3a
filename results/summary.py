"""What a page shows of an indicator: its latest measurement, the target ahead, the trend and
whether it is behind schedule. Reads prefetched targets and measurements; the arithmetic is in
`results.trajectory`. The overview now, the council report and letter later (issue 27)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from . import trajectory
from .models import Indicator, Measurement, Target


@dataclass
class Summary:
    indicator: Indicator
    latest: Measurement | None
    target: Target | None
    trend: str
    behind: bool


def with_figures(indicators, measurements=None):
    """`indicators` with their targets and measurements (two more queries, whatever the count;
    `measurements` may select more of them, ordered by date)."""
    if measurements is None:
        measurements = Measurement.objects.order_by("date", "pk")
    return indicators.select_related("theme", "project__theme").prefetch_related(
        Prefetch("targets", queryset=Target.objects.order_by("period_end", "pk")),
        Prefetch("measurements", queryset=measurements),
    )


def summarise(indicator: Indicator, today: datetime.date) -> Summary:
    targets = list(indicator.targets.all())
    measurements = list(indicator.measurements.all())
    latest = measurements[-1] if measurements else None
    previous = measurements[-2] if len(measurements) > 1 else None
    points = [(t.period_end, t.value) for t in targets]
    on = latest.date if latest else today
    ahead = trajectory.next_target(points, on)
    target = next((t for t in targets if (t.period_end, t.value) == ahead), None)
    behind = latest is not None and is_behind_schedule(indicator, latest)
    trend = (
        trajectory.trend(indicator.direction, previous.value if previous else None, latest.value)
        if latest
        else ""
    )
    return Summary(indicator, latest, target, trend, behind)


def expected_at(indicator: Indicator, on: datetime.date) -> Decimal | None:
    """Where the trajectory says the indicator should be at `on` (prefetched targets)."""
    points = [(t.period_end, t.value) for t in indicator.targets.all()]
    return trajectory.trajectory_value(
        (indicator.baseline_date, indicator.baseline_value), points, on
    )


def is_behind_schedule(indicator: Indicator, measurement: Measurement) -> bool:
    """Whether `measurement` is behind the trajectory of `indicator` (prefetched targets)."""
    points = [(t.period_end, t.value) for t in indicator.targets.all()]
    baseline = (indicator.baseline_date, indicator.baseline_value)
    return trajectory.is_behind(
        indicator.direction, baseline, points, measurement.date, measurement.value
    )
