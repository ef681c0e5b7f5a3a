"""What a page shows of an indicator: its latest measurement, the target ahead, the trend and
whether it is behind schedule. Reads prefetched targets and measurements; the arithmetic is in
`results.trajectory`. The overview now, the council report and letter later (issue 27)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Prefetch, Window
from django.db.models.functions import RowNumber

from smartdelta.formatting import format_date, format_measured

from . import trajectory
from .models import Indicator, Measurement, Target


@dataclass
class Summary:
    indicator: Indicator
    latest: Measurement | None
    previous: Measurement | None  # the one before the latest, for the movement between them
    target: Target | None
    trend: str
    behind: bool


def with_figures(indicators, measurements=None):
    """`indicators` with their targets and all their measurements (two more queries, whatever
    the count; `measurements` may select more of them, ordered by date): for a page that lists
    every measurement."""
    if measurements is None:
        measurements = Measurement.objects.order_by("date", "pk")
    return indicators.select_related("theme", "project__theme").prefetch_related(
        Prefetch("targets", queryset=Target.objects.order_by("period_end", "pk")),
        Prefetch("measurements", queryset=measurements),
    )


def with_latest(indicators, measurements=None):
    """`indicators` with their targets and only their two latest measurements, all a summary
    reads: the pages that summarise many indicators (the overview, the report, the cycle) then
    read two rows per indicator, not every measurement ever entered (one window query)."""
    if measurements is None:
        measurements = Measurement.objects.all()
    # A filter on a window, not a slice: a sliced prefetch cannot fill `indicator.measurements`.
    recency = Window(
        RowNumber(), partition_by=F("indicator"), order_by=[F("date").desc(), F("pk").desc()]
    )
    latest = measurements.annotate(recency=recency).filter(recency__lte=2).order_by("date", "pk")
    return with_figures(indicators, latest)


def summarise(indicator: Indicator, today: datetime.date) -> Summary:
    targets = list(indicator.targets.all())
    # Oldest first whichever way they were read (all of them, or the latest two).
    measurements = sorted(indicator.measurements.all(), key=lambda m: (m.date, m.pk))
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
    return Summary(indicator, latest, previous, target, trend, behind)


def result_row(indicator: Indicator, today: datetime.date, target_from: datetime.date) -> dict:
    """One indicator as a council reads it in its report, letter or beside a proposal: the
    latest measurement, how it moved since the one before, the reader's municipality's part
    (the measurements' `own_part`, when they were read with it), the target ahead of
    `target_from` and whether it is behind schedule."""
    summary = summarise(indicator, today)
    latest, previous = summary.latest, summary.previous
    points = [(t.period_end, t.value) for t in indicator.targets.all()]
    target = trajectory.next_target(points, target_from)
    return {
        "indicator": indicator,
        "latest": latest,
        "previous": previous,
        "movement": (
            trajectory.movement(previous.value, latest.value) if latest and previous else ""
        ),
        "trend": summary.trend,
        "own_part": getattr(latest, "own_part", None),
        "target": {"date": target[0], "value": target[1]} if target else None,
        "behind": summary.behind,
    }


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


def escalation_draft(summary: Summary) -> dict:
    """The title and description an escalation about an indicator behind schedule starts with
    (issue 27: "a table or regiekamer can raise it as an escalation in one step"); the person
    raising it adds what they ask of the regiekamer."""
    indicator, latest, target = summary.indicator, summary.latest, summary.target
    expected = expected_at(indicator, latest.date) if latest else None
    lines = [f"De indicator {indicator.name} ligt achter op schema."]
    if latest is not None:
        lines.append(
            f"Laatste meting: {format_measured(latest.value)} {indicator.unit} op "
            f"{format_date(latest.date)}"
            + (
                f"; volgens het schema {format_measured(expected.quantize(Decimal('1')))}."
                if expected is not None
                else "."
            )
        )
    if target is not None:
        lines.append(
            f"Streefwaarde: {format_measured(target.value)} {indicator.unit} op "
            f"{format_date(target.period_end)}."
        )
    lines.append("Wat vragen wij van de regiekamer?")
    return {"title": f"Achter op schema: {indicator.name}"[:200], "description": "\n".join(lines)}
